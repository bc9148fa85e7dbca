"""The briefing web map, read back from the written file (no browser needed)."""

from __future__ import annotations

import base64
import json
import math
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point
from webmap_helpers import column, layer, loaded_urls, page_data

from gisapp.data.source import SourceInfo
from gisapp.errors import ExportError
from gisapp.export.web.geometry import decode, rebuild
from gisapp.export.web.profiles import mask_name, mask_numbers
from gisapp.export.web.values import dumps_strict, loads_strict
from gisapp.export.webmap import WebMapSizeWarning, export_webmap, write_webmap
from gisapp.model.kinds import get_kind
from gisapp.model.layer import GENERATED_SOURCE, Layer
from gisapp.model.project import Project, load_project


def make_layer(kind: str, frame: gpd.GeoDataFrame, name: str | None = None) -> Layer:
    info = SourceInfo(path=Path(f"{name or kind}.gpkg"), format="GPKG")
    return Layer(name=name or kind, kind=get_kind(kind), frame=frame, info=info)


def villages(names, **columns) -> gpd.GeoDataFrame:
    n = len(names)
    geoms = [Point(112.1 + 0.02 * i, 31.0 + 0.01 * i) for i in range(n)]
    data = {"code": [f"42080210{i:04d}" for i in range(n)], "name": list(names)}
    data.update(columns)
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4490")


@pytest.fixture(scope="module")
def real_project(jingmen_dir):
    return load_project(jingmen_dir)


# --- self-contained ---------------------------------------------------------------


def test_real_data_page_loads_nothing_from_the_network(real_project, tmp_path):
    out = export_webmap(real_project, tmp_path / "real.html")
    html = out.read_text(encoding="utf-8")
    assert loaded_urls(out) == []
    assert "<script src" not in html.lower() and "<link" not in html.lower()
    for cdn in ("jsdelivr", "cdnjs", "jquery", "bootstrap", "fontawesome", "unpkg"):
        assert cdn not in html.lower()
    assert "Leaflet 1.9.4" in html or '"1.9.4"' in html
    data = page_data(out)
    drawn = {
        lyr["name"]: sum(
            len(p["rows"]) if "rows" in p else _parts(p) for p in lyr["parts"]
        )
        for lyr in data["layers"]
    }
    for lyr in real_project.layers:
        geoms = lyr.frame.geometry
        expected = int((geoms.notna() & ~geoms.is_empty).sum())
        if expected:
            assert drawn[lyr.name] == expected, lyr.name
    assert data["sample"] == ""  # the real data hold no generated features


def _parts(part: dict) -> int:
    """Number of features in an encoded family without a row list."""
    if part["f"] == "P":
        return len(part["c"]) // 2
    return len(part["o"][-1]) - 1


def test_case25_intranet_villages_offline_and_with_the_configured_basemap(
    cases_dir, tmp_path
):
    case = cases_dir / "25-webmap-offline-intranet"
    settings = json.loads((case / "export_settings.json").read_text(encoding="utf-8"))
    project = load_project([case / "villages.geojson"])
    folder = tmp_path / "政务内网 导出"
    folder.mkdir()
    out = export_webmap(project, folder / settings["output"])
    assert out.name == "清溪镇扶贫基础设施.html" and out.exists()
    assert loaded_urls(out) == []
    data = page_data(out)
    assert data["basemap"] is None
    (vil,) = data["layers"]
    assert len(rebuild(vil["parts"][0])) == 10
    assert sorted(column(vil, "name")) == sorted(project.layers[0].frame["name"])
    assert vil["legend"], "every styled layer has a legend"

    online = export_webmap(
        project, folder / "with_basemap.html", basemap=settings["basemap"]
    )
    text = online.read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[^\s\"'<>\\]+", text)) - _LIBRARY_STRINGS
    assert urls == {settings["basemap"]["url"]}
    assert page_data(online)["basemap"]["urls"] == [settings["basemap"]["url"]]


# Strings inside Leaflet's code and the SVG namespace: never fetched.
_LIBRARY_STRINGS = {
    "http://www.w3.org/2000/svg",
    "https://leafletjs.com",
    "https://bugs.chromium.org/p/chromium/issues/detail?id=600120",
    "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",
}


def test_case15_tianditu_geographic_tiles_switched_to_web_mercator(cases_dir, tmp_path):
    case = cases_dir / "15-tianditu-tile-matrix"
    config = json.loads((case / "basemap_config.json").read_text(encoding="utf-8"))
    project = load_project([case / "villages_cgcs2000.geojson"])
    spec = {
        "type": "tianditu",
        "key": "abc123def",
        "layers": config["selected_by_user"],
    }
    out = export_webmap(project, tmp_path / "tdt.html", basemap=spec)
    data = page_data(out)
    urls = data["basemap"]["urls"]
    assert [re.search(r"T=(\w+)&", u).group(1) for u in urls] == ["vec_w", "cva_w"]
    assert all("tk=abc123def" in u and "{tk}" not in u for u in urls)
    assert data["basemap"]["subdomains"] == "".join(config["subdomains"])
    assert any("vec_c" in n and "vec_w" in n for n in data["notes"])
    assert any("密钥" in n for n in data["notes"])
    with pytest.raises(ExportError, match="key"):
        export_webmap(project, tmp_path / "nokey.html", basemap={"type": "tianditu"})
    assert not (tmp_path / "nokey.html").exists()


# --- safe content -------------------------------------------------------------------


def test_case23_dates_times_booleans_and_numbers(cases_dir, tmp_path):
    case = cases_dir / "23-webmap-json-types"
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))[
        "popup_values"
    ]
    project = load_project([case / "relocation_sites.gpkg"])
    out = export_webmap(project, tmp_path / "sites.html")
    data_text = out.read_text(encoding="utf-8").split('id="gisapp-data">')[1]
    assert "NaT" not in data_text and "NaN" not in data_text
    (sites,) = page_data(out)["layers"]
    fields = {f["n"]: f["t"] for f in sites["fields"]}
    assert fields["入住日期"] == "d" and fields["最后核查时间"] == "t"
    assert fields["是否通自来水"] == "b"
    rows = {name: i for i, name in enumerate(column(sites, "name"))}
    for want in expected:
        i = rows[want["名称"]]
        assert column(sites, "搬迁户数")[i] == want["搬迁户数"]
        assert column(sites, "总投资_万元")[i] == want["总投资_万元"]
        assert column(sites, "最后核查时间")[i] == want["最后核查时间"]
        assert column(sites, "是否通自来水")[i] == (
            1 if want["是否通自来水"] == "是" else 0
        )
        date = column(sites, "入住日期")[i]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", want["入住日期"]):
            assert date == want["入住日期"]
        else:
            assert date is None  # shown as 无数据


def test_numpy_nan_infinity_and_missing_values_parse_strictly(tmp_path):
    frame = villages(
        ["甲村", "乙村", "丙村"],
        households=pd.array([10, pd.NA, 30], dtype="Int64"),
        income_per_person=np.array([np.nan, np.inf, 5123.5], dtype=np.float64),
        has_clinic=[True, None, False],
        score=np.array([1.5, -np.inf, 2.25], dtype=np.float32),
        remark=[None, "正常", float("nan")],
        built=[
            pd.Timestamp("2020-01-02 08:30"),
            pd.NaT,
            pd.Timestamp("2021-05-06 00:00"),
        ],
    )
    frame["households"] = frame["households"].astype("Int64")
    project = Project(layers=[make_layer("village", frame)])
    out = export_webmap(project, tmp_path / "values.html")
    vil = page_data(out)["layers"][0]
    assert column(vil, "households") == [10, None, 30]
    assert column(vil, "income_per_person") == [None, None, 5123.5]
    assert column(vil, "has_clinic") == [1, None, 0]
    assert column(vil, "score") == [1.5, None, 2.25]
    assert column(vil, "remark") == [None, "正常", None]
    assert column(vil, "built") == [
        "2020-01-02T08:30:00+08:00",
        None,
        "2021-05-06T00:00:00+08:00",
    ]
    with pytest.raises(ValueError):
        loads_strict('{"a": NaN}')


def test_markup_in_attributes_stays_text(tmp_path):
    names = [
        "</script><script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "{{ 7*7 }}{% raw %}村",
    ]
    frame = villages(names, remark=["a & b", "\u2028line", '"quoted"'])
    project = Project(layers=[make_layer("village", frame)])
    out = export_webmap(project, tmp_path / "escape.html")
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    parser = _Tags()
    parser.feed(html)
    assert "img" not in parser.tags
    assert not any("alert(" in code for code in parser.scripts)
    vil = page_data(out)["layers"][0]
    assert column(vil, "name") == names
    assert column(vil, "remark") == ["a & b", "\u2028line", '"quoted"']
    assert "\\u003c/script\\u003e" in dumps_strict({"x": "</script>"})


class _Tags(HTMLParser):
    """The elements a browser would build from the page, and its script texts."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_script = tag == "script" and ("type", "application/json") not in attrs
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_title_with_markup_is_escaped(tmp_path):
    project = Project(
        title="<b>作战图</b>", layers=[make_layer("village", villages(["甲村"]))]
    )
    html = export_webmap(project, tmp_path / "t.html").read_text(encoding="utf-8")
    assert "<title>&lt;b&gt;作战图&lt;/b&gt;</title>" in html


# --- profiles ------------------------------------------------------------


def households_layer() -> Layer:
    frame = gpd.GeoDataFrame(
        {
            "户主姓名": ["张三丰", "李四", "王小五"],
            "身份证号": [
                "42080219800101123X",
                "420802199002023456",
                "420802197003034567",
            ],
            "联系电话": ["13812345678", "13998765432", "0724-2345678"],
            "village_code": ["420802100001", "420802100001", "420802100002"],
            "人口": [4, 3, 5],
            "备注": ["电话13812345678", "", "身份证420802197003034567"],
        },
        geometry=[Point(112.10, 31.0), Point(112.11, 31.01), Point(112.3, 31.2)],
        crs="EPSG:4490",
    )
    return make_layer("other", frame, name="贫困户")


def test_internal_profile_keeps_everything(tmp_path):
    project = Project(layers=[households_layer()])
    data = page_data(export_webmap(project, tmp_path / "in.html"))
    hh = layer(data, "贫困户")
    assert data["profile"]["id"] == "internal" and data["profile"]["zh"] == "内部版"
    assert column(hh, "户主姓名") == ["张三丰", "李四", "王小五"]


def test_briefing_profile_masks_names_ids_and_phones(tmp_path):
    project = Project(layers=[households_layer()])
    out = export_webmap(project, tmp_path / "brief.html", profile="briefing")
    html = out.read_text(encoding="utf-8")
    for secret in (
        "张三丰",
        "42080219800101123X",
        "13812345678",
        "13998765432",
        "2345678",
    ):
        assert secret not in html
    data = page_data(out)
    hh = layer(data, "贫困户")
    assert column(hh, "户主姓名") == ["张**", "李*", "王**"]
    assert column(hh, "身份证号")[0] == "420802********123X"
    assert column(hh, "联系电话")[:2] == ["138****5678", "139****5432"]
    assert column(hh, "备注")[0] == "电话138****5678"
    assert data["profile"]["zh"] == "汇报版"


def test_public_profile_drops_personal_columns_and_aggregates_to_villages(tmp_path):
    vil = make_layer(
        "village",
        gpd.GeoDataFrame(
            {"code": ["420802100001", "420802100002"], "name": ["东村", "西村"]},
            geometry=[Point(112.0, 31.0), Point(112.5, 31.5)],
            crs="EPSG:4490",
        ),
    )
    project = Project(layers=[vil, households_layer()])
    out = export_webmap(project, tmp_path / "public.html", profile="public")
    html = out.read_text(encoding="utf-8")
    for secret in ("张", "李四", "4208021980", "138", "0724-"):
        assert secret not in html.split('id="gisapp-data">')[1]
    data = page_data(out)
    hh = layer(data, "贫困户")
    assert {f["n"] for f in hh["fields"]} == {"村", "户数", "人口"}
    assert column(hh, "户数") == [2, 1]
    assert column(hh, "人口") == [7, 5]
    # Placed at the villages' own points, not at a household's door.
    points = decode(hh["parts"][0])
    assert np.allclose(points, [[112.0, 31.0], [112.5, 31.5]])
    assert data["profile"]["zh"] == "公开版"
    assert any("按村汇总" in n for n in data["notes"])


def test_personal_columns_are_recognised_by_name():
    from gisapp.export.web.profiles import sensitive_kind

    assert sensitive_kind("户主姓名") == "name"
    assert sensitive_kind("公民身份号码") == "id"
    assert sensitive_kind("联系电话") == "phone"
    assert sensitive_kind("Tel") == "phone" and sensitive_kind("contact_tel") == "phone"
    assert sensitive_kind("hotel_name") is None  # 'tel' inside a word is no phone
    assert sensitive_kind("name") is None and sensitive_kind("村名") is None


def test_masking_helpers():
    assert mask_name("欧阳修") == "欧**"
    assert mask_numbers("身份证 420802198001011234，手机 13912345678") == (
        "身份证 420802********1234，手机 139****5678"
    )


# --- size budget and geometry ---------------------------------------------------------


def test_case26_dense_village_mosaic_fits_without_gaps(cases_dir, tmp_path):
    case = cases_dir / "26-webmap-large-geojson"
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    source = case / "county_villages_dense.geojson"
    project = load_project([source])
    out = export_webmap(project, tmp_path / "dense.html")
    assert out.stat().st_size <= expected["targets"]["html_bytes_max"]
    (vil,) = page_data(out)["layers"]
    part = vil["parts"][0]
    assert part["q"] <= expected["targets"]["coordinate_decimals_max"]
    assert all(isinstance(v, int) for v in part["c"][:1000])
    geoms = gpd.GeoSeries(rebuild(part), crs="EPSG:4490").to_crs(4546)
    assert len(geoms) == expected["features"]
    assert shapely.is_valid(geoms.values).all()
    original = gpd.read_file(source).to_crs(4546)
    union = geoms.union_all().area
    assert (
        abs(union - expected["total_area_m2_EPSG4546"])
        <= 0.001 * expected["total_area_m2_EPSG4546"]
    )
    change = np.abs(geoms.area.values / original.area.values - 1) * 100
    assert change.max() <= expected["targets"]["area_change_per_village_max_pct"]
    tree = shapely.STRtree(geoms.values)
    a, b = tree.query(geoms.values, predicate="intersects")
    pairs = a < b
    overlap = shapely.area(
        shapely.intersection(geoms.values[a[pairs]], geoms.values[b[pairs]])
    )
    assert overlap.sum() < 1.0
    assert abs(geoms.area.sum() - union) < 1.0  # no overlaps, so areas add up


def test_tight_budget_simplifies_harder_and_warns_when_it_cannot_fit(
    cases_dir, tmp_path
):
    project = load_project(
        [cases_dir / "26-webmap-large-geojson" / "county_villages_dense.geojson"]
    )
    roomy = page_data(export_webmap(project, tmp_path / "roomy.html"))
    tight_path = tmp_path / "tight.html"
    result = write_webmap(project, tight_path, budget_mb=0.45)
    tight = page_data(tight_path)
    assert result.bytes == tight_path.stat().st_size <= 450_000
    assert result.levels[project.layers[0].name][0] > 1.0 and not result.warnings
    assert len(tight["layers"][0]["parts"][0]["c"]) < len(
        roomy["layers"][0]["parts"][0]["c"]
    )
    with pytest.warns(WebMapSizeWarning, match="county_villages_dense"):
        export_webmap(project, tmp_path / "tiny.html", budget_mb=0.2)
    assert (tmp_path / "tiny.html").exists()


def test_gcj02_basemap_shifts_the_drawing_only(tmp_path):
    frame = villages(["甲村"])
    project = Project(layers=[make_layer("village", frame)])
    spec = {
        "type": "xyz",
        "url": "https://tiles.example/{z}/{x}/{y}.png",
        "gcj02": True,
    }
    data = page_data(export_webmap(project, tmp_path / "gcj.html", basemap=spec))
    ((lon, lat),) = decode(data["layers"][0]["parts"][0])
    east = (lon - 112.1) * 111_320 * math.cos(math.radians(31.0))
    north = (lat - 31.0) * 111_320
    # Jingmen: GCJ-02 maps sit about 550 m east and 250 m south (shared SOURCES.md).
    assert 450 < east < 650 and -350 < north < -150
    assert frame.geometry.iloc[0].equals(Point(112.1, 31.0))
    assert any("GCJ-02" in n for n in data["notes"])


# --- page content and bad input ------------------------------------------


def test_legend_categories_and_status_colours_match_the_styles(tmp_path):
    from gisapp.model.style import status_colours, style_for

    frame = villages(["甲村", "乙村", "丙村"], is_poor=[True, True, False])
    frame["gap_status"] = ["red", "green", "none"]
    project = Project(layers=[make_layer("village", frame)])
    vil = page_data(export_webmap(project, tmp_path / "legend.html"))["layers"][0]
    labels = [row["label"] for row in vil["legend"]]
    assert labels == ["贫困村 · 差距大", "贫困村 · 达标", "非贫困村"]
    colours = status_colours()
    symbols = vil["symbols"]["P"]
    for key, row in zip(["red", "green", "none"], vil["legend"], strict=True):
        # The wall map's village symbols, whose poor-village colours are the statuses'.
        fill = symbols["cats"][row["cat"]]["fill"]
        assert fill == style_for("village").symbol_for(key)["fill"]
        if key != "none":
            assert fill == colours[key]["color"]


def test_sample_data_note_and_title(tmp_path):
    steps = []
    frame = villages(["甲村"], source=[GENERATED_SOURCE])
    project = Project(
        title="荆门市作战图", subtitle="2017年", layers=[make_layer("village", frame)]
    )
    out = export_webmap(
        project,
        tmp_path / "s.html",
        date=pd.Timestamp("2026-12-04").date(),
        progress=lambda share, text: steps.append(share),
    )
    data = page_data(out)
    assert "示例数据" in data["sample"]
    assert data["title"] == "荆门市作战图" and data["date"] == "2026-12-04"
    assert steps == sorted(steps) and steps[-1] == 1.0


class Report:
    """The gap report's contract (docs/architecture.md): villages and card(code)."""

    def __init__(self, villages_table, cards):
        self.villages = villages_table
        self._cards = cards

    def card(self, code):
        return self._cards[code]


def test_report_gives_status_and_village_card(tmp_path):
    frame = villages(["甲村", "乙村"], is_poor=[True, False])
    codes = frame["code"].tolist()
    table = pd.DataFrame(
        {
            "code": codes,
            "gap_status": ["red", "none"],
            "gap_reason": ["饮水不达标", None],
        }
    )
    card = pd.DataFrame(
        {
            "indicator": ["安全饮水覆盖率(%)", "通硬化路"],
            "value": [72.5, True],
            "target": [">= 95", "是"],
            "pass": [False, True],
            "clause": ["第三条", np.nan],
        }
    )
    report = Report(table, {codes[0]: card})
    project = Project(layers=[make_layer("village", frame)])
    data = page_data(export_webmap(project, tmp_path / "card.html", report=report))
    vil = data["layers"][0]
    assert column(vil, "gap_status") == ["red", "none"]
    assert column(vil, "gap_reason") == ["饮水不达标", None]
    # Only poor villages get a card; the status row is shown as the coloured badge.
    assert data["cards"] == {
        codes[0]: [
            ["安全饮水覆盖率(%)", "72.5", ">= 95", False, "第三条", None],
            ["通硬化路", "是", "是", True, None, None],
        ]
    }
    assert "gap_status" not in frame  # the project's own frame is untouched


def test_bad_requests_name_the_fix_and_keep_the_users_file(tmp_path):
    project = Project(layers=[make_layer("village", villages(["甲村"]))])
    kept = tmp_path / "notes.txt"
    kept.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match=r"\.html"):
        export_webmap(project, kept)
    assert kept.read_text(encoding="utf-8") == "mine"
    with pytest.raises(ExportError, match="profile"):
        export_webmap(project, tmp_path / "a.html", profile="secret")
    with pytest.raises(ExportError, match="folder"):
        export_webmap(project, tmp_path / "missing" / "a.html")
    with pytest.raises(ExportError, match="no layer with places"):
        export_webmap(Project(), tmp_path / "b.html")
    assert not (tmp_path / "a.html").exists()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        export_webmap(project, tmp_path / "ok.html")


def test_bridges_without_a_report_are_coloured_by_condition_class(tmp_path):
    frame = gpd.GeoDataFrame(
        {"name": ["甲桥", "乙桥", "丙桥", "丁桥"], "condition_class": [1, 4, 5, None]},
        geometry=[Point(112.1 + i / 100, 31.0) for i in range(4)],
        crs="EPSG:4490",
    )
    project = Project(layers=[make_layer("bridge", frame)])
    bridges = page_data(export_webmap(project, tmp_path / "b.html"))["layers"][0]
    assert column(bridges, "danger") == ["safe", "dangerous", "dangerous", None]
    labels = [row["label"] for row in bridges["legend"]]
    assert labels == ["危桥(四、五类)", "桥梁(一至三类)", "其他"]
    assert "danger" not in frame


def test_leaflet_comes_from_its_package_not_the_repository(tmp_path):
    from importlib import resources

    folder = resources.files("js_lib_leaflet").joinpath("static", "js_lib_leaflet")
    library = folder.joinpath("leaflet.js").read_text(encoding="utf-8")
    project = Project(layers=[make_layer("village", villages(["甲村"]))])
    html = export_webmap(project, tmp_path / "lib.html").read_text(encoding="utf-8")
    body = library.split("//# sourceMappingURL")[0].strip()
    assert body in html
    layers_png = folder.joinpath("images", "layers.png").read_bytes()
    assert base64.b64encode(layers_png).decode("ascii") in html
    repo = Path(__file__).resolve().parents[2]
    assert not [p for p in repo.rglob("leaflet*.js") if ".git" not in p.parts]


def test_briefing_can_aggregate_households_when_asked(tmp_path):
    project = Project(layers=[households_layer()])
    out = export_webmap(
        project, tmp_path / "agg.html", profile="briefing", aggregate=True
    )
    hh = layer(page_data(out), "贫困户")
    assert column(hh, "户数") == [2, 1]
    assert "户主姓名" not in {f["n"] for f in hh["fields"]}


def test_basemap_choices_and_bad_ones():
    from gisapp.export.web.basemap import resolve_basemap

    assert resolve_basemap(None) is None and resolve_basemap("none") is None
    osm = resolve_basemap("osm")
    assert osm.urls == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]
    assert "OpenStreetMap" in osm.attribution
    gaode = resolve_basemap("gaode")
    assert gaode.gcj02 and osm.gcj02 is False
    tdt = resolve_basemap("tianditu:0123abcd")
    assert [u.split("T=")[1].split("&")[0] for u in tdt.urls] == ["vec_w", "cva_w"]
    for bad in ("bing", {"type": "xyz", "url": "ftp://x/{z}/{x}/{y}"}, "tianditu:"):
        with pytest.raises(ExportError):
            resolve_basemap(bad)
    with pytest.raises(ExportError, match="characters"):
        resolve_basemap({"type": "tianditu", "key": "abc'&x=<"})


def test_features_that_cannot_be_placed_are_left_out(tmp_path):
    frame = villages(["甲村", "乙村", "丙村"])
    frame.loc[1, "geometry"] = Point(float("nan"), 31.0)
    frame.loc[2, "geometry"] = None
    project = Project(layers=[make_layer("village", frame)])
    (vil,) = page_data(export_webmap(project, tmp_path / "nan.html"))["layers"]
    (part,) = vil["parts"]
    assert part["rows"] == [0]
    assert np.allclose(decode(part), [[112.1, 31.0]])
    assert column(vil, "name") == ["甲村", "乙村", "丙村"]  # still listed, not drawn


def test_a_layer_in_metres_is_drawn_in_degrees(tmp_path):
    frame = villages(["甲村"]).to_crs(4547)
    project = Project(layers=[make_layer("village", frame)])
    (vil,) = page_data(export_webmap(project, tmp_path / "gk.html"))["layers"]
    assert np.allclose(decode(vil["parts"][0]), [[112.1, 31.0]], atol=1e-6)

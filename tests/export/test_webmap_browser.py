"""The web map opened in headless Chromium with every network request blocked."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from cdp import Browser, find_chromium
from shapely.geometry import Point

from gisapp.data.source import SourceInfo
from gisapp.export.webmap import export_webmap
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.project import Project, load_project
from gisapp.paths import SAMPLE_PROJECT

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium not installed (apt-get install chromium): no browser to test in",
)

# Features per layer that the page drew in its last frame, after showing all data.
COUNTS = """
(function () {
  Object.keys(gisappWebmap.layers).forEach(function (id) {
    gisappWebmap.toggle(gisappWebmap.layers[id], true);
  });
  gisappWebmap.fitAll();
  var counts = gisappWebmap.counts(), out = {};
  Object.keys(counts).forEach(function (name) {
    if (counts[name].held) { out[name] = counts[name].painted; }
  });
  return out;
}())
"""


def expected_counts(project: Project) -> dict[str, int]:
    counts = {}
    for lyr in project.layers:
        geoms = lyr.frame.geometry
        drawn = int((geoms.notna() & ~geoms.is_empty).sum())
        if drawn:
            counts[lyr.name] = drawn
    return counts


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def project(jingmen_dir, cases_dir):
    """The real Jingmen layers plus the intranet case's village polygons."""
    proj = load_project(jingmen_dir)
    villages = load_project(
        [cases_dir / "25-webmap-offline-intranet" / "villages.geojson"]
    )
    proj.layers += villages.layers
    return proj


def open_map(browser: Browser, path: Path) -> None:
    browser.blocked.clear()
    browser.requests.clear()
    browser.console.clear()
    browser.goto(path)
    browser.wait_for("window.gisappReady === true", timeout=30)


def click_village(browser: Browser, lon: float, lat: float) -> str:
    """Centre the map on a place, click it like a reader, return the popup's text."""
    browser.eval(
        "gisappWebmap.map.closePopup();"
        f" gisappWebmap.map.setView([{lat}, {lon}], 14, {{animate: false}}); true"
    )
    browser.eval(
        "new Promise(function (r) {"
        " requestAnimationFrame(function () { requestAnimationFrame(r); }); })"
    )
    x, y = browser.eval(
        "(function () { var p = gisappWebmap.map.latLngToContainerPoint("
        f"[{lat}, {lon}]);"
        " var r = gisappWebmap.map.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }())"
    )
    browser.click(x, y)
    return browser.wait_for(
        "(function () { var n = document.querySelector('.leaflet-popup-content');"
        " return n ? n.innerText : ''; }())",
        timeout=10,
    )


def test_every_feature_drawn_offline_and_a_village_popup(browser, project, tmp_path):
    out = export_webmap(project, tmp_path / "荆门 作战图.html", profile="briefing")
    open_map(browser, out)
    assert browser.eval(COUNTS) == expected_counts(project)
    villages = project.layers[-1].frame
    target = villages.iloc[3]
    inside = target.geometry.representative_point()
    text = click_village(browser, inside.x, inside.y)
    assert target["name"] in text
    browser.eval("gisappWebmap.map.closePopup(); true")
    x, y = browser.eval(
        "(function () { var p = gisappWebmap.map.latLngToContainerPoint("
        f"[{inside.y}, {inside.x}]);"
        " return [p.x + 15, p.y + 15]; }())"
    )
    browser.eval("new Promise(function (r) { setTimeout(r, 60); })")
    browser.hover(x, y)
    tip = browser.wait_for(
        "(function () { var n = document.querySelector('.gm-tooltip');"
        " return n ? n.textContent : ''; }())",
        timeout=10,
    )
    assert tip == target["name"]
    assert "行政村" in text
    # The case file's 贫困户数 column, read as the canonical field, under its name.
    assert f"贫困户数\t{int(target['poor_households'])}" in text
    assert browser.eval("document.querySelector('.gm-profile').textContent") == "汇报版"
    assert browser.eval("document.querySelectorAll('.gm-legend-row').length") >= len(
        expected_counts(project)
    )
    assert browser.eval(
        "document.querySelector('.leaflet-control-scale-line').textContent"
    )
    assert not any(c.startswith("EXCEPTION") for c in browser.console)
    assert browser.blocked == []
    assert all(url.startswith("file:") for url in browser.requests)


def test_search_by_village_name_opens_its_popup(browser, project, tmp_path):
    out = export_webmap(project, tmp_path / "search.html")
    open_map(browser, out)
    name = project.layers[-1].frame["name"].iloc[5]
    browser.eval(
        "(function () { var i = document.querySelector('.gm-search input');"
        f" i.value = {json.dumps(name[:2])};"
        " i.dispatchEvent(new Event('input')); return true; }())"
    )
    hits = browser.eval(
        "Array.from(document.querySelectorAll('.gm-hit-name')).map(n => n.textContent)"
    )
    assert name in hits
    browser.eval(
        "Array.from(document.querySelectorAll('.gm-hit')).find(n =>"
        " n.querySelector('.gm-hit-name').textContent ==="
        f" {json.dumps(name)}).click(); true"
    )
    title = browser.wait_for(
        "(function () { var n = document.querySelector('.gm-popup-title');"
        " return n ? n.textContent : ''; }())",
        timeout=10,
    )
    assert title == name
    assert not any(c.startswith("EXCEPTION") for c in browser.console)
    assert browser.blocked == []


def test_markup_in_a_village_name_is_shown_as_text(browser, tmp_path):
    evil = "<img src=x onerror=\"document.title='owned'\">村"
    frame = gpd.GeoDataFrame(
        {
            "code": ["420802100001", "420802100002"],
            "name": [evil, "平安村"],
            "is_poor": [True, False],
        },
        geometry=[Point(112.20, 31.00), Point(112.30, 31.05)],
        crs="EPSG:4490",
    )
    info = SourceInfo(path=Path("villages.csv"), format="CSV")
    project = Project(
        title="测试", layers=[Layer("村", get_kind("village"), frame, info)]
    )
    out = export_webmap(project, tmp_path / "evil.html")
    open_map(browser, out)
    text = click_village(browser, 112.20, 31.00)
    assert evil in text
    assert (
        browser.eval("document.querySelectorAll('.leaflet-popup-content img').length")
        == 0
    )
    assert browser.eval("document.title") == "测试"
    assert browser.blocked == []


def test_unreachable_basemap_keeps_the_data_and_says_so(
    browser, project, cases_dir, tmp_path
):
    settings = json.loads(
        (cases_dir / "25-webmap-offline-intranet" / "export_settings.json").read_text(
            encoding="utf-8"
        )
    )
    out = export_webmap(
        project, tmp_path / "intranet.html", basemap=settings["basemap"]
    )
    open_map(browser, out)
    assert browser.eval(COUNTS) == expected_counts(project)
    notice = browser.wait_for(
        "(function () { var n = document.querySelector('.gm-notice');"
        " return n ? n.textContent : ''; }())",
        timeout=15,
    )
    assert "底图无法加载" in notice
    prefix = settings["basemap"]["url"].split("{z}")[0]
    assert browser.blocked and all(url.startswith(prefix) for url in browser.blocked)


@pytest.mark.skipif(
    not SAMPLE_PROJECT.exists(), reason="the sample project has not been generated"
)
def test_sample_project_renders_with_village_cards(browser, tmp_path):
    from gisapp.analysis import analyse

    sample = load_project(SAMPLE_PROJECT)
    report = analyse(sample)
    out = export_webmap(
        sample, tmp_path / "sample.html", report=report, profile="briefing"
    )
    assert out.stat().st_size < 5_000_000
    open_map(browser, out)
    hidden = [lyr.name for lyr in sample.layers if not lyr.visible]
    painted = browser.eval("gisappWebmap.counts()")
    assert all(painted[name]["painted"] == 0 for name in hidden if name in painted)
    assert "示例数据" in browser.eval(
        "document.querySelector('.gm-sample').textContent"
    )
    table = report.villages
    red = table[table["gap_status"] == "red"].iloc[0]
    villages = sample.frame_of("village")
    place = villages.loc[villages["code"] == red["code"]].geometry.iloc[0]
    text = click_village(browser, place.x, place.y)
    assert red["name"] in text
    assert "村情卡" in text and "退出标准" in text
    assert report.card(red["code"])[0]["indicator"] in text
    assert "差距大" in text  # the status badge, in the wall map's words
    assert browser.eval(COUNTS) == expected_counts(sample)
    assert not any(c.startswith("EXCEPTION") for c in browser.console)
    assert browser.blocked == []

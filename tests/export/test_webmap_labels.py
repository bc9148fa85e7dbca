"""Place names and the project's own area in the web map's data (no browser needed).

The page labels each layer as its style says (``styles/*.toml``, ``label = {...}``)
and veils what lies outside the project's area; these tests read what the written
file tells the page.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box
from webmap_helpers import layer, page_data

from gisapp.data.source import SourceInfo
from gisapp.export.web.payload import label_style
from gisapp.export.webmap import export_webmap
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.project import Project, load_project
from gisapp.model.style import style_for


def make_layer(kind: str, frame: gpd.GeoDataFrame, name: str) -> Layer:
    info = SourceInfo(path=Path(f"{name}.gpkg"), format="GPKG")
    return Layer(name=name, kind=get_kind(kind), frame=frame, info=info)


def frame(names, geoms, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": list(names), **columns}, geometry=list(geoms), crs="EPSG:4490"
    )


def villages() -> Layer:
    points = [Point(112.10 + 0.02 * i, 31.00 + 0.01 * i) for i in range(3)]
    return make_layer(
        "village",
        frame(["平安村", "新华村", "桥头村"], points, is_poor=[True, False, True]),
        "行政村",
    )


def counties(names, x0: float, name: str) -> Layer:
    boxes = [
        box(x0 + 0.3 * i, 30.8, x0 + 0.3 * (i + 1), 31.2) for i in range(len(names))
    ]
    return make_layer("county", frame(names, boxes), name)


def briefing_project() -> Project:
    towns = frame(["石牌镇", "马良镇"], [Point(112.15, 31.02), Point(112.2, 31.05)])
    river = frame(["汉江"], [LineString([(112.0, 30.9), (112.4, 31.1)])])
    return Project(
        title="标注",
        layers=[
            counties(["钟祥市", "京山市"], 112.0, "县市区界"),
            make_layer("river", river, "河流"),
            make_layer("township", towns, "乡镇驻地"),
            villages(),
        ],
    )


@pytest.fixture(scope="module")
def real_project(jingmen_dir):
    return load_project(jingmen_dir)


# --- labels -------------------------------------------------------------------


def test_each_layer_carries_its_label_style_and_rank(tmp_path):
    data = page_data(export_webmap(briefing_project(), tmp_path / "标注.html"))
    village = layer(data, "行政村")["labelStyle"]
    town = layer(data, "乡镇驻地")["labelStyle"]
    county = layer(data, "县市区界")["labelStyle"]
    river = layer(data, "河流")["labelStyle"]

    assert village["field"] == "name" and village["only"] == "is_poor"
    assert town["bold"] and not town["italic"]
    assert river["italic"] and river["color"] == "#2171b5"
    assert county["color"] == style_for("county").label["color"]
    # Villages first, then township seats, counties and rivers, as on the wall map.
    assert village["rank"] < town["rank"] < county["rank"] < river["rank"]
    # Counties and townships read at the city's view, villages once zoomed in.
    assert county["minZoom"] <= town["minZoom"] <= 9 < village["minZoom"] <= 11
    # Sizes in points on paper become legible pixels on a screen.
    for spec in (village, town, county, river):
        assert 11 <= spec["px"] <= 22
    assert county["px"] > town["px"] >= village["px"]


def test_a_layer_without_a_label_field_or_its_only_column_has_no_labels():
    spec = {"field": "name", "size_pt": 7, "only": "is_poor"}
    assert label_style(spec, "village", ["name", "is_poor"])["only"] == "is_poor"
    assert label_style(spec, "village", ["name"]) is None
    assert label_style({"field": "name"}, "village", ["code"]) is None
    assert label_style({}, "village", ["name"]) is None
    assert label_style(None, "village", ["name"]) is None
    site = label_style({"field": "name"}, "relocation_site", ["name"])
    river = label_style({"field": "name"}, "river", ["name"])
    county = label_style({"field": "name"}, "county", ["name"])
    assert county["rank"] < site["rank"] < river["rank"]
    assert label_style({"field": "name"}, "road", ["name"])["rank"] > river["rank"]


# --- the project's own area ---------------------------------------------------------


def test_real_data_veils_round_the_city_and_opens_on_it(real_project, tmp_path):
    data = page_data(export_webmap(real_project, tmp_path / "荆门.html"))
    city = real_project.layers[0]
    assert city.kind.id == "city" and len(city.frame) == 1
    area = data["area"]
    assert area["name"] == "荆门市"
    assert layer(data, city.name)["id"] == area["layer"]
    # The neighbours are in the page, and the first view is Jingmen's, not Hubei's.
    assert {lyr["name"] for lyr in data["layers"]} >= {
        "县市区界(neighbour_county)",
        "市界(hubei_city)",
    }
    minx, miny, maxx, maxy = city.frame.to_crs("EPSG:4490").total_bounds
    (south, west), (north, east) = data["bounds"]
    assert (south, west, north, east) == pytest.approx((miny, minx, maxy, maxx))


def test_own_counties_are_the_area_without_a_city_layer(tmp_path):
    project = Project(
        title="两县",
        layers=[
            counties(["远安县", "当阳市", "潜江市", "天门市"], 111.1, "邻县"),
            counties(["钟祥市", "京山市"], 112.3, "本市各县"),
            villages(),
        ],
    )
    data = page_data(export_webmap(project, tmp_path / "两县.html"))
    assert data["area"]["layer"] == layer(data, "本市各县")["id"]
    (south, west), (north, east) = data["bounds"]
    assert (west, east) == pytest.approx((112.3, 112.9))


def test_no_area_and_no_veil_without_city_or_counties(tmp_path):
    project = Project(title="村", layers=[villages()])
    data = page_data(export_webmap(project, tmp_path / "村.html"))
    assert data["area"] is None
    (south, west), (north, east) = data["bounds"]
    assert (west, east) == pytest.approx((112.10, 112.14))

"""Dead ends at the real city boundary of Jingmen (from the shared data)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.ops

from gisapp.analysis.deadends import DeadEndSettings, classify_dead_ends
from gisapp.analysis.network import build_network

METRIC = "EPSG:4547"


def test_road_ending_at_the_city_boundary(jingmen_dir):
    city = gpd.read_file(jingmen_dir / "boundaries_cgcs2000.gpkg", layer="city").to_crs(
        METRIC
    )
    outline = shapely.boundary(city.geometry.iloc[0])
    centre = city.geometry.iloc[0].centroid
    # A road from the centre straight to the nearest point of the boundary, and
    # a spur 3 km long from the centre into the middle of the city.
    edge = shapely.ops.nearest_points(outline, centre)[0]
    to_edge = shapely.LineString([centre, edge])
    spur = shapely.LineString([centre, (centre.x + 3000.0, centre.y)])
    net = build_network([to_edge, spur], labels=["out", "spur"])
    dead = classify_dead_ends(net, DeadEndSettings(boundary_m=500.0), boundary=outline)
    at = {
        round(float(np.hypot(x - edge.x, y - edge.y))): c
        for x, y, c in zip(dead["x"], dead["y"], dead["category"], strict=True)
    }
    assert at[0] == "boundary"
    assert sorted(dead["category"]) == ["boundary", "dead_end"]


def test_the_rules_city_is_taken_from_a_layer_of_many_cities(jingmen_dir):
    from gisapp.analysis.inputs import boundary_of
    from tests.analysis.helpers import layer, project

    cities = gpd.read_file(
        jingmen_dir / "boundaries_cgcs2000.gpkg", layer="hubei_city"
    ).to_crs(METRIC)
    rows = [
        {"code": str(c), "name": n}
        for c, n in zip(cities["adcode"], cities["name"], strict=True)
    ]
    proj = project(layer("city", rows, list(cities.geometry)))
    jingmen = cities[cities["adcode"].astype(str) == "420800"].geometry.iloc[0]
    outline = boundary_of(proj, "420800")
    assert outline.length == pytest.approx(jingmen.boundary.length, rel=1e-3)
    assert boundary_of(proj).length > 2 * outline.length

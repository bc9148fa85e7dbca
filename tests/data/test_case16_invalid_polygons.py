"""Case 16: invalid village polygons reported as written and repaired on request."""

from __future__ import annotations

import json

import pytest
import shapely

from gisapp.data.geometry import find_overlaps, repair_geometries, validate
from gisapp.data.readers import read_source

CASE = "16-invalid-village-polygons"


@pytest.fixture(scope="module")
def case(cases_dir):
    expected = json.loads(
        (cases_dir / CASE / "expected.json").read_text(encoding="utf-8")
    )
    villages = read_source(cases_dir / CASE / "villages_invalid.shp")[0]
    township = read_source(cases_dir / CASE / "township.shp")[0]
    return expected, villages, township


def test_reasons_as_written(case):
    expected, villages, _ = case
    got = {i["name"]: i["reason"] for i in villages.info.geometry_issues}
    want = {
        f["CUNMING"]: f["reason"]
        for f in expected["features"]
        if not f["is_valid_as_written"]
    }
    assert got == want
    assert any("4 polygons are invalid" in w for w in villages.info.warnings)
    assert len(villages.frame) == 7


def test_repair_only_on_request_with_areas(case):
    expected, villages, _ = case
    before = villages.frame.geometry.copy()
    repaired, report = repair_geometries(villages.frame, metric_crs=expected["crs"])
    assert villages.frame.geometry.equals(before)  # the layer itself is untouched
    assert len(repaired) == 7
    assert repaired["CUNMING"].tolist() == villages.frame["CUNMING"].tolist()
    assert validate(repaired).empty
    areas = repaired.to_crs(expected["crs"]).area
    for f, area in zip(expected["features"], areas, strict=True):
        assert area == pytest.approx(f["area_m2_after_make_valid"], abs=1.0), f[
            "CUNMING"
        ]
    rows = report.set_index("name")
    assert rows.loc["岩脚村", "area_before_m2"] == pytest.approx(0.0, abs=1.0)
    assert rows.loc["坪上村", "area_before_m2"] == pytest.approx(2_210_000, abs=1.0)
    assert rows.loc["坪上村", "area_after_m2"] == pytest.approx(2_290_000, abs=1.0)


def test_overlap_and_clip(case):
    expected, villages, township = case
    repaired, _ = repair_geometries(villages.frame, metric_crs=expected["crs"])
    overlaps = find_overlaps(repaired, min_area_m2=1000, metric_crs=expected["crs"])
    pairs = {
        frozenset((r.name_a, r.name_b)): r.overlap_m2 for r in overlaps.itertuples()
    }
    assert pairs[frozenset(("垭口村", "峁底村"))] == pytest.approx(
        expected["overlap_垭口村_峁底村_m2"], abs=1.0
    )
    metric = repaired.to_crs(expected["crs"]).set_index("CUNMING").geometry
    town = township.frame.to_crs(expected["crs"]).geometry.iloc[0]
    assert shapely.intersection(metric["峁底村"], town).area == pytest.approx(
        1_650_000, abs=1.0
    )


def test_user_chosen_repairs_per_feature(case):
    expected, villages, _ = case
    frame = villages.frame
    rows = frame.index[frame["CUNMING"] == "岩脚村"]
    fixed, report = repair_geometries(frame, expected["crs"], "reorder", rows=rows)
    assert report["name"].tolist() == ["岩脚村"]
    # The digitiser meant a square: vertices put in order give 2 250 000 m².
    assert report["area_after_m2"].iloc[0] == pytest.approx(2_250_000, abs=1.0)
    rows = frame.index[frame["CUNMING"] == "坪上村"]
    fixed, report = repair_geometries(
        fixed, expected["crs"], "drop_stray_holes", rows=rows
    )
    assert report["area_before_m2"].iloc[0] == pytest.approx(2_210_000, abs=1.0)
    assert report["area_after_m2"].iloc[0] == pytest.approx(2_250_000, abs=1.0)
    still = set(validate(fixed)["name"])
    assert still == {"龙潭村", "新寨村"}


def test_valid_multipart_with_holes_in_any_ring_order(tmp_path):
    import geopandas as gpd
    import pyogrio

    a = shapely.Polygon(
        [(0, 0), (0, 10), (10, 10), (10, 0)], [[(2, 2), (4, 2), (4, 4), (2, 4)]]
    )
    b = shapely.Polygon(
        [(20, 0), (20, 10), (30, 10), (30, 0)], [[(22, 2), (24, 2), (24, 4), (22, 4)]]
    )
    frame = gpd.GeoDataFrame(
        {"名称": ["两块"]}, geometry=[shapely.MultiPolygon([a, b])]
    )
    frame = frame.set_crs(4546).translate(500_000, 3_400_000)
    frame = gpd.GeoDataFrame({"名称": ["两块"]}, geometry=frame, crs=4546)
    pyogrio.write_dataframe(frame, tmp_path / "两块.shp")
    loaded = read_source(tmp_path / "两块.shp")[0]
    assert not loaded.info.geometry_issues
    assert loaded.frame.to_crs(4546).area.iloc[0] == pytest.approx(192.0, abs=1e-3)

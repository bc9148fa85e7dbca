"""Case 11: Gauss-Krüger data whose .prj contradicts the zone prefix of the eastings."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from gisapp.data.readers import read_source

CASE = "11-gk-zone-prefix-vs-prj"
VARIANTS = {
    "a_prefixed_coords_cm_prj": "a_correct_crs",
    "b_plain_coords_zone_prj": "b_correct_crs",
    "c_consistent_control": "c_correct_crs",
}


@pytest.fixture(scope="module")
def expected(cases_dir):
    return json.loads((cases_dir / CASE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def layers(cases_dir):
    return {v: read_source(cases_dir / CASE / v / "villages.shp")[0] for v in VARIANTS}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_fitting_crs_is_used_and_flagged(layers, expected, variant):
    info = layers[variant].info
    assert info.crs.startswith(expected[VARIANTS[variant]] + " ")
    if variant.startswith("c_"):
        assert info.crs_declared and not info.warnings
    else:
        assert not info.crs_declared
        assert "false easting" in info.crs_how
        assert any("false easting" in w for w in info.warnings)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_first_vertices_match_and_are_finite(layers, expected, variant):
    frame = layers[variant].frame
    xy = shapely.get_coordinates(frame.geometry.values)
    assert np.isfinite(xy).all()
    for geom, want in zip(
        frame.geometry, expected["vertices_lonlat_cgcs2000"], strict=True
    ):
        lon, lat = geom.exterior.coords[0][:2]
        assert lon == pytest.approx(want["first_vertex_lon"], abs=5e-7)
        assert lat == pytest.approx(want["first_vertex_lat"], abs=5e-7)


def test_all_three_coincide_within_a_centimetre(layers):
    ref = shapely.get_coordinates(layers["c_consistent_control"].frame.geometry.values)
    for v in ("a_prefixed_coords_cm_prj", "b_plain_coords_zone_prj"):
        got = shapely.get_coordinates(layers[v].frame.geometry.values)
        assert np.abs(got - ref).max() < 1e-7  # about 1 cm


def test_esri_gauss_kruger_wkt_is_identified(layers):
    assert layers["c_consistent_control"].info.crs.startswith("EPSG:4546")

"""Case 14: points picked on Amap (GCJ-02) against RTK survey points (WGS84)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.data import webcrs
from gisapp.data.readers import read_source
from gisapp.data.writers import write_layer
from gisapp.errors import ExportError

CASE = "14-gcj02-amap-offset"


def _metres(a, b):
    lat = np.radians(b[:, 1])
    return np.hypot(
        (a[:, 0] - b[:, 0]) * 111_320 * np.cos(lat), (a[:, 1] - b[:, 1]) * 110_946
    )


@pytest.fixture(scope="module")
def expected(cases_dir):
    return json.loads((cases_dir / CASE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def survey(cases_dir):
    return read_source(cases_dir / CASE / "b_rtk_survey_wgs84.geojson")[0].frame


def test_declared_origin_is_recognised_and_removed(cases_dir, survey):
    loaded = read_source(cases_dir / CASE / "a_amap_picked_points.csv")[0]
    assert loaded.info.origin == "gcj02"
    assert "GCJ-02" in loaded.info.crs_how
    got = shapely.get_coordinates(loaded.frame.geometry.values)
    ref = shapely.get_coordinates(survey.geometry.values)
    assert loaded.frame["名称"].tolist() == survey["名称"].tolist()
    assert _metres(got, ref).max() < 2.0


def test_user_declaration_and_offset_detection(cases_dir, tmp_path, expected, survey):
    # The same points with no word of their origin: read naively, they sit ~600 m off.
    plain = tmp_path / "拾取点.csv"
    pd.DataFrame(
        {
            "名称": [e["name"] for e in expected],
            "经度": [e["gcj02_lon"] for e in expected],
            "纬度": [e["gcj02_lat"] for e in expected],
        }
    ).to_csv(plain, index=False, encoding="utf-8-sig")
    naive = read_source(plain)[0]
    assert naive.info.origin is None
    xy = shapely.get_coordinates(naive.frame.geometry.values)
    ref = shapely.get_coordinates(survey.geometry.values)
    offsets = _metres(xy, ref)
    assert offsets == pytest.approx([e["naive_offset_m"] for e in expected], abs=1.0)
    finding = webcrs.detect_offset(xy, ref)
    assert finding.origin == "gcj02" and finding.distance_m["gcj02"] < 2.0
    fixed = read_source(plain, crs="gcj02")[0]
    got = shapely.get_coordinates(fixed.frame.geometry.values)
    assert _metres(got, ref).max() < 2.0
    assert webcrs.detect_offset(got, ref).origin is None


def test_inverse_residual_far_below_a_metre():
    lon, lat = np.meshgrid(np.linspace(111.5, 113.8, 40), np.linspace(30.2, 31.8, 40))
    for forward, inverse in (
        (webcrs.to_gcj02, webcrs.from_gcj02),
        (webcrs.to_bd09, webcrs.from_bd09),
    ):
        back = np.column_stack(inverse(*forward(lon.ravel(), lat.ravel())))
        assert _metres(back, np.column_stack([lon.ravel(), lat.ravel()])).max() < 0.01


def test_forward_shift_is_hundreds_of_metres_in_china_and_none_outside():
    lon, lat = webcrs.to_gcj02(np.array([112.2, 2.35]), np.array([31.0, 48.85]))
    shift = _metres(
        np.column_stack([lon, lat]), np.array([[112.2, 31.0], [2.35, 48.85]])
    )
    assert 100 < shift[0] < 1000 and shift[1] == 0


def test_baidu_named_in_a_column_is_converted(tmp_path):
    true = np.array([[112.2, 31.03], [112.3, 31.1]])
    blon, blat = webcrs.to_bd09(true[:, 0], true[:, 1])
    path = tmp_path / "百度拾取.csv"
    pd.DataFrame({"名称": ["甲", "乙"], "lng": blon, "lat": blat}).to_csv(
        path, index=False
    )
    loaded = read_source(path)[0]
    assert loaded.info.origin == "bd09"
    got = shapely.get_coordinates(loaded.frame.geometry.values)
    assert _metres(got, true).max() < 0.01


def test_offset_frames_are_never_exported(survey, tmp_path):
    shifted = survey.copy()
    shifted.attrs["offset"] = "GCJ-02"
    with pytest.raises(ExportError, match="GCJ-02"):
        write_layer(shifted, tmp_path / "x.gpkg")


def test_a_company_name_is_no_declaration(tmp_path):
    path = tmp_path / "帮扶.csv"
    pd.DataFrame(
        {"村名": ["甲村"], "帮扶单位": ["腾讯公司"], "经度": [112.2], "纬度": [31.0]}
    ).to_csv(path, index=False)
    loaded = read_source(path)[0]
    assert loaded.info.origin is None
    assert loaded.frame.geometry.iloc[0].x == pytest.approx(112.2)

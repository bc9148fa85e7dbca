"""Case 19: a village layer with null, empty and (0, 0) geometries."""

from __future__ import annotations

import json

import pytest

from gisapp.data.geometry import PROBLEM_COLUMN, drawable, extent
from gisapp.data.readers import read_source
from gisapp.data.writers import write_layer

CASE = "19-null-empty-geometries"


@pytest.fixture(scope="module")
def case(cases_dir):
    expected = json.loads(
        (cases_dir / CASE / "expected.json").read_text(encoding="utf-8")
    )
    return expected, read_source(cases_dir / CASE / "villages_partial.geojson")[0]


def _name_col(frame):
    return next(c for c in ("CUNMING", "村名", "name") if c in frame)


def test_rows_kept_and_problems_listed(case):
    expected, loaded = case
    frame = loaded.frame
    assert len(frame) == expected["attribute_rows"]
    assert int(drawable(frame).sum()) == expected["drawable_features"]
    issues = loaded.info.geometry_issues
    assert sorted(i["name"] for i in issues if i["problem"] == "无几何") == sorted(
        expected["reported_without_geometry"]
    )
    suspicious = [i["name"] for i in issues if i["problem"] == "位置可疑 (0,0)"]
    assert suspicious == [expected["reported_suspicious_location"][0].split(" ")[0]]
    names = frame.set_index(_name_col(frame))[PROBLEM_COLUMN]
    assert names["喆家湾村"] == "位置可疑 (0,0)" and names["垭口村"] == "无几何"


def test_extent_uses_drawable_features_only(case):
    expected, loaded = case
    minx, miny, maxx, maxy = extent(loaded.frame)
    lo_x, lo_y, hi_x, hi_y = expected["map_bounds_must_be_within"]
    assert lo_x <= minx and lo_y <= miny and maxx <= hi_x and maxy <= hi_y


def test_export_keeps_null_geometries(case, tmp_path):
    _, loaded = case
    out = tmp_path / "村.geojson"
    write_layer(loaded.frame, out)
    back = read_source(out)[0]
    assert len(back.frame) == 9
    assert int(drawable(back.frame).sum()) == 5

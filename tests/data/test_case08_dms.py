"""Case 08: Excel sheet with coordinates typed as 度分秒 text in many notations."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from gisapp.data.dms import AngleError, parse_angle, parse_pair
from gisapp.data.readers import read_source

CASE = "08-xlsx-dms-coordinates"


@pytest.fixture(scope="module")
def case(cases_dir):
    expected = json.loads(
        (cases_dir / CASE / "expected.json").read_text(encoding="utf-8")
    )
    loaded = read_source(cases_dir / CASE / "水源点坐标登记表.xlsx")[0]
    return expected, loaded


def test_valid_rows_land_on_their_expected_place(case):
    expected, loaded = case
    frame = loaded.frame.set_index("编号")
    for item in expected:
        if item["expected_status"] != "ok":
            continue
        geom = frame.loc[item["编号"], "geometry"]
        assert geom.x == pytest.approx(item["expected_lon"], abs=1e-6), item["format"]
        assert geom.y == pytest.approx(item["expected_lat"], abs=1e-6), item["format"]


def test_bad_rows_are_kept_and_named_by_row(case):
    expected, loaded = case
    frame = loaded.frame
    assert len(frame) == len(expected) == 12
    issues = dict(loaded.info.row_issues)
    # Excel rows: header on row 1, SY-01 on row 2.
    assert "seconds 66.3 ≥ 60" in issues["12"]
    assert issues["13"] == "no coordinates"
    by_id = frame.set_index("编号")
    assert by_id.loc["SY-11", "geometry"] is None
    assert by_id.loc["SY-12", "geometry"] is None
    assert by_id.loc["SY-12", "水源点名称"] == "坪上村二级泵站"
    assert len(issues) == 2


@pytest.mark.parametrize(
    "text, value",
    [
        ("１１０°５７′３１.７″", 110 + 57 / 60 + 31.7 / 3600),
        ("110°57′31.7″E", 110 + 57 / 60 + 31.7 / 3600),
        ("北纬 27°30′", 27.5),
        ("27d", None),
    ],
)
def test_notations(text, value):
    if value is None:
        with pytest.raises(AngleError):
            parse_angle(text)
    else:
        assert parse_angle(text)[0] == pytest.approx(value, abs=1e-12)


def test_combined_cells_follow_their_order_or_hemisphere():
    assert parse_pair("27.45, 110.92", first="lat") == (110.92, 27.45)
    assert parse_pair("110.92，27.45", first="lon") == (110.92, 27.45)
    lon, lat = parse_pair("27°27′N 110°55′E", first="lon")
    assert (lon, lat) == pytest.approx((110 + 55 / 60, 27 + 27 / 60))


def test_combined_column_swapped_rows_and_impossible_values(tmp_path):
    path = tmp_path / "点位.csv"
    pd.DataFrame(
        {
            "名称": ["甲", "乙", "丙", "丁", "戊"],
            "纬度,经度": [
                "31.03, 112.20",
                "31.05，112.21",
                "112.22, 31.07",
                "95.1, 112.3",
                "1.2, 10.5",
            ],
        }
    ).to_csv(path, index=False, encoding="utf-8-sig")
    loaded = read_source(path)[0]
    geoms = loaded.frame.geometry
    assert (geoms.iloc[0].x, geoms.iloc[0].y) == pytest.approx((112.20, 31.03))
    assert (geoms.iloc[2].x, geoms.iloc[2].y) == pytest.approx((112.22, 31.07))
    assert any("swapped" in w for w in loaded.info.warnings)
    issues = dict(loaded.info.row_issues)
    assert "impossible" in issues["5"] and "outside China" in issues["6"]
    assert geoms.iloc[3] is None and geoms.iloc[4] is None

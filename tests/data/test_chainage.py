"""Road records by route code and chainage (桩号) placed on the road geometry."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gisapp.data.chainage import locate_by_chainage, parse_chainage

METRIC = "EPSG:4547"  # CGCS2000 3° GK CM 114°E


@pytest.fixture
def roads():
    # X101: one straight line of 10 km running east; Y202: two calibrated segments
    # K0–K2 and K2–K5 digitised as 2 km and 3 km lines, the second running north.
    lines = [
        shapely.LineString([(400_000, 3_430_000), (410_000, 3_430_000)]),
        shapely.LineString([(420_000, 3_430_000), (422_000, 3_430_000)]),
        shapely.LineString([(422_000, 3_430_000), (422_000, 3_433_000)]),
    ]
    frame = gpd.GeoDataFrame(
        {
            "code": ["X101", "Y202", "Y202"],
            "start_km": [None, 0.0, 2.0],
            "end_km": [None, 2.0, 5.0],
        },
        geometry=lines,
        crs=METRIC,
    )
    return frame.to_crs("EPSG:4490")


def _metric_xy(geom):
    return shapely.get_coordinates(
        gpd.GeoSeries([geom], crs="EPSG:4490").to_crs(METRIC).values
    )


@pytest.mark.parametrize(
    "text, km",
    [("K3+200", 3.2), ("k12+050.5", 12.0505), ("３.５", 3.5), (7, 7.0), ("", None)],
)
def test_parse_chainage(text, km):
    assert parse_chainage(text) == (pytest.approx(km) if km is not None else None)


def test_bridges_and_stretches_are_placed(roads):
    records = pd.DataFrame(
        {
            "路线编码": ["X101", "x101 ", "Y202", "Y202"],
            "起点桩号": ["K1+000", None, "K1+500", None],
            "止点桩号": ["K4+000", None, "K3+000", None],
            "中心桩号": [None, "K2+500", None, "K3+500"],
        }
    )
    placed, problems = locate_by_chainage(roads, records, metric_crs=METRIC)
    assert problems.empty
    assert placed["定位"].tolist() == ["已定位"] * 4
    stretch = _metric_xy(placed.geometry.iloc[0])
    assert stretch[0] == pytest.approx((401_000, 3_430_000), abs=0.01)
    assert stretch[-1] == pytest.approx((404_000, 3_430_000), abs=0.01)
    bridge = _metric_xy(placed.geometry.iloc[1])[0]
    assert bridge == pytest.approx((402_500, 3_430_000), abs=0.01)
    # Across the calibrated segments: K1+500 to K2 east, then K2 to K3 north.
    across = _metric_xy(placed.geometry.iloc[2])
    assert across[0] == pytest.approx((421_500, 3_430_000), abs=0.01)
    assert across[-1] == pytest.approx((422_000, 3_431_000), abs=0.01)
    point = _metric_xy(placed.geometry.iloc[3])[0]
    assert point == pytest.approx((422_000, 3_431_500), abs=0.01)


def test_records_off_the_road_are_reported(roads):
    records = pd.DataFrame(
        {
            "路线编码": ["X999", "X101", "X101", "X101"],
            "起点桩号": [None, None, "K9+000", None],
            "止点桩号": [None, None, "K12+000", None],
            "中心桩号": ["K1+000", "K10+400", None, "桥头"],
        }
    )
    placed, problems = locate_by_chainage(roads, records, metric_crs=METRIC)
    assert placed["定位"].tolist() == ["未定位", "未定位", "部分定位", "未定位"]
    reasons = dict(zip(problems["row"], problems["reason"], strict=True))
    assert "not in the road layer" in reasons["2"]
    assert "10.4 km lies off the road" in reasons["3"]
    assert "2.000 km of the stretch" in reasons["4"]
    assert "not a chainage" in reasons["5"]
    partial = _metric_xy(placed.geometry.iloc[2])
    assert partial[-1] == pytest.approx((410_000, 3_430_000), abs=0.01)

"""Village access, unhardened gap, cost, dangerous bridges: a hand-made network.

    county road C along y = 0 from x = 0 to 10 km (asphalt)
    A1 (2,0)-(2,1) cement, A2 (2,1)-(2,3) gravel; village V1 at (2,3) km
    L1 (5,0)-(5,2) cement, L2 (5,2)-(6,2) cement; village V2 at (6,2)
    L3 (7,0)-(7,2) earth, L4 (7,2)-(6,2) cement
    R (9,4)-(9,5) cement, joined to nothing; village V3 at (9,5)
    village V4 at (3.5,0.5), more than 1 km from every node
    bridges: B1 class 4 on A1, B2 class 5 on L1, B3 class 2 on L3

Costs use the rules' 400,000 yuan per km hardened and 800,000 per km of new road.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.analysis import load_rules
from gisapp.analysis.roads import RoadInputs, analyse_roads

KM = 1000.0


def _line(*pts):
    return shapely.LineString([(x * KM, y * KM) for x, y in pts])


@pytest.fixture(scope="module")
def result():
    rows = [
        ("C", "county", "asphalt", _line((0, 0), (10, 0))),
        ("A1", "village", "cement", _line((2, 0), (2, 1))),
        ("A2", "village", "gravel", _line((2, 1), (2, 3))),
        ("L1", "village", "cement", _line((5, 0), (5, 2))),
        ("L2", "village", "cement", _line((5, 2), (6, 2))),
        ("L3", "group", "earth", _line((7, 0), (7, 2))),
        ("L4", "group", "cement", _line((7, 2), (6, 2))),
        ("R", "village", "cement", _line((9, 4), (9, 5))),
    ]
    roads = pd.DataFrame(
        {
            "code": [r[0] for r in rows],
            "name": [r[0] for r in rows],
            "road_class": [r[1] for r in rows],
            "surface": [r[2] for r in rows],
            "level": 0,
        }
    )
    villages = np.array([[2, 3], [6, 2], [9, 5], [3.5, 0.5]]) * KM
    bridges = pd.DataFrame(
        {
            "code": ["B1", "B2", "B3"],
            "name": ["一桥", "二桥", "三桥"],
            "condition_class": [4, 5, 2],
            "length_m": [20.0, 30.0, 10.0],
        }
    )
    bridge_xy = np.array([[2, 0.5], [5, 1.0], [7, 1.0]]) * KM
    inputs = RoadInputs(
        roads=roads,
        road_geoms=np.array([r[3] for r in rows], dtype=object),
        village_xy=villages,
        bridges=bridges,
        bridge_xy=bridge_xy,
        destinations=villages,
    )
    return analyse_roads(inputs, load_rules())


def test_village_behind_gravel(result):
    v1 = result.villages.iloc[0]
    assert not v1["road_hardened_connected"]
    assert v1["road_reachable"]
    assert v1["unhardened_km"] == pytest.approx(2.0)
    assert v1["road_cost_yuan"] == pytest.approx(2.0 * 400_000)
    assert v1["route"] == "A2 → A1"
    assert v1["dangerous_bridges"] == 1
    assert v1["dangerous_bridge_codes"] == "B1"


def test_village_on_a_hardened_loop(result):
    v2 = result.villages.iloc[1]
    assert v2["road_hardened_connected"]
    assert v2["unhardened_km"] == 0
    assert v2["road_cost_yuan"] == 0
    # The hardened way round, L2 then L1 (3 km), beats the 2 km with earth.
    assert v2["route_km"] == pytest.approx(3.0)
    assert v2["route"].startswith("L2 → L1")
    assert v2["dangerous_bridges"] == 1


def test_village_on_a_road_joined_to_nothing(result):
    v3 = result.villages.iloc[2]
    assert not v3["road_reachable"]
    assert np.isnan(v3["unhardened_km"])
    # From (9,4) the nearest node reached by hardened road is (7,2): √8 km.
    assert v3["new_road_km"] == pytest.approx(np.sqrt(8.0), abs=1e-3)
    assert v3["road_cost_yuan"] == pytest.approx(np.sqrt(8.0) * 800_000, abs=1.0)


def test_village_far_from_any_road(result):
    v4 = result.villages.iloc[3]
    assert v4["road_access_m"] == pytest.approx(np.hypot(1500, 500), abs=0.1)
    assert v4["new_road_km"] == pytest.approx(np.hypot(1.5, 0.5), abs=1e-3)


def test_dangerous_bridges_and_the_villages_they_cut_off(result):
    b = result.bridges.set_index("code")
    assert list(b["danger"]) == ["dangerous", "dangerous", "safe"]
    # B1 is V1's only way out; B2 has the way round by L3 and L4.
    assert b.loc["B1", "villages_cut_off"] == [0]
    assert b.loc["B2", "villages_cut_off"] == []
    assert b.loc["B1", "villages_on_route"] == [0]
    assert b.loc["B2", "villages_on_route"] == [1]
    assert b.loc["B1", "on_road"] == "A1"
    assert b.loc["B3", "on_road"] == "L3"


def test_local_road_lengths_and_maintenance(result):
    t = result.villages
    # Each piece goes to the village nearest its middle: A1's middle (2, 0.5) is
    # 1.5 km from V4 and 2.5 km from V1, so V4 has A1 and V1 has A2 (2 km).
    # V2 has L1 and L2 (village, 3 km), L3 and L4 (group, 3 km); V3 has R.
    assert list(t["village_road_km"]) == pytest.approx([2.0, 3.0, 1.0, 1.0])
    assert list(t["group_road_km"]) == pytest.approx([0.0, 3.0, 0.0, 0.0])
    # Village and group roads at 2,000 yuan per km per year.
    assert list(t["maintenance_yuan_year"]) == pytest.approx([4000, 12000, 2000, 2000])


def test_summary_counts(result):
    s = result.summary
    assert s["components"] == 2
    assert s["dangerous_bridges"] == 2
    assert s["km_county"] == pytest.approx(10.0)

"""Dead ends facing each other across a river: a missing bridge, unless the road
network already crosses close by.

    A (0,0)-(2000,0) and B (1000,0)-(1000,80) on the south bank;
    river along y = 100;
    C (0,200)-(2000,200) and D (1000,200)-(1000,120) on the north bank;
    E, when present, a bridge road from A to C at x = 1000 + offset.

B's end and D's end are 40 m apart across the river. The way round by E runs
from B's end 80 m down B, ``offset`` along A, 200 m over E and ``offset`` back
along C to D's top node: 280 + 2·offset metres, against 10 × 40 = 400 m.
"""

from __future__ import annotations

import numpy as np
import shapely

from gisapp.analysis.deadends import DeadEndSettings, classify_dead_ends
from gisapp.analysis.network import build_network

RIVER = shapely.LineString([(-500, 100), (2500, 100)])


def _categories(offset=None):
    lines = [
        shapely.LineString([(0, 0), (2000, 0)]),
        shapely.LineString([(1000, 0), (1000, 80)]),
        shapely.LineString([(0, 200), (2000, 200)]),
        shapely.LineString([(1000, 200), (1000, 120)]),
    ]
    labels = ["A", "B", "C", "D"]
    if offset is not None:
        lines.append(shapely.LineString([(1000 + offset, 0), (1000 + offset, 200)]))
        labels.append("E")
    net = build_network(lines, labels=labels)
    dead = classify_dead_ends(net, DeadEndSettings(detour_factor=10.0), water=[RIVER])
    inner = dead[dead["road"].isin(["B", "D"])]
    return dict(zip(inner["road"], inner["category"], strict=True)), inner


def test_no_crossing_anywhere_is_a_missing_bridge():
    found, inner = _categories()
    assert found == {"B": "missing_bridge", "D": "missing_bridge"}
    assert list(inner["gap_m"]) == [40.0, 40.0]


def test_bridge_close_by_means_no_missing_bridge():
    # 280 + 2 × 50 = 380 m ≤ 400 m.
    found, _ = _categories(offset=50)
    assert "missing_bridge" not in found.values()


def test_bridge_far_off_still_leaves_a_missing_bridge():
    # 280 + 2 × 100 = 480 m > 400 m.
    found, _ = _categories(offset=100)
    assert found == {"B": "missing_bridge", "D": "missing_bridge"}


def test_production_road_may_end_in_a_field():
    lines = [
        shapely.LineString([(0, 0), (2000, 0)]),
        shapely.LineString([(500, 0), (500, 800)]),
        shapely.LineString([(1500, 0), (1500, 800)]),
    ]
    net = build_network(lines, labels=["county", "field", "village"])
    through = np.array([True, False, True])
    dead = classify_dead_ends(net, DeadEndSettings(), through=through)
    found = dict(zip(dead["road"], dead["category"], strict=False))
    assert found["field"] == "local_end"
    assert found["village"] == "dead_end"

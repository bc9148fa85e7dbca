"""Bridges placed on the network: by coordinates, by their own route, or by chainage.

route X001 in two pieces: (0,0)-(1000,0) km 0–1, (1000,0)-(3000,0) km 1–3
route C001 in one piece without chainages: (2000,0)-(2000,1000)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.analysis import load_rules
from gisapp.analysis.roads import RoadInputs, analyse_roads


@pytest.fixture(scope="module")
def bridges():
    roads = pd.DataFrame(
        {
            "code": ["X001", "X001", "C001"],
            "road_class": ["county", "county", "village"],
            "surface": ["asphalt", "asphalt", "cement"],
            "start_km": [0.0, 1.0, np.nan],
            "end_km": [1.0, 3.0, np.nan],
        }
    )
    geoms = np.array(
        [
            shapely.LineString([(0, 0), (1000, 0)]),
            shapely.LineString([(1000, 0), (3000, 0)]),
            shapely.LineString([(2000, 0), (2000, 1000)]),
        ],
        dtype=object,
    )
    table = pd.DataFrame(
        {
            "code": ["B1", "B2", "B3", "B4"],
            "road_code": ["X001", "C001", "C001", "Y999"],
            "chainage_km": [2.5, 0.4, np.nan, 1.0],
            "condition_class": [4, 5, 2, 5],
        }
    )
    xy = np.array([[np.nan, np.nan], [np.nan, np.nan], [2005.0, 0.0], [np.nan, np.nan]])
    village = np.array([[2000.0, 1000.0]])
    inputs = RoadInputs(roads, geoms, village, table, xy, village)
    return analyse_roads(inputs, load_rules()).bridges.set_index("code")


def test_placed_by_route_and_chainage(bridges):
    # Km 2.5 of X001 lies on its second piece, 1.5 km from (1000, 0).
    assert (bridges.loc["B1", "x"], bridges.loc["B1", "y"]) == (2500.0, 0.0)
    assert bridges.loc["B1", "placed_by"] == "按路线编码和桩号定位"
    # C001 has no chainages: 0.4 km from its start.
    assert (bridges.loc["B2", "x"], bridges.loc["B2", "y"]) == (2000.0, 400.0)
    assert bridges.loc["B2", "on_road"] == "C001"


def test_own_route_wins_over_a_nearer_road(bridges):
    # B3 lies on X001 (0 m) and 5 m from C001, the route it belongs to.
    assert bridges.loc["B3", "on_road"] == "C001"
    assert bridges.loc["B3", "snap_m"] == 5.0
    assert bridges.loc["B3", "placed_by"] == "坐标"


def test_bridge_of_an_unknown_route_has_no_place(bridges):
    assert bridges.loc["B4", "placed_by"] == "无位置"
    assert bridges.loc["B4", "edge"] == -1
    # The village beyond B2 has only C001: B2 cuts it off; B4 cuts nothing.
    assert bridges.loc["B2", "villages_cut_off"] == [0]
    assert bridges.loc["B4", "villages_cut_off"] == []

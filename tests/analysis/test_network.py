"""Building the network: repairs made, and what is never joined."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gisapp.analysis.network import build_network


def L(*pts):
    return shapely.LineString(pts)


def test_line_drawn_twice_is_kept_once():
    lines = [L((0, 0), (100, 0)), L((100, 0), (0, 0)), L((100, 0), (100, 50))]
    net = build_network(lines, labels=["a", "b", "c"])
    dup = net.edits[net.edits["kind"] == "duplicate"]
    assert list(dup["road"]) == ["b"]
    assert list(dup["other_road"]) == ["a"]
    assert dup["distance_m"].iloc[0] == pytest.approx(100.0)
    assert net.n_edges == 2
    assert net.edge_length.sum() == pytest.approx(150.0)


def test_line_inside_a_longer_one_is_dropped():
    lines = [L((0, 0), (300, 0)), L((100, 0), (200, 0))]
    net = build_network(lines, labels=["long", "piece"])
    dup = net.edits[net.edits["kind"] == "duplicate"]
    assert list(dup["road"]) == ["piece"]
    assert net.edge_length.sum() == pytest.approx(300.0)


def test_partial_overlap_is_reported():
    lines = [L((0, 0), (200, 0)), L((150, 0), (400, 0))]
    net = build_network(lines, labels=["west", "east"])
    overlap = net.edits[net.edits["kind"] == "overlap"]
    assert len(overlap) == 1
    assert overlap["distance_m"].iloc[0] == pytest.approx(50.0)
    assert net.components()[0] == 1


def test_crossing_at_one_level_is_a_junction():
    lines = [L((0, 0), (200, 0)), L((100, -100), (100, 100))]
    net = build_network(lines, labels=["x", "y"])
    assert net.n_edges == 4
    assert net.degree().max() == 4
    assert list(net.edits["kind"]) == ["crossing"]


def test_crossing_at_two_levels_is_not():
    lines = [L((0, 0), (200, 0)), L((100, -100), (100, 100))]
    net = build_network(lines, level=[0, 1], labels=["road", "viaduct"])
    assert net.n_edges == 2
    assert net.components()[0] == 2
    assert net.edits.empty


def test_bridge_joins_the_road_at_its_own_ends():
    # A level-1 bridge between two ground pieces; ends 0.3 m apart still join.
    lines = [L((0, 0), (100, 0)), L((100.3, 0), (150, 0)), L((150, 0), (250, 0))]
    net = build_network(lines, level=[0, 1, 0], labels=["w", "bridge", "e"])
    assert net.components()[0] == 1
    merge = net.edits[net.edits["kind"] == "node_merge"]
    assert merge["distance_m"].iloc[0] == pytest.approx(0.3)


def test_ground_end_under_a_viaduct_is_not_joined_to_it():
    lines = [L((0, 0), (200, 0)), L((100, 50), (100, 0.5))]
    net = build_network(lines, level=[1, 0], labels=["viaduct", "lane"])
    assert net.components()[0] == 2


def test_undershoot_beyond_the_tolerance_stays_open():
    lines = [L((0, 0), (200, 0)), L((100, 50), (100, 3.0))]
    net = build_network(lines, tolerance=2.0, labels=["road", "lane"])
    assert net.components()[0] == 2
    net = build_network(lines, tolerance=5.0, labels=["road", "lane"])
    assert net.components()[0] == 1
    assert net.edits["kind"].tolist() == ["undershoot"]


def test_multi_part_lines_and_empty_geometries():
    lines = [
        shapely.MultiLineString([[(0, 0), (10, 0)], [(20, 0), (30, 0)]]),
        None,
        shapely.LineString(),
        L((10, 0), (20, 0)),
    ]
    net = build_network(lines, labels=["m", "none", "empty", "link"])
    assert net.components()[0] == 1
    assert net.edge_length.sum() == pytest.approx(30.0)
    assert sorted(set(net.line_labels)) == ["link", "m"]


def test_long_straight_lines_cross_once():
    # Segments longer than the search piece are cut for the search only.
    lines = [L((0, 0), (5000, 5000)), L((0, 5000), (5000, 0))]
    net = build_network(lines, labels=["a", "b"])
    crossing = net.edits[net.edits["kind"] == "crossing"]
    assert len(crossing) == 1
    assert (crossing["x"].iloc[0], crossing["y"].iloc[0]) == pytest.approx((2500, 2500))
    assert np.sort(net.edge_length) == pytest.approx([2500 * np.sqrt(2)] * 4)

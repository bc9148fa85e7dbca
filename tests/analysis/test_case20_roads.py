"""Case 20: undershoots, overshoots, unnoded T-junctions, a gap and an overpass.

Expected results come from ``cases/20-road-undershoot-tjunction/expected.json``:
the false dead ends are repaired within 2 m, the 35 m gap between R7 and R8 is
flagged and not joined, the viaduct R9 does not meet R2, and three connected
parts remain.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.analysis import analyse
from gisapp.analysis.deadends import DeadEndSettings, classify_dead_ends
from gisapp.analysis.network import build_network
from gisapp.model.project import load_project

CASE = "20-road-undershoot-tjunction"


@pytest.fixture(scope="module")
def case_dir(cases_dir):
    return cases_dir / CASE


@pytest.fixture(scope="module")
def roads(case_dir):
    return gpd.read_file(case_dir / "roads.shp")


@pytest.fixture(scope="module")
def expected(case_dir):
    return json.loads((case_dir / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def net(roads, expected):
    tol = expected["suggested_snap_tolerance_m"]
    return build_network(
        roads.geometry.values, roads["CENGJI"], tol, labels=roads["ID"]
    )


def _sets(groups):
    return sorted(sorted(g) for g in groups)


def test_components_after_repair(net, expected):
    assert _sets(net.line_components()) == _sets(
        expected["connected_components_after_fix"]
    )


def test_false_dead_ends_are_listed_as_edits(net):
    edits = net.edits[net.edits["kind"] != "node_merge"].set_index("road")
    assert edits.loc["R2", "kind"] == "undershoot"
    assert edits.loc["R2", "other_road"] == "R1"
    assert edits.loc["R2", "distance_m"] == pytest.approx(0.6)
    assert edits.loc["R3", "kind"] == "overshoot"
    assert edits.loc["R3", "distance_m"] == pytest.approx(1.2)
    # R3 is cut back to where it crosses R1, at x = 502000.
    assert edits.loc["R3", "x"] == pytest.approx(502000.0)
    assert edits.loc["R3", "y"] == pytest.approx(3040000.0)
    for road, x in (("R4", 503000.0), ("R6", 504000.0), ("R7", 505000.0)):
        assert edits.loc[road, "kind"] == "tjunction"
        assert edits.loc[road, "other_road"] == "R1"
        assert edits.loc[road, "x"] == pytest.approx(x)
    merge = net.edits[net.edits["kind"] == "node_merge"].iloc[0]
    assert {merge["road"], merge["other_road"]} == {"R4", "R5"}
    assert merge["distance_m"] == pytest.approx(0.05)
    assert len(net.edits) == 6


def test_viaduct_does_not_meet_the_road_below(net):
    # R9 (CENGJI = 1) crosses R2 at (501000, 3041800): no node may sit there.
    d = np.hypot(*(net.node_xy - [501000.0, 3041800.0]).T)
    assert d.min() > 100.0


def test_overshoot_is_trimmed_from_the_length(net, roads):
    # R3 runs 1801.2 m; 1.2 m of it lies past R1 and is cut off.
    r3 = np.flatnonzero(net.line_labels[net.edge_line] == "R3")
    assert net.edge_length[r3].sum() == pytest.approx(1800.0)


def _fixture_places():
    """Villages at the ends of R2, R3 and R8 and the hamlet at R5's end; the
    data's edge beside R1's and R9's western ends and R1's eastern end."""
    destinations = np.array(
        [
            [501000.0, 3042500.0],
            [502000.0, 3038200.0],
            [505000.0, 3042400.0],
            [503600.0, 3043100.0],
        ]
    )
    boundary = shapely.MultiLineString(
        [
            [(499800.0, 3035000.0), (499800.0, 3045000.0)],
            [(506200.0, 3035000.0), (506200.0, 3045000.0)],
        ]
    )
    return destinations, boundary


def test_dead_ends_are_classified(net):
    destinations, boundary = _fixture_places()
    dead = classify_dead_ends(net, DeadEndSettings(), destinations, boundary)
    where = {
        (round(x), round(y)): row
        for x, y, row in zip(dead["x"], dead["y"], dead.itertuples(), strict=True)
    }
    # R6's southern end at the hamlet: a genuine 断头路.
    assert where[(504300, 3038500)].category == "dead_end"
    # R7/R8: 35 m apart, in different parts, flagged and not joined.
    r7, r8 = where[(505000, 3041200)], where[(505000, 3041235)]
    assert (r7.category, r7.other_road, r7.gap_m) == ("missing_link", "R8", 35.0)
    assert (r8.category, r8.other_road, r8.gap_m) == ("missing_link", "R7", 35.0)
    assert r7.component != r8.component
    for end in (
        (501000, 3042500),
        (502000, 3038200),
        (505000, 3042400),
        (503600, 3043100),
    ):
        assert where[end].category == "destination"
    for end in ((500000, 3040000), (506000, 3040000), (499500, 3041800)):
        assert where[end].category == "boundary"
    # R9's eastern end: nothing in the fixture explains it.
    assert where[(502500, 3041800)].category == "dead_end"
    assert len(dead) == 11


def test_gap_across_a_river_is_a_suspected_missing_bridge(net):
    river = shapely.LineString([(504000.0, 3041217.0), (506000.0, 3041217.0)])
    dead = classify_dead_ends(net, DeadEndSettings(), water=[river])
    flagged = dead[dead["category"] == "missing_bridge"]
    assert sorted(flagged["road"]) == ["R7", "R8"]
    assert list(flagged["gap_m"]) == [35.0, 35.0]


def test_tolerance_too_small_leaves_the_false_dead_ends(roads):
    # At 1 cm only the exact T-junctions and the crossing of R3 join R1.
    net = build_network(
        roads.geometry.values, roads["CENGJI"], 0.01, labels=roads["ID"]
    )
    assert _sets(net.line_components()) == _sets(
        [["R1", "R3", "R4", "R6", "R7"], ["R2"], ["R5"], ["R8"], ["R9"]]
    )


def test_case_through_the_reader_and_the_engine(case_dir):
    """Read as a user would (DLMC, DJ, CENGJI columns) and analysed whole."""
    project = load_project(case_dir / "roads.shp")
    report = analyse(project)
    parts = _sets(report.roads.network.line_components())
    assert parts == _sets(
        [
            [
                "县道X012",
                "上坝村通村路",
                "岩脚村通村路",
                "龙潭村通村路",
                "龙潭组通组路",
                "新寨组断头路",
                "坪上村产业路",
            ],
            ["坪上村产业路(对岸)"],
            ["G65高速(高架)"],
        ]
    )
    assert report.roads.summary["components"] == 3
    dead = report.roads.dead_ends
    r6_end = dead[(dead["x"].round() == 504300) & (dead["y"].round() == 3038500)]
    assert list(r6_end["category_zh"]) == ["断头路"]
    gap = dead[dead["category"] == "missing_link"]
    assert sorted(gap["road"]) == ["坪上村产业路", "坪上村产业路(对岸)"]
    assert report.rules_name == "jingmen-2016 v2016.1"

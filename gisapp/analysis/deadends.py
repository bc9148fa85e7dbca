"""Classify the dead ends of a road network.

A road end that meets nothing is one of:

* ``review``: another road passes just beyond the snapping tolerance, most likely a
  digitising error to check by eye (疑似未接边);
* ``missing_bridge``: a road lies across a river or lake within reach (疑似缺桥);
* ``missing_link``: a road of another connected part lies within reach, not
  across water (疑似缺失连接);
* ``destination``: the end is at a village, a township seat or another place a
  road may end (到达目的地);
* ``boundary``: the end is at the city boundary, where the data stop (市界);
* ``dead_end``: a genuine dead-end road, 断头路, that should connect through.

Gaps are flagged, never joined: only the office can say a bridge is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from gisapp.analysis.network import RoadNetwork

CATEGORY_ZH = {
    "review": "疑似未接边(超出容差)",
    "missing_bridge": "疑似缺桥(隔河)",
    "missing_link": "疑似缺失连接",
    "destination": "到达目的地",
    "boundary": "到达市界",
    "dead_end": "断头路",
}


@dataclass(frozen=True)
class DeadEndSettings:
    """Distances in metres, from the rules file's ``[roads]`` table."""

    review_m: float = 10.0
    missing_link_m: float = 100.0
    missing_bridge_m: float = 600.0
    destination_m: float = 300.0
    boundary_m: float = 500.0


def classify_dead_ends(
    net: RoadNetwork,
    settings: DeadEndSettings,
    destinations: np.ndarray | None = None,
    boundary=None,
    water=None,
) -> pd.DataFrame:
    """One row per dead end with its category and the evidence for it.

    Parameters
    ----------
    net : RoadNetwork
    settings : DeadEndSettings
    destinations : ndarray, shape (n, 2), optional
        Places a road may end at (villages, seats, sites), in the network's metres.
    boundary : shapely geometry, optional
        The city boundary line in metres.
    water : array of shapely geometries, optional
        Rivers and lakes in metres.

    Returns
    -------
    DataFrame
        node, x, y, road (label), component, category, category_zh, gap_m,
        other_road.
    """
    deg = net.degree()
    nodes = np.flatnonzero(deg == 1)
    cols = [
        "node",
        "x",
        "y",
        "road",
        "component",
        "category",
        "category_zh",
        "gap_m",
        "other_road",
    ]
    if not len(nodes):
        return pd.DataFrame(columns=cols)
    _, comp = net.components()
    own_line = _own_line(net, nodes)
    xy = net.node_xy[nodes]
    points = shapely.points(xy)

    gap, other, other_comp_gap, other_comp_line, crossing = _nearest_roads(
        net, nodes, own_line, points, settings, water
    )
    category = np.full(len(nodes), "dead_end", dtype=object)
    at_boundary = _within(points, boundary, settings.boundary_m)
    category[at_boundary] = "boundary"
    if destinations is not None and len(destinations):
        d, _ = cKDTree(np.asarray(destinations)).query(xy)
        category[d <= settings.destination_m] = "destination"
    category[other_comp_gap <= settings.missing_link_m] = "missing_link"
    category[crossing & (gap <= settings.missing_bridge_m)] = "missing_bridge"
    category[(gap <= settings.review_m) & ~crossing] = "review"

    use_other = category == "missing_link"
    other_line = np.where(use_other, other_comp_line, other)
    gap_out = np.where(use_other, other_comp_gap, gap)
    return pd.DataFrame(
        {
            "node": nodes,
            "x": xy[:, 0],
            "y": xy[:, 1],
            "road": net.line_labels[own_line],
            "component": comp[nodes],
            "category": category,
            "category_zh": [CATEGORY_ZH[c] for c in category],
            "gap_m": np.where(np.isfinite(gap_out), np.round(gap_out, 1), np.nan),
            "other_road": [net.line_labels[k] if k >= 0 else None for k in other_line],
        },
        columns=cols,
    )


def _own_line(net: RoadNetwork, nodes: np.ndarray) -> np.ndarray:
    """The line of the single edge at each dead-end node."""
    ends = np.concatenate([net.edge_u, net.edge_v])
    lines = np.concatenate([net.edge_line, net.edge_line])
    order = np.argsort(ends, kind="stable")
    pos = np.searchsorted(ends[order], nodes)
    return lines[order][pos]


def _nearest_roads(net, nodes, own_line, points, settings, water):
    """Nearest other road to each end, nearest of another part, and water between."""
    n = len(nodes)
    reach = max(settings.missing_bridge_m, settings.missing_link_m, settings.review_m)
    tree = shapely.STRtree(net.lines)
    pi, li = tree.query(points, predicate="dwithin", distance=reach)
    keep = li != own_line[pi]
    pi, li = pi[keep], li[keep]
    dist = shapely.distance(points[pi], net.lines[li])

    gap = np.full(n, np.inf)
    other = np.full(n, -1)
    order = np.lexsort((dist, pi))
    first = _firsts(pi[order])
    gap[pi[order][first]] = dist[order][first]
    other[pi[order][first]] = li[order][first]

    _, comp = net.components()
    line_comp = _line_components(net, comp)
    differ = line_comp[li] != comp[nodes][pi]
    pd_, ld, dd = pi[differ], li[differ], dist[differ]
    comp_gap = np.full(n, np.inf)
    comp_line = np.full(n, -1)
    order = np.lexsort((dd, pd_))
    first = _firsts(pd_[order])
    comp_gap[pd_[order][first]] = dd[order][first]
    comp_line[pd_[order][first]] = ld[order][first]

    cross_any = _across_water(points, net.lines, other, water)
    cross_comp = _across_water(points, net.lines, comp_line, water)
    # Prefer the road of another part when the water lies between.
    take_comp = cross_comp & ~cross_any
    gap = np.where(take_comp, comp_gap, gap)
    other = np.where(take_comp, comp_line, other)
    return gap, other, comp_gap, comp_line, cross_any | cross_comp


def _across_water(points, lines, target, water) -> np.ndarray:
    """Whether the shortest line from each point to its target line meets water."""
    out = np.zeros(len(points), bool)
    has = target >= 0
    if water is None or not len(water) or not has.any():
        return out
    gaps = shapely.shortest_line(points[has], lines[target[has]])
    hit, _ = shapely.STRtree(np.asarray(water)).query(gaps, predicate="intersects")
    crossed = np.zeros(int(has.sum()), bool)
    crossed[np.unique(hit)] = True
    out[np.flatnonzero(has)] = crossed
    return out


def _firsts(sorted_keys: np.ndarray) -> np.ndarray:
    first = np.ones(len(sorted_keys), bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return first


def _line_components(net: RoadNetwork, comp: np.ndarray) -> np.ndarray:
    """Component of each line (-1 for a line with no edge left)."""
    out = np.full(len(net.lines), -1)
    out[net.edge_line] = comp[net.edge_u]
    return out


def _within(points, geometry, distance: float) -> np.ndarray:
    if geometry is None or shapely.is_empty(geometry):
        return np.zeros(len(points), bool)
    shapely.prepare(geometry)
    return shapely.dwithin(points, geometry, distance)

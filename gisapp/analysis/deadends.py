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
* ``local_end``: the end of a production road or household path, which may end
  in a field or at a house (生产路、入户路尽端);
* ``dead_end``: a genuine dead-end road, 断头路, that should connect through.

Gaps are flagged, never joined: only the office can say a bridge is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from gisapp.analysis.network import RoadNetwork

CATEGORY_ZH = {
    "review": "疑似未接边(超出容差)",
    "missing_bridge": "疑似缺桥(隔河)",
    "missing_link": "疑似缺失连接",
    "destination": "到达目的地",
    "boundary": "到达市界",
    "local_end": "生产路、入户路尽端",
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
    detour_factor: float = 10.0


def classify_dead_ends(
    net: RoadNetwork,
    settings: DeadEndSettings,
    destinations: np.ndarray | None = None,
    boundary=None,
    water=None,
    through=None,
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
    through : ndarray of bool, optional
        Per line of the network: whether the road should connect through
        (all but production roads and household paths); ends of the others are
        ``local_end`` unless a gap is suspected. All lines by default.

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

    gap, other, comp_gap, comp_line, bridge_gap, bridge_line = _nearest_roads(
        net, nodes, own_line, points, settings, water
    )
    category = np.full(len(nodes), "dead_end", dtype=object)
    if through is not None:
        category[~np.asarray(through, bool)[own_line]] = "local_end"
    category[_within(points, boundary, settings.boundary_m)] = "boundary"
    if destinations is not None and len(destinations):
        d, _ = cKDTree(np.asarray(destinations)).query(xy)
        category[d <= settings.destination_m] = "destination"
    link = comp_gap <= settings.missing_link_m
    category[link] = "missing_link"
    across = bridge_gap <= settings.missing_bridge_m
    across &= _long_detour(net, nodes, points, bridge_line, bridge_gap, settings)
    category[across] = "missing_bridge"
    review = (gap <= settings.review_m) & ~(across & (bridge_gap <= gap))
    category[review] = "review"

    other_line = np.where(across, bridge_line, np.where(link, comp_line, other))
    gap_out = np.where(across, bridge_gap, np.where(link, comp_gap, gap))
    gap_out = np.where(category == "review", gap, gap_out)
    other_line = np.where(category == "review", other, other_line)
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
    """For each end: the nearest other road, the nearest road of another connected
    part, and the nearest road across water, each within its reach."""
    n = len(nodes)
    reach = max(settings.missing_link_m, settings.review_m)
    pi, li = net.tree.query(points, predicate="dwithin", distance=reach)
    keep = li != own_line[pi]
    pi, li = pi[keep], li[keep]
    dist = shapely.distance(points[pi], net.lines[li])
    gap, other = _nearest_per_point(n, pi, li, dist)

    _, comp = net.components()
    differ = _line_components(net, comp)[li] != comp[nodes][pi]
    comp_gap, comp_line = _nearest_per_point(n, pi[differ], li[differ], dist[differ])
    bridge_gap, bridge_line = _across_water(net, own_line, points, water, settings)
    return gap, other, comp_gap, comp_line, bridge_gap, bridge_line


def _nearest_per_point(n, pi, li, dist):
    best = np.full(n, np.inf)
    line = np.full(n, -1)
    order = np.lexsort((dist, pi))
    first = _firsts(pi[order])
    best[pi[order][first]] = dist[order][first]
    line[pi[order][first]] = li[order][first]
    return best, line


def _across_water(net, own_line, points, water, settings):
    """The nearest road whose shortest link from the end crosses a river or lake."""
    n = len(points)
    if water is None or not len(water):
        return np.full(n, np.inf), np.full(n, -1)
    reach = settings.missing_bridge_m
    water_tree = shapely.STRtree(np.asarray(water))
    near_water, _ = water_tree.query(points, predicate="dwithin", distance=reach)
    near_water = np.unique(near_water)
    pi, li = net.tree.query(points[near_water], predicate="dwithin", distance=reach)
    pi = near_water[pi]
    keep = li != own_line[pi]
    pi, li = pi[keep], li[keep]
    links = shapely.shortest_line(points[pi], net.lines[li])
    hit, _ = water_tree.query(links, predicate="intersects")
    hit = np.unique(hit)
    pi, li = pi[hit], li[hit]
    return _nearest_per_point(n, pi, li, shapely.length(links[hit]))


def _long_detour(net, nodes, points, other_line, gap, settings) -> np.ndarray:
    """Whether the way round by road is more than ``detour_factor`` times the gap.

    A road across the water that the network already reaches nearby, over an
    existing bridge, is no missing bridge.
    """
    out = np.isfinite(gap)
    cand = np.flatnonzero(out & (other_line >= 0))
    if not len(cand):
        return out
    t = shapely.line_locate_point(net.lines[other_line[cand]], points[cand])
    edge = net.edge_at(other_line[cand], t)
    ok = edge >= 0
    cand, edge = cand[ok], edge[ok]
    limit = settings.detour_factor * gap[cand]
    targets = np.column_stack([net.edge_u[edge], net.edge_v[edge]])
    way = _local_distances(net, nodes[cand], targets, limit)
    out[cand] = way.min(axis=1) > limit
    return out


def _local_distances(net, sources, targets, limit) -> np.ndarray:
    """Road distance from each source to each of its targets, inf beyond its limit.

    Sources are taken a grid cell at a time on the part of the network within
    reach of the cell (no road distance is shorter than the straight one), so
    that no search runs over the whole network.
    """
    out = np.full(targets.shape, np.inf)
    size = float(limit.max())
    if size <= 0:
        return out
    graph = net.matrix()
    xy = net.node_xy
    grid = np.floor((xy - xy.min(axis=0)) / size).astype(np.int64) + 1
    width = int(grid[:, 1].max()) + 2
    node_key = grid[:, 0] * width + grid[:, 1]
    order = np.argsort(node_key, kind="stable")
    sorted_key = node_key[order]
    src_key = node_key[sources]
    local = np.full(net.n_nodes, -1)
    for key in np.unique(src_key):
        mine = np.flatnonzero(src_key == key)
        near = np.concatenate(
            [
                order[
                    np.searchsorted(sorted_key, key + dx * width - 1) : np.searchsorted(
                        sorted_key, key + dx * width + 1, side="right"
                    )
                ]
                for dx in (-1, 0, 1)
            ]
        )
        local[near] = np.arange(len(near))
        sub = graph[near][:, near]
        dist = dijkstra(
            sub, directed=False, indices=local[sources[mine]], limit=limit[mine].max()
        )
        for col in range(targets.shape[1]):
            tgt = local[targets[mine, col]]
            has = np.flatnonzero(tgt >= 0)
            out[mine[has], col] = dist[has, tgt[has]]
        local[near] = -1
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

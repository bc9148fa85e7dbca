"""How each village is reached from the county road network, and what bridges cut.

For every village the route from the county network is the one with the least
unhardened road, then the shortest; the unhardened length on it is what must be
hardened to close the gap (通沥青(水泥)路). Dangerous bridges are counted on that
route, and for each dangerous bridge the villages that would lose every road to
the county network without it are listed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, dijkstra
from scipy.spatial import cKDTree

from gisapp.analysis.network import RoadNetwork

log = logging.getLogger(__name__)

# Unhardened metres weigh this much more than hardened ones when choosing a route,
# so the route with least unhardened road wins and length only breaks ties.
UNHARDENED_WEIGHT = 1000.0
_SEED = 20160101


@dataclass
class Access:
    """Per-village access figures, aligned with the village points given.

    Attributes
    ----------
    node : ndarray of int
        Network node serving each village (-1 when none within reach).
    node_distance_m : ndarray
        Straight distance from the village to that node.
    connected : ndarray of bool
        Reached from the county network by hardened roads only.
    reachable : ndarray of bool
        Reached from the county network by any road.
    unhardened_m : ndarray
        Unhardened length on the best route (NaN when not reachable).
    new_road_m : ndarray
        Straight distance to the nearest node reached by hardened road, for
        villages no road reaches (0 otherwise).
    dangerous_on_route : ndarray of int
    """

    node: np.ndarray
    node_distance_m: np.ndarray
    connected: np.ndarray
    reachable: np.ndarray
    unhardened_m: np.ndarray
    new_road_m: np.ndarray
    dangerous_on_route: np.ndarray
    route_length_m: np.ndarray
    pred: np.ndarray
    pred_edge: np.ndarray


def serve_nodes(net: RoadNetwork, xy: np.ndarray, reach_m: float):
    """The nearest used network node to each point within ``reach_m`` (else -1)."""
    used = np.flatnonzero(net.degree() > 0)
    node = np.full(len(xy), -1)
    dist = np.full(len(xy), np.inf)
    if not len(used) or not len(xy):
        return node, dist
    tree = cKDTree(net.node_xy[used], balanced_tree=False, compact_nodes=False)
    d, k = tree.query(xy)
    ok = d <= reach_m
    node[ok] = used[k[ok]]
    dist[:] = d
    return node, dist


def village_access(
    net: RoadNetwork,
    village_xy: np.ndarray,
    hardened: np.ndarray,
    county: np.ndarray,
    edge_dangerous: np.ndarray,
    reach_m: float,
) -> Access:
    """Route, unhardened gap and dangerous bridges for every village.

    Parameters
    ----------
    net : RoadNetwork
    village_xy : ndarray, shape (n, 2)
        Village points in the network's metres.
    hardened, county : ndarray of bool, one per edge
        Whether an edge is hardened, and whether it belongs to the county network.
    edge_dangerous : ndarray of int, one per edge
        Dangerous bridges on each edge.
    reach_m : float
        Farthest a village may lie from the network and still be served by it.
    """
    node, node_dist = serve_nodes(net, village_xy, reach_m)
    n = net.n_nodes
    if n == 0:
        return _no_roads(node, node_dist)
    sources = _county_nodes(net, county)
    length = net.edge_length
    unh = np.where(hardened, 0.0, length)
    weight = length + UNHARDENED_WEIGHT * unh

    dist, pred, pred_edge = _tree_from(net, sources, weight)
    reached = np.isfinite(dist)
    unh_acc = _accumulate(pred, _edge_values(pred_edge, unh), reached)
    len_acc = _accumulate(pred, _edge_values(pred_edge, length), reached)
    danger_acc = _accumulate(pred, _edge_values(pred_edge, edge_dangerous), reached)

    has = node >= 0
    v_node = np.where(has, node, 0)
    reachable = has & reached[v_node]
    unhardened = np.where(reachable, unh_acc[v_node], np.nan)
    connected = reachable & (unhardened <= 1e-6)

    hard_ok = np.zeros(n, bool)
    hard_ok[reached] = unh_acc[reached] <= 1e-6
    new_road = _new_road(net, village_xy, node, reachable, hard_ok)
    return Access(
        node=node,
        node_distance_m=node_dist,
        connected=connected,
        reachable=reachable,
        unhardened_m=unhardened,
        new_road_m=new_road,
        dangerous_on_route=np.where(reachable, danger_acc[v_node], 0).astype(int),
        route_length_m=np.where(reachable, len_acc[v_node], np.nan),
        pred=pred,
        pred_edge=pred_edge,
    )


def _no_roads(node, node_dist) -> Access:
    """Access when there are no roads at all: nothing reached, nothing to measure."""
    count = len(node)
    nan = np.full(count, np.nan)
    empty = np.empty(0, dtype=np.int64)
    return Access(
        node=node,
        node_distance_m=node_dist,
        connected=np.zeros(count, bool),
        reachable=np.zeros(count, bool),
        unhardened_m=nan,
        new_road_m=nan.copy(),
        dangerous_on_route=np.zeros(count, int),
        route_length_m=nan.copy(),
        pred=empty,
        pred_edge=empty,
    )


def _new_road(net, village_xy, node, reachable, hard_ok) -> np.ndarray:
    """Straight length of new road to join each unreached village's roads (or the
    village itself, when no road is near) to a node reached by hardened road."""
    out = np.zeros(len(village_xy))
    far = ~reachable
    if not far.any():
        return out
    if not hard_ok.any():
        out[far] = np.nan
        return out
    tree = cKDTree(
        net.node_xy[np.flatnonzero(hard_ok)], balanced_tree=False, compact_nodes=False
    )
    out[far] = tree.query(village_xy[far])[0]
    on_road = far & (node >= 0)
    if on_road.any():
        _, comp = net.components()
        used = np.flatnonzero(comp >= 0)
        d = tree.query(net.node_xy[used])[0]
        best = np.full(int(comp.max()) + 1, np.inf)
        np.minimum.at(best, comp[used], d)
        out[on_road] = best[comp[node[on_road]]]
    return out


def _county_nodes(net: RoadNetwork, county: np.ndarray) -> np.ndarray:
    return np.unique(np.concatenate([net.edge_u[county], net.edge_v[county]]))


def _tree_from(net: RoadNetwork, sources: np.ndarray, weight: np.ndarray):
    """Shortest-path tree from the nearest source: distance, parent, parent edge."""
    n = net.n_nodes
    dist = np.full(n, np.inf)
    pred = np.full(n, -1)
    pred_edge = np.full(n, -1)
    if not len(sources) or not net.n_edges:
        return dist, pred, pred_edge
    graph = net.matrix(weight)
    dist, pred, _ = dijkstra(
        graph, directed=False, indices=sources, min_only=True, return_predecessors=True
    )
    pred = np.where(pred < 0, -1, pred)
    pred_edge = edge_between(net, pred, np.arange(n), weight)
    return dist, pred, pred_edge


def edge_between(net: RoadNetwork, a: np.ndarray, b: np.ndarray, weight) -> np.ndarray:
    """The lightest edge joining each pair of nodes (-1 where ``a`` is -1)."""
    out = np.full(len(a), -1)
    ok = a >= 0
    if not ok.any():
        return out
    n = np.int64(net.n_nodes)
    key_e = np.minimum(net.edge_u, net.edge_v) * n + np.maximum(net.edge_u, net.edge_v)
    order = np.lexsort((weight, key_e))
    keys = key_e[order]
    key_q = np.minimum(a[ok], b[ok]) * n + np.maximum(a[ok], b[ok])
    pos = np.searchsorted(keys, key_q)
    out[ok] = order[np.minimum(pos, len(keys) - 1)]
    return out


def _edge_values(pred_edge: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.zeros(len(pred_edge), dtype=float)
    has = pred_edge >= 0
    out[has] = values[pred_edge[has]]
    return out


def _accumulate(
    pred: np.ndarray, values: np.ndarray, reached: np.ndarray
) -> np.ndarray:
    """Sum of ``values`` from each node up its tree to the root (pointer jumping)."""
    n = len(pred)
    jump = np.where(pred >= 0, pred, np.arange(n))
    acc = np.where(reached, values, 0.0).astype(float)
    roots = jump == np.arange(n)
    acc[roots] = np.where(reached[roots], values[roots], 0.0)
    while True:
        nxt = jump[jump]
        acc = acc + np.where(jump != np.arange(n), acc[jump], 0.0)
        if np.array_equal(nxt, jump):
            break
        jump = nxt
    return acc


def route_edges(access: Access, village: int) -> list[int]:
    """The edges of a village's route, from the village to the county network."""
    node = access.node[village]
    if node < 0 or not access.reachable[village]:
        return []
    edges = []
    while access.pred[node] >= 0:
        edges.append(int(access.pred_edge[node]))
        node = access.pred[node]
    return edges


def cut_off(
    net: RoadNetwork,
    county: np.ndarray,
    village_node: np.ndarray,
    edges: np.ndarray,
) -> list[np.ndarray]:
    """For each edge in ``edges``, the villages it alone joins to the county network.

    A village is cut off by an edge when the edge is a bridge of the graph (in the
    graph-theory sense) between the village and every county road. Each edge not on
    a spanning tree gets a random 64-bit tag XOR-ed onto both its ends; a tree edge
    is a bridge exactly when the tags under it cancel out, which holds by chance for
    a non-bridge with probability 2⁻⁶⁴.
    """
    n = net.n_nodes
    sources = _county_nodes(net, county)
    if not len(sources) or not len(edges):
        return [np.empty(0, int) for _ in edges]
    root = n
    u = np.concatenate([net.edge_u, np.full(len(sources), root)])
    v = np.concatenate([net.edge_v, sources])
    graph = sparse.csr_matrix(
        (np.ones(2 * len(u)), (np.concatenate([u, v]), np.concatenate([v, u]))),
        shape=(n + 1, n + 1),
    )
    order, pred = breadth_first_order(
        graph, root, directed=False, return_predecessors=True
    )
    pred = np.where(pred < 0, -1, pred)

    tree_edge = _tree_edges(u, v, pred, n + 1)
    tag = np.zeros(n + 1, dtype=np.uint64)
    rng = np.random.default_rng(_SEED)
    non_tree = np.ones(len(u), bool)
    non_tree[tree_edge[tree_edge >= 0]] = False
    tags = rng.integers(1, 2**63, size=int(non_tree.sum()), dtype=np.uint64)
    np.bitwise_xor.at(tag, u[non_tree], tags)
    np.bitwise_xor.at(tag, v[non_tree], tags)
    subtree = _subtree_xor(tag, pred, order)

    child = np.full(len(u), -1)
    has = tree_edge >= 0
    child[tree_edge[has]] = np.flatnonzero(has)
    inside = _ancestor_flags(pred, order, village_node, child[edges], subtree)
    return inside


def _tree_edges(u, v, pred, n) -> np.ndarray:
    """For each node, one edge joining it to its parent (-1 for roots)."""
    key_e = np.minimum(u, v).astype(np.int64) * n + np.maximum(u, v)
    order = np.argsort(key_e, kind="stable")
    keys = key_e[order]
    nodes = np.arange(n)
    ok = pred >= 0
    out = np.full(n, -1)
    key_q = np.minimum(pred[ok], nodes[ok]).astype(np.int64) * n + np.maximum(
        pred[ok], nodes[ok]
    )
    out[ok] = order[np.searchsorted(keys, key_q)]
    return out


def _levels(pred: np.ndarray, order: np.ndarray) -> list[np.ndarray]:
    """Nodes of a breadth-first order grouped by depth (BFS visits depth by depth)."""
    n = len(pred)
    reached = np.zeros(n, bool)
    reached[order] = True
    ones = np.where(pred >= 0, 1.0, 0.0)
    depth = _accumulate(pred, ones, reached).astype(np.int64)[order]
    cuts = np.flatnonzero(np.diff(depth)) + 1
    return np.split(order, cuts)


def _subtree_xor(tag: np.ndarray, pred: np.ndarray, order: np.ndarray) -> np.ndarray:
    """XOR of the tags in each node's subtree, folded up from the deepest level."""
    acc = tag.copy()
    for level in reversed(_levels(pred, order)[1:]):
        np.bitwise_xor.at(acc, pred[level], acc[level])
    return acc


def _ancestor_flags(pred, order, village_node, children, subtree) -> list[np.ndarray]:
    """For each child node whose tree edge is a bridge, the villages under it."""
    n = len(pred)
    reached = np.zeros(n, bool)
    reached[order] = True
    valid = (children >= 0) & (subtree[np.maximum(children, 0)] == 0)
    flagged = np.zeros(n, bool)
    flagged[children[valid]] = True

    # nearest flagged ancestor-or-self of every node, parents before children
    near = np.where(flagged, np.arange(n), -1)
    for level in _levels(pred, order)[1:]:
        inherit = ~flagged[level]
        near[level[inherit]] = near[pred[level[inherit]]]

    members: dict[int, list[int]] = {}
    for k, node in enumerate(village_node):
        if node < 0 or not reached[node]:
            continue
        f = near[node]
        while f >= 0:
            members.setdefault(int(f), []).append(k)
            parent = pred[f]
            f = near[parent] if parent >= 0 else -1
    return [
        np.array(members.get(int(c), []) if ok else [], dtype=int)
        for c, ok in zip(children, valid, strict=True)
    ]

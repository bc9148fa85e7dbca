"""The array algorithms of the road analysis agree with plain networkx answers.

On a generated network: hardened connection, unhardened length on the best
route, and the villages each dangerous bridge cuts off, each answered again by
networkx one village and one bridge at a time on the same repaired graph.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from gisapp.analysis import load_rules
from gisapp.analysis.access import UNHARDENED_WEIGHT
from gisapp.analysis.inputs import points_xy
from gisapp.analysis.roads import RoadInputs, analyse_roads
from gisapp.sample.network import generate_network

METRIC = "EPSG:4547"


def _inputs(roads, vxy, bridges, bridge_xy):
    return RoadInputs(
        roads=roads.drop(columns="geometry"),
        road_geoms=np.asarray(roads.to_crs(METRIC).geometry.values),
        village_xy=vxy,
        bridges=bridges,
        bridge_xy=bridge_xy,
        destinations=vxy,
    )


@pytest.fixture(scope="module")
def case():
    sets = generate_network(120, 4000, seed=7)
    roads, villages, bridges = sets["roads"], sets["villages"], sets["bridges"]
    vxy = points_xy(np.asarray(villages.to_crs(METRIC).geometry.values))
    rules = load_rules()

    # Every generated bridge is made dangerous, and more are put on the edges
    # that networkx calls bridges (graph sense) next to a village, so that some
    # villages are cut off.
    first = analyse_roads(
        _inputs(
            roads, vxy, bridges.iloc[:0].drop(columns="geometry"), np.zeros((0, 2))
        ),
        rules,
    )
    net = first.network
    g = nx.Graph()
    g.add_edges_from(zip(net.edge_u.tolist(), net.edge_v.tolist(), strict=True))
    cut_edges = {frozenset(e) for e in nx.bridges(g)}
    village_nodes = set(first.access.node[first.access.node >= 0].tolist())
    picked = [
        e
        for e in range(net.n_edges)
        if frozenset((int(net.edge_u[e]), int(net.edge_v[e]))) in cut_edges
        and (int(net.edge_u[e]) in village_nodes or int(net.edge_v[e]) in village_nodes)
    ]
    extra_xy = points_xy(net.edge_points(np.full(len(picked), 0.5), picked))
    extra = pd.DataFrame(
        {"code": [f"E{k}" for k in range(len(picked))], "condition_class": 5}
    )
    real = bridges.drop(columns="geometry").assign(condition_class=5)
    real_xy = points_xy(np.asarray(bridges.to_crs(METRIC).geometry.values))
    all_bridges = pd.concat([real, extra], ignore_index=True)
    result = analyse_roads(
        _inputs(roads, vxy, all_bridges, np.concatenate([real_xy, extra_xy])), rules
    )
    net = result.network
    row = net.edge_row
    surface = roads["surface"].to_numpy(object)[row]
    klass = roads["road_class"].to_numpy(object)[row]
    hardened = np.isin(surface, rules.value("roads", "hardened_surfaces"))
    county = np.isin(klass, rules.value("roads", "county_network_classes"))
    return result, net, hardened, county


def _graph(net, hardened, only_hardened=False):
    g = nx.MultiGraph()
    for e in range(net.n_edges):
        if only_hardened and not hardened[e]:
            continue
        length = float(net.edge_length[e])
        unh = 0.0 if hardened[e] else length
        g.add_edge(
            int(net.edge_u[e]),
            int(net.edge_v[e]),
            key=e,
            w=length + UNHARDENED_WEIGHT * unh,
            unh=unh,
        )
    return g


def test_hardened_connection_matches(case):
    result, net, hardened, county = case
    sources = set(np.concatenate([net.edge_u[county], net.edge_v[county]]).tolist())
    g = _graph(net, hardened, only_hardened=True)
    reach = set()
    for comp in nx.connected_components(g):
        if comp & sources:
            reach |= comp
    reach |= sources
    node = result.access.node
    expected = [n >= 0 and int(n) in reach for n in node]
    assert list(result.villages["road_hardened_connected"]) == expected


def test_unhardened_length_matches(case):
    result, net, hardened, county = case
    sources = set(np.concatenate([net.edge_u[county], net.edge_v[county]]).tolist())
    g = nx.Graph()
    # Parallel edges: the lighter one is the one a route takes.
    for u, v, _k, data in _graph(net, hardened).edges(keys=True, data=True):
        if not g.has_edge(u, v) or g[u][v]["w"] > data["w"]:
            g.add_edge(u, v, **data)
    dist, paths = nx.multi_source_dijkstra(g, sources, weight="w")
    checked = 0
    for k, n in enumerate(result.access.node):
        if n < 0 or int(n) not in paths:
            assert not result.villages["road_reachable"].iloc[k] or n < 0
            continue
        path = paths[int(n)]
        unh = sum(g[a][b]["unh"] for a, b in zip(path[:-1], path[1:], strict=True))
        assert result.villages["unhardened_km"].iloc[k] == pytest.approx(
            unh / 1000, abs=1e-3
        )
        checked += 1
    assert checked > 50


def test_villages_cut_off_match(case):
    result, net, hardened, county = case
    sources = set(np.concatenate([net.edge_u[county], net.edge_v[county]]).tolist())
    g = _graph(net, hardened)
    g.add_node("county")
    for s in sources:
        g.add_edge("county", s, key=-1)
    node = result.access.node
    dangerous = result.bridges[
        result.bridges["dangerous"] & (result.bridges["edge"] >= 0)
    ]
    assert len(dangerous) > 3
    assert sum(len(x) for x in dangerous["villages_cut_off"]) > 0
    before = nx.node_connected_component(g, "county")
    for _, bridge in dangerous.iterrows():
        e = int(bridge["edge"])
        u, v = int(net.edge_u[e]), int(net.edge_v[e])
        data = g.edges[u, v, e]
        g.remove_edge(u, v, key=e)
        reach = nx.node_connected_component(g, "county")
        g.add_edge(u, v, key=e, **data)
        cut = [
            k
            for k, n in enumerate(node)
            if n >= 0 and int(n) in before and int(n) not in reach
        ]
        assert sorted(bridge["villages_cut_off"]) == cut

"""Road benchmark: the gap engine's road analysis against a plain networkx answer.

On a generated network (5,000 villages and 200,000 road segments by default) the
same question is answered twice in one run:

* the engine's ``analyse_roads``: network built with a 2 m snapping tolerance
  (ends merged, T-junctions and same-level crossings split, overshoots cut,
  duplicates dropped), dead ends classified, bridges placed, and for every
  village the route from the county network, its unhardened length and whether
  it is reached by hardened road, plus the villages each dangerous bridge cuts
  off;
* the straightforward way: lines noded with ``shapely.unary_union``, ends
  snapped by rounding to the tolerance, each piece given its road's surface and
  class, a ``networkx`` graph built edge by edge, dead ends as nodes of degree
  one, connected parts, hardened connection by the parts of the hardened
  subgraph, and the unhardened length by multi-source Dijkstra.

The straightforward way does less (no classification, no bridges, viaducts
joined to the roads below) and is still the slower. Both wall time and CPU time
are printed; the ratio is taken on CPU time, which other programs on the machine
do not disturb. Targets: the engine under 10 s, at least 5 times faster.

    python benchmarks/bench_roads.py [--villages 5000] [--segments 200000]
"""

from __future__ import annotations

import argparse
import sys
import time

import networkx as nx
import numpy as np
import shapely
from scipy.spatial import cKDTree

from gisapp.analysis import load_rules
from gisapp.analysis.access import UNHARDENED_WEIGHT
from gisapp.analysis.inputs import points_xy
from gisapp.analysis.roads import RoadInputs, analyse_roads

try:
    from gisapp.sample import generate_network
except ImportError:  # the generator ships with the sample package
    generate_network = None

METRIC = "EPSG:4547"
TARGET_SECONDS = 10.0
TARGET_RATIO = 5.0


def _fallback_network(n_villages: int, n_segments: int, seed: int = 1) -> dict:
    """A jittered grid of roads with villages on its nodes, when no generator exists."""
    import geopandas as gpd
    import pandas as pd

    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_segments / 2)))
    step = 400.0
    x0, y0 = 330_000.0, 3_390_000.0
    gx, gy = np.meshgrid(np.arange(side + 1), np.arange(side + 1))
    pts = np.column_stack([gx.ravel(), gy.ravel()]) * step + rng.normal(
        0, 30, ((side + 1) ** 2, 2)
    )
    idx = np.arange((side + 1) ** 2).reshape(side + 1, side + 1)
    a = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])[:n_segments]
    b = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])[:n_segments]
    lines = shapely.linestrings(np.stack([pts[a], pts[b]], axis=1) + [x0, y0])
    row = idx.ravel()[a] // (side + 1)
    klass = np.where(
        row % 20 == 0, "county", rng.choice(["village", "group", "production"], len(a))
    )
    surface = np.where(
        klass == "county",
        "asphalt",
        rng.choice(["cement", "gravel", "earth"], len(a), p=[0.6, 0.3, 0.1]),
    )
    roads = gpd.GeoDataFrame(
        {
            "code": [f"R{k}" for k in range(len(a))],
            "road_class": klass,
            "surface": surface,
            "level": 0,
        },
        geometry=lines,
        crs=METRIC,
    ).to_crs("EPSG:4490")
    chosen = rng.choice(len(pts), size=n_villages, replace=False)
    villages = gpd.GeoDataFrame(
        {"code": [f"V{k}" for k in range(n_villages)]},
        geometry=shapely.points(pts[chosen] + [x0, y0]),
        crs=METRIC,
    ).to_crs("EPSG:4490")
    bridges = gpd.GeoDataFrame(
        pd.DataFrame({"code": ["B0"], "condition_class": [5]}),
        geometry=[shapely.line_interpolate_point(lines[0], 0.5, normalized=True)],
        crs=METRIC,
    ).to_crs("EPSG:4490")
    return {"roads": roads, "villages": villages, "bridges": bridges}


def make_inputs(n_villages: int, n_segments: int) -> RoadInputs:
    make = generate_network or _fallback_network
    sets = make(n_villages, n_segments)
    roads, villages, bridges = sets["roads"], sets["villages"], sets["bridges"]
    vxy = points_xy(np.asarray(villages.to_crs(METRIC).geometry.values))
    water = sets.get("rivers")
    return RoadInputs(
        roads=roads.drop(columns="geometry"),
        road_geoms=np.asarray(roads.to_crs(METRIC).geometry.values),
        village_xy=vxy,
        bridges=bridges.drop(columns="geometry"),
        bridge_xy=points_xy(np.asarray(bridges.to_crs(METRIC).geometry.values)),
        destinations=vxy,
        water=None
        if water is None
        else np.asarray(water.to_crs(METRIC).geometry.values),
    )


def straightforward(
    inputs: RoadInputs, tolerance: float, hardened_set, county_set
) -> dict:
    """Dead ends, parts, hardened connection and unhardened length, the usual way."""
    lines = inputs.road_geoms
    noded = shapely.get_parts(shapely.unary_union(lines))
    tree = shapely.STRtree(lines)
    mid = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    _, source = tree.query_nearest(mid, all_matches=False)
    surface = inputs.roads["surface"].to_numpy(object)[source]
    klass = inputs.roads["road_class"].to_numpy(object)[source]

    g = nx.Graph()
    for piece, surf, cls in zip(noded, surface, klass, strict=True):
        coords = shapely.get_coordinates(piece)
        a = tuple(np.round(coords[0] / tolerance).astype(int))
        b = tuple(np.round(coords[-1] / tolerance).astype(int))
        if a == b:
            continue
        length = shapely.length(piece)
        hard = surf in hardened_set
        g.add_edge(
            a,
            b,
            length=length,
            hard=hard,
            county=cls in county_set,
            w=length + (0 if hard else UNHARDENED_WEIGHT * length),
            unh=0.0 if hard else length,
        )

    dead_ends = [n for n, d in g.degree() if d == 1]
    parts = list(nx.connected_components(g))
    county_nodes = {n for a, b, c in g.edges(data="county") if c for n in (a, b)}
    hard = g.edge_subgraph([(a, b) for a, b, h in g.edges(data="hard") if h])
    reached = set(county_nodes)
    for comp in nx.connected_components(hard):
        if comp & county_nodes:
            reached |= comp

    nodes = list(g.nodes)
    xy = np.array(nodes, dtype=float) * tolerance
    _, nearest = cKDTree(xy).query(inputs.village_xy)
    village_nodes = [nodes[k] for k in nearest]
    connected = [n in reached for n in village_nodes]
    _, paths = nx.multi_source_dijkstra(g, county_nodes, weight="w")
    unhardened = []
    for n in village_nodes:
        path = paths.get(n)
        if path is None:
            unhardened.append(np.nan)
            continue
        unhardened.append(
            sum(g[a][b]["unh"] for a, b in zip(path[:-1], path[1:], strict=True))
        )
    return {
        "dead_ends": len(dead_ends),
        "components": len(parts),
        "connected": int(np.sum(connected)),
        "unhardened_km": float(np.nansum(unhardened)) / 1000.0,
    }


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=5000)
    parser.add_argument("--segments", type=int, default=200_000)
    args = parser.parse_args(argv)

    rules = load_rules()
    (inputs, wall, _) = _timed(lambda: make_inputs(args.villages, args.segments))
    print(
        f"generated {args.segments:,} segments and {args.villages:,} villages in {wall:.1f} s"
    )

    result, ours_wall, ours_cpu = _timed(lambda: analyse_roads(inputs, rules))
    s = result.summary
    v = result.villages
    print(
        f"engine:          {ours_wall:6.2f} s wall, {ours_cpu:6.2f} s CPU — "
        f"{s['nodes']:,} nodes, {s['edges']:,} edges, {s['components']} parts, "
        f"{sum(s['dead_ends'].values()):,} dead ends {s['dead_ends']}, {s['edits']:,} edits, "
        f"{int(v['road_hardened_connected'].sum()):,} villages on hardened roads, "
        f"{np.nansum(v['unhardened_km']):,.1f} km to harden"
    )

    tol = float(rules.value("roads", "snap_tolerance_m"))
    hardened = set(rules.value("roads", "hardened_surfaces"))
    county = set(rules.value("roads", "county_network_classes"))
    plain, nx_wall, nx_cpu = _timed(
        lambda: straightforward(inputs, tol, hardened, county)
    )
    print(
        f"networkx:        {nx_wall:6.2f} s wall, {nx_cpu:6.2f} s CPU — "
        f"{plain['components']} parts, {plain['dead_ends']:,} dead ends, "
        f"{plain['connected']:,} villages on hardened roads, "
        f"{plain['unhardened_km']:,.1f} km to harden"
    )

    ratio = nx_cpu / ours_cpu if ours_cpu > 0 else float("inf")
    print(f"ratio (CPU):     {ratio:6.1f}× (wall {nx_wall / ours_wall:.1f}×)")
    ok = ours_wall < TARGET_SECONDS and ratio >= TARGET_RATIO
    print(
        f"targets: under {TARGET_SECONDS:.0f} s and at least {TARGET_RATIO:.0f}× — "
        + ("met" if ok else "NOT met")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

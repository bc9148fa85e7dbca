"""Roads and bridges (四路一危) for every village, from the project's road layers.

Builds the network (``network``), classifies its dead ends (``deadends``), places
the bridges on it, and works out each village's route, unhardened gap, cost and
dangerous bridges (``access``), the villages each dangerous bridge cuts off, and
the length of village, group, household and production roads around each village.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from gisapp.analysis.access import Access, cut_off, route_edges, village_access
from gisapp.analysis.deadends import DeadEndSettings, classify_dead_ends
from gisapp.analysis.network import RoadNetwork, build_network
from gisapp.analysis.rules import Rules

log = logging.getLogger(__name__)

GENUINE = ("dead_end", "missing_bridge", "missing_link")
FOUR_ROADS = {
    "village": "village_road_km",
    "group": "group_road_km",
    "household": "household_path_km",
    "production": "production_road_km",
}


@dataclass
class RoadInputs:
    """Everything the road analysis reads, already in the metric CRS."""

    roads: pd.DataFrame
    road_geoms: np.ndarray
    village_xy: np.ndarray
    bridges: pd.DataFrame
    bridge_xy: np.ndarray
    destinations: np.ndarray
    boundary: object = None
    water: np.ndarray | None = None


@dataclass
class RoadResult:
    """The road analysis: per village, per bridge, dead ends, edits, network."""

    villages: pd.DataFrame
    bridges: pd.DataFrame
    dead_ends: pd.DataFrame
    edits: pd.DataFrame
    network: RoadNetwork
    access: Access
    summary: dict


def settings_from(rules: Rules) -> DeadEndSettings:
    v = rules.value
    return DeadEndSettings(
        review_m=float(v("roads", "review_m")),
        missing_link_m=float(v("roads", "missing_link_m")),
        missing_bridge_m=float(v("roads", "missing_bridge_m")),
        destination_m=float(v("roads", "destination_m")),
        boundary_m=float(v("roads", "boundary_m")),
        detour_factor=float(v("roads", "detour_factor")),
    )


def analyse_roads(inputs: RoadInputs, rules: Rules) -> RoadResult:
    """Run the whole road and bridge analysis.

    Parameters
    ----------
    inputs : RoadInputs
        Road attributes (``road_class``, ``surface``, ``level``, ``code``,
        ``name``) aligned with ``road_geoms``; village points; bridges
        (``code``, ``name``, ``condition_class``, ``length_m``) aligned with
        ``bridge_xy``; all in one metric CRS.
    rules : Rules

    Returns
    -------
    RoadResult
    """
    v = rules.value
    roads = inputs.roads.reset_index(drop=True)
    labels = _labels(roads)
    net = build_network(
        inputs.road_geoms,
        roads["level"] if "level" in roads else None,
        float(v("roads", "snap_tolerance_m")),
        labels=labels,
    )
    row = net.edge_row
    surface = roads["surface"].to_numpy(dtype=object)[row] if len(row) else np.empty(0)
    klass = roads["road_class"].to_numpy(dtype=object)[row] if len(row) else np.empty(0)
    hardened = np.isin(surface, list(v("roads", "hardened_surfaces")))
    county = np.isin(klass, list(v("roads", "county_network_classes")))

    bridge_xy = np.asarray(inputs.bridge_xy, dtype=float).reshape(-1, 2).copy()
    missing = np.isnan(bridge_xy).any(axis=1)
    by_chainage, how = locate_by_chainage(
        inputs.bridges.reset_index(drop=True), roads, inputs.road_geoms, missing
    )
    fill = missing & ~np.isnan(by_chainage).any(axis=1)
    bridge_xy[fill] = by_chainage[fill]
    bridges = _place_bridges(net, inputs.bridges, bridge_xy, rules)
    bridges["placed_by"] = np.where(
        fill, how, np.where(np.isnan(bridge_xy).any(axis=1), "无位置", "坐标")
    )
    bridges["x"], bridges["y"] = bridge_xy[:, 0], bridge_xy[:, 1]
    edge_danger = np.bincount(
        bridges.loc[bridges["dangerous"] & (bridges["edge"] >= 0), "edge"].astype(int),
        minlength=net.n_edges,
    )[: net.n_edges]

    access = village_access(
        net,
        inputs.village_xy,
        hardened,
        county,
        edge_danger,
        float(v("roads", "village_access_m")),
    )
    line_class = roads["road_class"].to_numpy(dtype=object)[net.line_row]
    through = ~np.isin(line_class, list(v("roads", "local_classes")))
    dead = classify_dead_ends(
        net,
        settings_from(rules),
        inputs.destinations,
        inputs.boundary,
        inputs.water,
        through,
    )
    _bridge_villages(net, bridges, county, access)
    villages = _village_table(net, inputs, access, dead, klass, rules)
    villages["dangerous_bridge_codes"] = _route_bridges(access, bridges)
    summary = _summary(net, dead, hardened, county, bridges)
    return RoadResult(villages, bridges, dead, net.edits, net, access, summary)


def _labels(roads: pd.DataFrame) -> np.ndarray:
    """How edits name a road: its code, else its name, else its row number."""
    code = roads["code"] if "code" in roads else pd.Series([None] * len(roads))
    name = roads["name"] if "name" in roads else pd.Series([None] * len(roads))
    out = code.where(code.notna(), name).astype(object)
    missing = out.isna()
    out[missing] = [f"#{i + 1}" for i in np.flatnonzero(missing)]
    return out.to_numpy(dtype=object)


def locate_by_chainage(
    bridges: pd.DataFrame, roads: pd.DataFrame, road_geoms: np.ndarray, which=None
) -> tuple[np.ndarray, np.ndarray]:
    """Places for bridges known only by route code and chainage (路线编码 + 桩号).

    A bridge goes on the road piece of its route whose chainage range holds its
    chainage; a route drawn as one piece without chainages is measured from its
    start. Only the bridges in ``which`` (all by default) are placed. Returns
    the points (NaN where none fits) and how each was placed.
    """
    n = len(bridges)
    xy = np.full((n, 2), np.nan)
    how = np.full(n, "", dtype=object)
    todo = np.arange(n) if which is None else np.flatnonzero(which)
    if not len(todo) or "road_code" not in bridges or "code" not in roads:
        return xy, how
    chain = pd.to_numeric(bridges.get("chainage_km"), errors="coerce").to_numpy(float)
    start = pd.to_numeric(roads.get("start_km"), errors="coerce").to_numpy(float)
    end = pd.to_numeric(roads.get("end_km"), errors="coerce").to_numpy(float)
    codes = roads["code"].to_numpy(dtype=object)
    by_code: dict = {}
    for k, code in enumerate(codes):
        by_code.setdefault(code, []).append(k)
    road_code = bridges["road_code"].to_numpy(dtype=object)
    for b in todo:
        code, ch = road_code[b], chain[b]
        rows = by_code.get(code, [])
        if not rows or np.isnan(ch):
            continue
        for k in rows:
            geom = road_geoms[k]
            if geom is None or shapely.is_empty(geom):
                continue
            lo, hi = start[k], end[k]
            if (
                not np.isnan(lo)
                and not np.isnan(hi)
                and min(lo, hi) <= ch <= max(lo, hi)
            ):
                share = 0.0 if hi == lo else (ch - lo) / (hi - lo)
                point = shapely.line_interpolate_point(geom, share, normalized=True)
            elif (
                len(rows) == 1 and np.isnan(lo) and ch * 1000.0 <= shapely.length(geom)
            ):
                point = shapely.line_interpolate_point(geom, ch * 1000.0)
            else:
                continue
            xy[b] = shapely.get_coordinates(point)[0]
            how[b] = "按路线编码和桩号定位"
            break
    return xy, how


def _place_bridges(
    net: RoadNetwork, bridges: pd.DataFrame, xy: np.ndarray, rules: Rules
):
    """Put each bridge on the nearest road piece and mark the dangerous ones.

    Among the roads within reach, one whose route code is the bridge's own wins
    over a nearer road of another route.
    """
    out = bridges.reset_index(drop=True).copy()
    classes = list(rules.value("roads", "dangerous_bridge_classes"))
    cls = pd.to_numeric(out.get("condition_class"), errors="coerce")
    out["dangerous"] = cls.isin(classes).to_numpy() if len(out) else np.empty(0, bool)
    out["danger"] = np.where(out["dangerous"], "dangerous", "safe")
    out["edge"] = -1
    out["on_road"] = None
    out["snap_m"] = np.nan
    if not len(out) or not net.n_edges:
        return out
    valid = np.flatnonzero(~np.isnan(xy).any(axis=1))
    points = shapely.points(xy[valid])
    reach = float(rules.value("roads", "bridge_snap_m"))
    pi, li = net.tree.query(points, predicate="dwithin", distance=reach)
    if not len(pi):
        return out
    dist = shapely.distance(points[pi], net.lines[li])
    own = out.get("road_code", pd.Series([None] * len(out))).to_numpy(dtype=object)
    other_route = net.line_labels[li] != own[valid[pi]]
    order = np.lexsort((dist, other_route, pi))
    first = np.ones(len(order), bool)
    first[1:] = pi[order][1:] != pi[order][:-1]
    k = order[first]
    idx = valid[pi[k]]
    t = shapely.line_locate_point(net.lines[li[k]], points[pi[k]])
    out.loc[idx, "edge"] = net.edge_at(li[k], t)
    out.loc[idx, "snap_m"] = np.round(dist[k], 1)
    out.loc[idx, "on_road"] = net.line_labels[li[k]]
    return out


def _bridge_villages(net, bridges, county, access: Access) -> None:
    """Villages routed over, and cut off by, each dangerous bridge."""
    bridges["villages_on_route"] = [[] for _ in range(len(bridges))]
    bridges["villages_cut_off"] = [[] for _ in range(len(bridges))]
    danger = np.flatnonzero(bridges["dangerous"].to_numpy() & (bridges["edge"] >= 0))
    if not len(danger):
        return
    edges = bridges["edge"].to_numpy()[danger].astype(int)
    cut = cut_off(net, county, access.node, edges)
    for k, villages in zip(danger, cut, strict=True):
        bridges.at[k, "villages_cut_off"] = villages.tolist()
    on_edge: dict[int, list[int]] = {}
    for village in np.flatnonzero(access.reachable):
        for e in route_edges(access, village):
            on_edge.setdefault(e, []).append(int(village))
    for k, e in zip(danger, edges, strict=True):
        bridges.at[k, "villages_on_route"] = on_edge.get(int(e), [])


def _route_bridges(access: Access, bridges: pd.DataFrame) -> list[str]:
    out = [""] * len(access.node)
    for codes, villages in zip(
        bridges.get("code", pd.Series(dtype=object)),
        bridges["villages_on_route"],
        strict=False,
    ):
        for village in villages:
            out[village] = f"{out[village]}、{codes}" if out[village] else str(codes)
    return out


def _village_table(
    net, inputs, access: Access, dead, klass, rules: Rules
) -> pd.DataFrame:
    v = rules.value
    harden = float(v("money", "harden_per_km"))
    new_rate = float(v("money", "new_road_per_km"))
    unh_km = access.unhardened_m / 1000.0
    new_km = access.new_road_m / 1000.0
    cost = np.nan_to_num(unh_km) * harden + np.nan_to_num(new_km) * new_rate
    table = pd.DataFrame(
        {
            "road_hardened_connected": access.connected,
            "road_reachable": access.reachable,
            "road_access_m": np.round(
                np.where(
                    np.isfinite(access.node_distance_m), access.node_distance_m, np.nan
                ),
                1,
            ),
            "unhardened_km": np.round(unh_km, 3),
            "new_road_km": np.round(new_km, 3),
            "road_cost_yuan": np.round(cost, 0),
            "route_km": np.round(access.route_length_m / 1000.0, 3),
            "dangerous_bridges": access.dangerous_on_route,
        }
    )
    if not net.n_edges:
        # Without roads the road indicators are unknown, not failed.
        unknown = pd.array([pd.NA] * len(table), dtype="boolean")
        table["road_hardened_connected"] = unknown
        table["road_reachable"] = unknown.copy()
        table["dangerous_bridges"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["route"] = [_route_text(net, access, k) for k in range(len(table))]
    table["dead_ends_nearby"] = _nearest_counts(
        inputs.village_xy,
        dead.loc[dead["category"].isin(GENUINE), ["x", "y"]].to_numpy(),
    )
    lengths = _four_roads(net, inputs.village_xy, klass)
    for col, values in lengths.items():
        table[col] = np.round(values, 3)
    maintained = [
        FOUR_ROADS[c] for c in v("roads", "maintained_classes") if c in FOUR_ROADS
    ]
    km = table[maintained].sum(axis=1) if maintained else 0.0
    table["maintenance_yuan_year"] = np.round(
        km * float(v("money", "road_maintenance_per_km_year")), 0
    )
    return table


def _route_text(net: RoadNetwork, access: Access, village: int) -> str:
    """The roads a village's route runs along, village end first."""
    names: list[str] = []
    for e in route_edges(access, village):
        label = str(net.line_labels[net.edge_line[e]])
        if not names or names[-1] != label:
            names.append(label)
    return " → ".join(names)


def _nearest_counts(village_xy: np.ndarray, points: np.ndarray) -> np.ndarray:
    """How many of ``points`` lie nearer to each village than to any other."""
    counts = np.zeros(len(village_xy), dtype=int)
    ok = ~np.isnan(village_xy).any(axis=1)
    if not len(points) or not ok.any():
        return counts
    _, k = cKDTree(village_xy[ok]).query(points)
    np.add.at(counts, np.flatnonzero(ok)[k], 1)
    return counts


def _four_roads(
    net: RoadNetwork, village_xy: np.ndarray, klass
) -> dict[str, np.ndarray]:
    """Kilometres of each local road class nearest to each village."""
    out = {col: np.zeros(len(village_xy)) for col in FOUR_ROADS.values()}
    ok = ~np.isnan(village_xy).any(axis=1)
    if not net.n_edges or not ok.any():
        return out
    # Between the end nodes is near enough to say which village a piece serves.
    mid = (net.node_xy[net.edge_u] + net.node_xy[net.edge_v]) / 2
    _, k = cKDTree(village_xy[ok]).query(mid)
    owner = np.flatnonzero(ok)[k]
    for road_class, col in FOUR_ROADS.items():
        sel = klass == road_class
        out[col] = (
            np.bincount(
                owner[sel], weights=net.edge_length[sel], minlength=len(village_xy)
            )
            / 1000.0
        )
    return out


def _summary(net, dead, hardened, county, bridges) -> dict:
    count, _ = net.components()
    cats = dead["category"].value_counts().to_dict() if len(dead) else {}
    return {
        "segments": int(len(net.lines)),
        "nodes": int(net.n_nodes),
        "edges": int(net.n_edges),
        "components": count,
        "km_total": round(float(net.edge_length.sum()) / 1000.0, 3),
        "km_hardened": round(float(net.edge_length[hardened].sum()) / 1000.0, 3),
        "km_county": round(float(net.edge_length[county].sum()) / 1000.0, 3),
        "edits": int(len(net.edits)),
        "dead_ends": {k: int(n) for k, n in cats.items()},
        "bridges": int(len(bridges)),
        "dangerous_bridges": int(bridges["dangerous"].sum()) if len(bridges) else 0,
    }

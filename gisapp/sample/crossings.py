"""Where roads meet roads and water: junctions, bridges and chainage.

Roads that cross at grade are split so they share a junction node. Where a road
crosses a river or lake it is split again: the part over the water gets
``level = 1`` and a bridge point with the route's chainage. Route chainage
(起止桩号) runs along each route code in order.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import shapely

from gisapp.sample.shapes import cut, cut_at_points

log = logging.getLogger(__name__)

BRIDGE_CLASS_P = (0.36, 0.44, 0.17, 0.02, 0.01)


def node_crossings(edges: pd.DataFrame) -> pd.DataFrame:
    """Split roads where they cross at grade, so that they meet at a junction."""
    lines = edges["geometry"].to_numpy()
    left, right = shapely.STRtree(lines).query(lines, predicate="crosses")
    keep = left < right
    left, right = left[keep], right[keep]
    points: dict[int, list] = {}
    ends = {}
    for i, j in zip(left, right, strict=True):
        xy = shapely.get_coordinates(shapely.intersection(lines[i], lines[j]))
        for p in xy:
            # Roads that share an end touch there already: that is no crossing.
            if any(
                np.hypot(
                    *(
                        ends.setdefault(k, shapely.get_coordinates(lines[k])[[0, -1]])
                        - p
                    ).T
                ).min()
                < 3.0
                for k in (i, j)
            ):
                continue
            points.setdefault(int(i), []).append(p)
            points.setdefault(int(j), []).append(p)
    rows = []
    for i, edge in enumerate(edges.to_dict("records")):
        pieces = (
            cut_at_points(lines[i], np.array(points[i])) if i in points else [lines[i]]
        )
        for piece in pieces:
            rows.append({**edge, "geometry": piece, "edge": i})
    log.debug("%d crossings noded", len(left))
    return pd.DataFrame(rows)


def water_bodies(water, streams: pd.DataFrame) -> pd.DataFrame:
    """Polygons roads must bridge: the Han and lakes, and each stream by its width."""
    rows = [{"name": "汉江", "geometry": g} for g in shapely.get_parts(water)]
    for _, s in streams.iterrows():
        rows.append(
            {
                "name": s["name"],
                "geometry": s["geometry"].buffer(s["width_m"] / 2, quad_segs=2),
            }
        )
    return pd.DataFrame(rows)


def split_at_water(edges: pd.DataFrame, waters: pd.DataFrame, rng):
    lines = edges["geometry"].to_numpy()
    polys = waters["geometry"].to_numpy()
    tree = shapely.STRtree(polys)
    li, wi = tree.query(lines, predicate="intersects")
    spans: dict[int, list] = {}
    for i, w in zip(li, wi, strict=True):
        line = lines[i]
        for part in shapely.get_parts(shapely.intersection(line, polys[w])):
            if part.geom_type != "LineString" or part.length < 3:
                continue
            ends = shapely.get_coordinates(part)[[0, -1]]
            d = sorted(line.project(shapely.Point(p)) for p in ends)
            spans.setdefault(int(i), []).append((d[0], d[1], waters["name"].iloc[w]))
    seg_rows, bridge_rows = [], []
    for i, edge in enumerate(edges.itertuples(index=False)):
        pieces = (
            cut(lines[i], [(s, e) for s, e, _ in spans.get(i, [])])
            if i in spans
            else [(lines[i], False)]
        )
        names = iter(sorted(spans.get(i, [])))
        for piece, on_span in pieces:
            row = edge._asdict()
            row.update(geometry=piece, level=int(on_span), length=piece.length)
            seg_rows.append(row)
            if on_span:
                water_name = next(names, (0, 0, "河"))[2]
                bridge_rows.append(
                    {
                        "edge": edge.edge,
                        "segment": len(seg_rows) - 1,
                        "water": water_name,
                    }
                )
    roads = pd.DataFrame(seg_rows)
    roads = chainage(roads)
    bridges = _bridges(roads, pd.DataFrame(bridge_rows), rng)
    return roads, bridges


def chainage(roads: pd.DataFrame) -> pd.DataFrame:
    """start_km and end_km along each route, in route order."""
    roads = roads.reset_index(drop=True)
    order = roads.sort_values(["code", "order", "edge"], kind="stable").index
    ordered = roads.loc[order]
    end = ordered.groupby("code", sort=False)["length"].cumsum() / 1000.0
    roads.loc[order, "end_km"] = end.round(3).to_numpy()
    roads.loc[order, "start_km"] = (
        (end - ordered["length"] / 1000.0).round(3).to_numpy()
    )
    return roads


def _bridges(roads: pd.DataFrame, spans: pd.DataFrame, rng) -> pd.DataFrame:
    rows = []
    seen: dict[str, int] = {}
    for span in spans.itertuples(index=False):
        seg = roads.iloc[span.segment]
        k = seen.get(seg["code"], 0) + 1
        seen[seg["code"]] = k
        length = seg["length"] + 2 * 8.0
        big = "大" if length > 100 else ""
        rows.append(
            {
                "code": f"{seg['code']}L{k:03d}",
                "name": _bridge_name(seg, span.water, big),
                "road_code": seg["code"],
                "chainage_km": round((seg["start_km"] + seg["end_km"]) / 2, 3),
                "condition_class": int(rng.choice(5, p=BRIDGE_CLASS_P)) + 1,
                "length_m": round(float(length), 1),
                "segment": span.segment,
                "edge": span.edge,
                "geometry": seg["geometry"].interpolate(0.5, normalized=True),
            }
        )
    return pd.DataFrame(rows)


def access_edges(edges: pd.DataFrame, n_seats: int, village: int) -> list[int]:
    """Rows of ``edges`` on the tree route from a village back to its seat."""
    tree = edges[edges["tree"]]
    by_child = dict(zip(tree["b"], tree.index, strict=True))
    node, path = n_seats + village, []
    while node >= n_seats and node in by_child:
        e = by_child[node]
        path.append(int(e))
        node = int(edges.at[e, "a"])
    return path


def mark_dangerous(
    edges: pd.DataFrame, bridges: pd.DataFrame, n_seats: int, flagged, rng, at_least=12
) -> int:
    """Make one bridge class 4 or 5 on the access route of flagged villages.

    Villages flagged in the registry come first; when too few of them cross water
    on their way to the seat, other poor villages with a bridge on their route are
    taken (``flagged`` holds 2 for flagged, 1 for other candidates, 0 for none).
    ``bridges`` is changed in place. Returns how many villages got a dangerous
    bridge on their route.
    """
    if not len(bridges):
        return 0
    done = 0
    for rank in (2, 1):
        for v in np.flatnonzero(flagged == rank):
            if rank == 1 and done >= at_least:
                break
            route = access_edges(edges, n_seats, int(v))
            on_route = bridges.index[bridges["edge"].isin(route)]
            if not len(on_route):
                continue
            if (bridges.loc[on_route, "condition_class"] >= 4).any():
                done += 1
                continue
            pick = on_route[int(rng.integers(len(on_route)))]
            bridges.at[pick, "condition_class"] = int(
                rng.choice([4, 5], p=[0.65, 0.35])
            )
            done += 1
    return done


def _bridge_name(seg, water: str, big: str) -> str:
    """「<place>桥」 after the place the road serves; Han crossings by route."""
    ends = seg["name"].replace("(未贯通)", "").split("—")
    if water == "汉江":
        return f"{ends[0]}汉江大桥"
    near = ends[-1] if seg["road_class"] != "county" else ends[0]
    for suffix in ("道路", "公路", "村"):
        near = near.removesuffix(suffix)
    return f"{near}{big}桥"

"""Streams of the sample project: small rivers flowing toward the Han or the plain.

The real 1:4,000,000 river layer holds only the Han and the Yangtze; village roads
cross many smaller streams, so the sample generates some, marked as generated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gisapp.sample.names import short_township
from gisapp.sample.shapes import walk

SUFFIXES = ("河", "溪", "港", "沟")


def make_streams(
    city, water, seats: pd.DataFrame, rng, count: int = 26
) -> pd.DataFrame:
    """``count`` meandering streams inside the city, metric, with names.

    Each starts in the country away from the Han, heads downhill toward the Han
    (or south-east across the plain) and stops at the Han, a lake or the border.
    """
    inner = city.buffer(-4000)
    shapely.prepare(inner)
    han = water
    rows = []
    used: dict[str, int] = {}
    tries = 0
    while len(rows) < count and tries < 2000:
        tries += 1
        minx, miny, maxx, maxy = inner.bounds
        start = np.array([rng.uniform(minx, maxx), rng.uniform(miny, maxy)])
        if not shapely.contains_xy(inner, *start):
            continue
        if shapely.distance(han, shapely.Point(start)) < 18000:
            continue
        if (
            rows
            and min(shapely.distance(r["geometry"], shapely.Point(start)) for r in rows)
            < 9000
        ):
            continue
        target = shapely.get_coordinates(
            shapely.shortest_line(shapely.Point(start), han)
        )[1]

        def pull(xy, target=target):
            return float(np.arctan2(target[1] - xy[1], target[0] - xy[0]))

        path = walk(start, pull(start), int(rng.integers(30, 80)), 450.0, rng, pull)
        line = shapely.linestrings(path)
        line = shapely.intersection(line, city.buffer(-500))
        line = shapely.difference(line, han)
        line = _longest(line)
        if line is None or line.length < 9000:
            continue
        seat = seats.iloc[
            int(np.argmin(np.hypot(seats["x"] - start[0], seats["y"] - start[1])))
        ]
        short = short_township(seat["name"])
        if short[-1] in "河溪港沟":
            short = short[:-1]
        k = used.get(short, 0)
        used[short] = k + 1
        rows.append(
            {
                "name": short + SUFFIXES[k % len(SUFFIXES)],
                "width_m": float(rng.uniform(12, 45)),
                "geometry": line,
            }
        )
    return pd.DataFrame(rows)


def _longest(geom):
    if geom is None or geom.is_empty:
        return None
    parts = shapely.get_parts(geom)
    parts = [p for p in parts if p.geom_type == "LineString"]
    if not parts:
        return None
    return max(parts, key=lambda p: p.length)

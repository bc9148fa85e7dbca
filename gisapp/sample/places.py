"""Township seats and village points of the sample project.

Seats come from the real seat file; a township without a known seat gets a point
inside its county, as far as possible from the other seats. Villages are placed
around their township's seat, never across the Han river from it, never in a lake
and always inside their county.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from gisapp.errors import ProjectError
from gisapp.sample.inputs import METRIC, STORAGE, RealData

log = logging.getLogger(__name__)

VILLAGE_KIND = "村委会"
AREA_PER_VILLAGE_M2 = 10.5e6
MIN_SPACING_M = 1300.0
BATCH = 96


@dataclass
class Places:
    """Seats and villages with metric coordinates (``x``, ``y``)."""

    townships: pd.DataFrame
    villages: pd.DataFrame


def to_degrees(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Metric coordinates to storage longitude and latitude."""
    tr = Transformer.from_crs(METRIC, STORAGE, always_xy=True)
    return tr.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))


def to_metres(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Storage longitude and latitude to metric coordinates."""
    tr = Transformer.from_crs(STORAGE, METRIC, always_xy=True)
    return tr.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def rural_villages(real: RealData) -> pd.DataFrame:
    """The village committees (村委会) of the official code list, sorted by code."""
    table = real.villages[real.villages["kind"] == VILLAGE_KIND].copy()
    return table.sort_values("nbs2023_code").reset_index(drop=True)


def place_seats(real: RealData, villages: pd.DataFrame, rng) -> pd.DataFrame:
    """One seat per township that has village committees.

    Returns a frame with ``code``, ``name``, ``county``, ``county_code``, ``type``,
    ``x``, ``y`` and ``known`` (whether the seat is the real one).
    """
    towns = real.townships.set_index("nbs2023_code")
    codes = sorted(villages["township_code"].unique())
    sx, sy = to_metres(real.seats.geometry.x, real.seats.geometry.y)
    known = dict(zip(real.seats["nbs2023_code"], zip(sx, sy, strict=True), strict=True))
    taken = np.column_stack([sx, sy])
    water = real.water_m
    rows = []
    for code in codes:
        town = towns.loc[code]
        if code in known:
            x, y = known[code]
        else:
            x, y = _far_point(real.county_shape(town["county_code"]), taken, water, rng)
            taken = np.vstack([taken, [x, y]])
        rows.append(
            {
                "code": code,
                "name": town["name"],
                "county": town["county_name"],
                "county_code": town["county_code"],
                "type": town["type"],
                "x": x,
                "y": y,
                "known": code in known,
            }
        )
    log.debug("%d seats, %d generated", len(rows), sum(not r["known"] for r in rows))
    return pd.DataFrame(rows)


def _far_point(county, taken: np.ndarray, water, rng) -> tuple[float, float]:
    """The candidate inside ``county`` farthest from every point in ``taken``."""
    inner = county.buffer(-3000)
    minx, miny, maxx, maxy = inner.bounds
    x = rng.uniform(minx, maxx, 4000)
    y = rng.uniform(miny, maxy, 4000)
    ok = shapely.contains_xy(inner, x, y) & ~shapely.contains_xy(
        water.buffer(1500), x, y
    )
    x, y = x[ok], y[ok]
    d = np.hypot(x[:, None] - taken[None, :, 0], y[:, None] - taken[None, :, 1])
    best = int(np.argmax(d.min(axis=1)))
    return float(x[best]), float(y[best])


def place_villages(
    real: RealData, villages: pd.DataFrame, seats: pd.DataFrame, rng
) -> pd.DataFrame:
    """Metric points for every village, around its seat and inside its county."""
    seat_xy = seats[["x", "y"]].to_numpy()
    water = real.water_m
    wet = water.buffer(400)
    shapely.prepare(wet)
    shapely.prepare(water)
    placed = np.empty((0, 2))
    xs = np.zeros(len(villages))
    ys = np.zeros(len(villages))
    for _, seat in seats.iterrows():
        rows = np.flatnonzero(villages["township_code"].to_numpy() == seat["code"])
        county = real.county_shape(seat["county_code"]).buffer(-400)
        shapely.prepare(county)
        shape = _Cluster(seat, len(rows), rng, wet)
        # Only villages already placed near this seat can be too close.
        reach = shape.radius * 3 + 10 * MIN_SPACING_M
        near = placed[
            np.hypot(placed[:, 0] - shape.cx, placed[:, 1] - shape.cy) < reach
        ]
        for row in rows:
            x, y = shape.draw(county, wet, water, seat_xy, seat, near, rng)
            xs[row], ys[row] = x, y
            near = np.vstack([near, [x, y]])
            placed = np.vstack([placed, [x, y]])
    out = villages.copy()
    out["x"], out["y"] = xs, ys
    return out


class _Cluster:
    """The spread of one township's villages: an ellipse around the seat."""

    def __init__(self, seat, count: int, rng, wet):
        self.index = int(seat.name)
        self.cx, self.cy = float(seat["x"]), float(seat["y"])
        if shapely.contains_xy(wet, self.cx, self.cy):
            # A seat on the river bank: grow the villages from the nearest dry land.
            edge = shapely.shortest_line(
                wet.boundary.buffer(50).boundary, shapely.Point(self.cx, self.cy)
            )
            self.cx, self.cy = shapely.get_coordinates(edge)[0]
        self.radius = np.sqrt(count * AREA_PER_VILLAGE_M2 / np.pi) * 1.3
        self.ratio = rng.uniform(0.65, 1.0)
        self.angle = rng.uniform(0, np.pi)
        self.spacing = MIN_SPACING_M

    def draw(
        self, county, wet, water, seat_xy, own, placed, rng
    ) -> tuple[float, float]:
        """A valid point; the rules loosen step by step when none is found."""
        for _ in range(60):
            x, y = self._candidates(rng)
            ok = shapely.contains_xy(county, x, y) & ~shapely.contains_xy(wet, x, y)
            ok &= self._same_side(x, y, water)
            ok &= self._own_seat_nearest(x, y, seat_xy, self.index)
            if len(placed):
                gap = np.hypot(
                    x[:, None] - placed[None, :, 0], y[:, None] - placed[None, :, 1]
                )
                ok &= gap.min(axis=1) >= self.spacing
            hits = np.flatnonzero(ok)
            if len(hits):
                return float(x[hits[0]]), float(y[hits[0]])
            self.spacing *= 0.93
            self.radius *= 1.06
        raise ProjectError(
            "no place inside the county is left for a village of this township",
            value=f"{own['name']} ({own['code']})",
            fix="check the county polygons in real/boundaries_cgcs2000.gpkg",
        )

    def _candidates(self, rng):
        r = self.radius * rng.uniform(0.04, 1.0, BATCH) ** 0.75
        t = rng.uniform(0, 2 * np.pi, BATCH)
        u, v = r * np.cos(t), r * np.sin(t) * self.ratio
        ca, sa = np.cos(self.angle), np.sin(self.angle)
        return self.cx + u * ca - v * sa, self.cy + u * sa + v * ca

    def _same_side(self, x, y, water):
        coords = np.empty((len(x), 2, 2))
        coords[:, 0, 0], coords[:, 0, 1] = self.cx, self.cy
        coords[:, 1, 0], coords[:, 1, 1] = x, y
        return ~shapely.intersects(shapely.linestrings(coords), water)

    def _own_seat_nearest(self, x, y, seat_xy, own):
        d = np.hypot(x[:, None] - seat_xy[None, :, 0], y[:, None] - seat_xy[None, :, 1])
        return d[:, own] <= 1.2 * d.min(axis=1) + 500

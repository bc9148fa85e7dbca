"""Synthetic networks of any size for benchmarks, in the Jingmen area.

Nothing here is read from files: township centres, villages, a road tree, hamlet
and field roads, rivers and the bridges where roads cross them are all drawn
from the seed, with numpy and shapely working on whole arrays at once.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import Delaunay

from gisapp.sample.frames import layer_frame

EXTENT = (300_000.0, 3_365_000.0, 450_000.0, 3_495_000.0)  # metres, EPSG:4547
VILLAGES_PER_TOWNSHIP = 22
CHAIN = 8
SURFACES = {
    "county": (["asphalt"], [1.0]),
    "township": (["asphalt", "cement"], [0.5, 0.5]),
    "village": (["cement", "asphalt", "gravel", "earth"], [0.86, 0.04, 0.07, 0.03]),
    "group": (["cement", "gravel", "earth"], [0.5, 0.3, 0.2]),
    "production": (["cement", "gravel", "earth"], [0.05, 0.4, 0.55]),
}


def generate_network(
    n_villages: int, n_segments: int, seed: int = 1
) -> dict[str, gpd.GeoDataFrame]:
    """A benchmark set: villages, townships, roads, bridges and rivers.

    Parameters
    ----------
    n_villages
        Number of village points (at least 1).
    n_segments
        Exact number of road segments.
    seed
        Seed of the generator; the same seed gives the same set.

    Returns
    -------
    dict of GeoDataFrame
        ``villages``, ``townships``, ``roads``, ``bridges``, ``rivers``, each in
        EPSG:4490 with the canonical fields of its layer kind, every feature
        marked as generated.
    """
    if n_villages < 1 or n_segments < 1:
        raise ValueError(
            f"need at least one village and one segment, got {n_villages}, {n_segments}"
        )
    rng = np.random.default_rng(seed)
    towns = _townships(max(1, n_villages // VILLAGES_PER_TOWNSHIP), rng)
    villages = _villages(towns, n_villages, rng)
    roads = _roads(towns, villages, n_segments, rng)
    rivers = _rivers(max(3, n_villages // 400), rng)
    roads, bridges = _bridges(roads, rivers, rng)
    return {
        "villages": layer_frame(villages, "village"),
        "townships": layer_frame(towns, "township"),
        "roads": layer_frame(roads, "road"),
        "bridges": layer_frame(bridges, "bridge"),
        "rivers": layer_frame(rivers, "river"),
    }


def _townships(n: int, rng) -> pd.DataFrame:
    x0, y0, x1, y1 = EXTENT
    x, y = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
    county = 1 + (np.arange(n) * 5) // n
    codes = np.array(
        [f"42080{c}{i:03d}" for c, i in zip(county, np.arange(n), strict=True)]
    )
    return pd.DataFrame(
        {
            "code": codes,
            "name": [f"示例{i + 1}镇" for i in range(n)],
            "county": [f"示例{c}县" for c in county],
            "county_code": [f"42080{c}" for c in county],
            "is_poor": rng.random(n) < 0.15,
            "x": x,
            "y": y,
            "geometry": shapely.points(x, y),
        }
    )


def _villages(towns: pd.DataFrame, n: int, rng) -> pd.DataFrame:
    town = np.sort(rng.integers(0, len(towns), n))
    x = towns["x"].to_numpy()[town] + rng.normal(0, 4500, n)
    y = towns["y"].to_numpy()[town] + rng.normal(0, 4500, n)
    rank = _rank_in_group(
        town, np.hypot(x - towns["x"].to_numpy()[town], y - towns["y"].to_numpy()[town])
    )
    code = np.char.add(
        towns["code"].to_numpy()[town].astype(str), np.char.zfill(rank.astype(str), 3)
    )
    households = rng.integers(120, 900, n)
    population = np.round(households * rng.uniform(3.0, 3.8, n)).astype(np.int64)
    poor = rng.random(n) < 0.16
    poor_people = np.round(
        population
        * np.where(poor, rng.uniform(0.15, 0.35, n), rng.uniform(0.02, 0.12, n))
    )
    return pd.DataFrame(
        {
            "code": code,
            "name": [f"示例{i + 1}村" for i in range(n)],
            "township": towns["name"].to_numpy()[town],
            "township_code": towns["code"].to_numpy()[town],
            "county": towns["county"].to_numpy()[town],
            "county_code": towns["county_code"].to_numpy()[town],
            "is_poor": poor,
            "households": households,
            "population": population,
            "poor_households": np.round(poor_people / 2.8).astype(np.int64),
            "poor_people": poor_people.astype(np.int64),
            "collective_income": np.round(rng.lognormal(np.log(8), 0.8, n), 2),
            "income_per_person": np.round(rng.uniform(6000, 18000, n), -1),
            "safe_water_pct": np.where(
                rng.random(n) < 0.85, 100.0, np.round(rng.uniform(40, 99, n), 1)
            ),
            "power_living_upgraded": rng.random(n) < 0.95,
            "power_production_upgraded": rng.random(n) < 0.85,
            "has_clinic": rng.random(n) < 0.9,
            "has_fibre": rng.random(n) < 0.85,
            "has_bus": rng.random(n) < 0.8,
            "dangerous_houses": rng.integers(0, 12, n),
            "relocation_households": np.where(poor, rng.integers(0, 40, n), 0),
            "town": town,
            "rank": rank,
            "x": x,
            "y": y,
            "geometry": shapely.points(x, y),
        }
    )


def _rank_in_group(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Rank of each item by ``key`` inside its group (groups sorted ascending)."""
    order = np.lexsort((key, group))
    starts = np.searchsorted(group[order], group[order], side="left")
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - starts
    return rank


def _roads(towns, villages, n_segments: int, rng) -> pd.DataFrame:
    tx, ty = towns["x"].to_numpy(), towns["y"].to_numpy()
    parts = [_county_edges(tx, ty)]
    vx, vy = villages["x"].to_numpy(), villages["y"].to_numpy()
    town, rank = villages["town"].to_numpy(), villages["rank"].to_numpy()
    # A heap-shaped tree per township: rank r hangs on rank (r - 1) // 3, rank 0 on the seat.
    key = town * 1_000_000 + rank
    lookup = np.argsort(key)
    parent_rank = (rank - 1) // 3
    parent = lookup[
        np.searchsorted(key[lookup], town * 1_000_000 + np.maximum(parent_rank, 0))
    ]
    ax = np.where(rank == 0, tx[town], vx[parent])
    ay = np.where(rank == 0, ty[town], vy[parent])
    cls = np.where(rank < 3, "township", "village")
    codes = np.char.add("C", villages["code"].to_numpy().astype(str))
    parts.append(
        pd.DataFrame(
            {"ax": ax, "ay": ay, "bx": vx, "by": vy, "road_class": cls, "code": codes}
        )
    )
    base = pd.concat(parts, ignore_index=True)
    rest = n_segments - len(base)
    if rest <= 0:
        return _finish(base.iloc[:n_segments], rng)
    return _finish(
        pd.concat([base, _chains(villages, rest, rng)], ignore_index=True), rng
    )


def _county_edges(tx, ty) -> pd.DataFrame:
    if len(tx) < 2:
        return pd.DataFrame(columns=["ax", "ay", "bx", "by", "road_class", "code"])
    if len(tx) < 3:
        pairs = np.array([[0, 1]])
    else:
        simplices = Delaunay(np.column_stack([tx, ty])).simplices
        pairs = np.sort(
            np.concatenate(
                [simplices[:, [0, 1]], simplices[:, [1, 2]], simplices[:, [0, 2]]]
            ),
            axis=1,
        )
        pairs = np.unique(pairs, axis=0)
    a, b = pairs[:, 0], pairs[:, 1]
    codes = np.char.add("X", np.char.zfill((np.arange(len(a)) + 1).astype(str), 3))
    return pd.DataFrame(
        {
            "ax": tx[a],
            "ay": ty[a],
            "bx": tx[b],
            "by": ty[b],
            "road_class": "county",
            "code": codes,
        }
    )


def _chains(villages, count: int, rng) -> pd.DataFrame:
    """Group and production roads as meandering chains from random villages."""
    n_chains = -(-count // CHAIN)
    start = rng.integers(0, len(villages), n_chains)
    heading = rng.uniform(0, 2 * np.pi, n_chains)[:, None] + np.cumsum(
        rng.normal(0, 0.35, (n_chains, CHAIN)), axis=1
    )
    step = rng.uniform(150, 500, (n_chains, CHAIN))
    dx = np.cumsum(step * np.cos(heading), axis=1)
    dy = np.cumsum(step * np.sin(heading), axis=1)
    x0 = villages["x"].to_numpy()[start][:, None]
    y0 = villages["y"].to_numpy()[start][:, None]
    xs = np.hstack([x0, x0 + dx])
    ys = np.hstack([y0, y0 + dy])
    k = np.broadcast_to(np.arange(CHAIN), (n_chains, CHAIN))
    cls = np.where(k < 3, "group", "production")
    chain = np.broadcast_to(np.arange(n_chains)[:, None], (n_chains, CHAIN))
    vcode = villages["code"].to_numpy().astype(str)[start]
    codes = np.char.add(np.char.add("C", vcode), "-Z")
    codes = np.char.add(
        np.broadcast_to(codes[:, None], (n_chains, CHAIN)), chain.astype(str)
    )
    frame = pd.DataFrame(
        {
            "ax": xs[:, :-1].ravel(),
            "ay": ys[:, :-1].ravel(),
            "bx": xs[:, 1:].ravel(),
            "by": ys[:, 1:].ravel(),
            "road_class": cls.ravel(),
            "code": codes.ravel(),
        }
    )
    return frame.iloc[:count]


def _finish(roads: pd.DataFrame, rng) -> pd.DataFrame:
    n = len(roads)
    roads = roads.reset_index(drop=True)
    surface = np.empty(n, dtype=object)
    cls = roads["road_class"].to_numpy()
    for name, (choices, p) in SURFACES.items():
        rows = cls == name
        surface[rows] = rng.choice(choices, rows.sum(), p=p)
    coords = np.stack(
        [roads[["ax", "ay"]].to_numpy(), roads[["bx", "by"]].to_numpy()], axis=1
    )
    geoms = shapely.linestrings(coords)
    length = shapely.length(geoms) / 1000.0
    end = pd.Series(length).groupby(roads["code"].to_numpy()).cumsum().to_numpy()
    return pd.DataFrame(
        {
            "code": roads["code"],
            "name": roads["code"],
            "road_class": cls,
            "surface": surface,
            "width_m": np.round(rng.uniform(3.0, 8.0, n) * 2) / 2,
            "start_km": np.round(end - length, 3),
            "end_km": np.round(end, 3),
            "level": np.zeros(n, dtype=np.int64),
            "built_year": rng.integers(1998, 2016, n),
            "geometry": geoms,
        }
    )


def _rivers(n: int, rng) -> pd.DataFrame:
    x0, y0, x1, y1 = EXTENT
    t = np.linspace(0, 1, 200)
    base = rng.uniform(x0, x1, n)[:, None]
    wave = rng.uniform(2000, 8000, n)[:, None] * np.sin(
        2 * np.pi * (t * rng.uniform(1, 4, n)[:, None] + rng.uniform(0, 1, n)[:, None])
    )
    xs = base + wave
    ys = np.broadcast_to(y0 + t * (y1 - y0), xs.shape)
    geoms = shapely.linestrings(np.stack([xs, ys], axis=-1))
    return pd.DataFrame(
        {"name": [f"示例河{i + 1}" for i in range(n)], "geometry": geoms}
    )


def _bridges(roads: pd.DataFrame, rivers: pd.DataFrame, rng):
    tree = shapely.STRtree(rivers["geometry"].to_numpy())
    seg, riv = tree.query(roads["geometry"].to_numpy(), predicate="intersects")
    roads = roads.copy()
    roads.loc[seg, "level"] = 1
    points = shapely.intersection(
        roads["geometry"].to_numpy()[seg], rivers["geometry"].to_numpy()[riv]
    )
    points = shapely.get_geometry(points, 0) if len(points) else points
    n = len(seg)
    frame = pd.DataFrame(
        {
            "code": np.char.add(
                roads["code"].to_numpy()[seg].astype(str),
                np.char.add("L", np.arange(n).astype(str)),
            ),
            "name": [f"示例桥{i + 1}" for i in range(n)],
            "road_code": roads["code"].to_numpy()[seg],
            "chainage_km": (
                (roads["start_km"].to_numpy()[seg] + roads["end_km"].to_numpy()[seg])
                / 2
            ).round(3),
            "condition_class": rng.choice(5, n, p=[0.35, 0.42, 0.17, 0.04, 0.02]) + 1,
            "length_m": np.round(rng.uniform(8, 120, n), 1),
            "geometry": points,
        }
    )
    return roads, frame

"""The village registry (台账) of the sample project: who is poor, and each gap.

Totals follow the decision: 210 poor villages in 10 poor townships (三) and 219,282
registered poor people (十六). Most poor villages lack something, some lack
nothing, a few lack many things; villages leaving the list earlier lack less.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

# Gaps a poor village can have. ``road`` and ``bridge`` are made real by the road
# network; the others are registry values.
GAPS = (
    "collective_income",
    "income",
    "water",
    "power_living",
    "power_production",
    "clinic",
    "fibre",
    "bus",
    "houses",
    "road",
    "bridge",
)
# Soft gaps (clinic, fibre, bus, houses) are commoner than the exit-blocking ones.
_GAP_WEIGHT = np.array([1.0, 0.5, 0.8, 0.25, 1.0, 1.0, 1.1, 1.0, 1.4, 0.6, 0.35])
CITY_UNITS = (
    "市财政局",
    "市发改委",
    "市交通运输局",
    "市水务局",
    "市农业局",
    "市林业局",
    "市教育局",
    "市卫计委",
    "市民政局",
    "市人社局",
    "市住建委",
    "市国土资源局",
    "市环保局",
    "市商务局",
    "市科技局",
    "市统计局",
    "市审计局",
    "市委组织部",
    "市委宣传部",
    "市文体新广局",
    "国网荆门供电公司",
    "荆门日报社",
)
COUNTY_UNITS = (
    "交通运输局",
    "水利局",
    "农业局",
    "财政局",
    "教育局",
    "卫计局",
    "民政局",
)
INCOME_GAP = (5600.0, 9800.0)
INCOME_OK = (11200.0, 16500.0)


@dataclass(frozen=True)
class Targets:
    """The decision's totals that the registry must meet exactly."""

    poor_townships: int = 10
    poor_villages: int = 210
    poor_people: int = 219_282
    exit_years: tuple[int, ...] = (2016, 2017, 2018)
    priority_township: str = "420881110"  # 柴湖镇, 大柴湖 (一)


def pick_poor_townships(
    seats: pd.DataFrame, villages: pd.DataFrame, rng, targets
) -> list[str]:
    """Ten rural townships with enough villages: the priority area, one per county, then any."""
    counts = villages.groupby("township_code").size()
    rural = seats[seats["type"].isin(["镇", "乡"])]
    able = sorted(c for c in rural["code"] if counts.get(c, 0) >= 15)
    county = rural.set_index("code")["county_code"]
    chosen = [targets.priority_township]
    for cc in sorted(county.unique()):
        pool = [c for c in able if county[c] == cc and c not in chosen]
        if pool and not any(county[c] == cc for c in chosen):
            chosen.append(str(rng.choice(pool)))
    pool = [c for c in able if c not in chosen]
    more = rng.choice(pool, targets.poor_townships - len(chosen), replace=False)
    return sorted([*chosen, *map(str, more)])


def split_total(total: int, weights, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Integers between ``low`` and ``high`` that sum to ``total``, near ``weights``.

    Largest-remainder rounding, repeated while caps bind.

    Raises
    ------
    ValueError
        When the caps cannot hold the total.
    """
    weights = np.asarray(weights, dtype=float)
    out = low.astype(np.int64).copy()
    if not low.sum() <= total <= high.sum():
        raise ValueError(f"cannot split {total} between {low.sum()} and {high.sum()}")
    while (left := total - int(out.sum())) > 0:
        free = out < high
        share = np.where(free, weights, 0.0)
        if share.sum() <= 0:
            share = free.astype(float)
        want = left * share / share.sum()
        add = np.minimum(np.floor(want).astype(np.int64), high - out)
        rest = left - int(add.sum())
        room = (high - out - add) > 0
        frac = np.where(room, want - np.floor(want), -1.0)
        order = np.lexsort((np.arange(len(frac)), -frac))[: max(rest, 0)]
        add[order[room[order]]] += 1
        out += add
    return out


def choose_poor_villages(villages, seats, poor_towns, rng, targets) -> np.ndarray:
    """A boolean mask of poor villages: far from the seat more often."""
    tcode = villages["township_code"].to_numpy()
    counts = np.array([(tcode == t).sum() for t in poor_towns])
    share = counts * rng.uniform(0.7, 1.0, len(counts))
    quota = split_total(
        targets.poor_villages, share, np.minimum(counts, 10), (counts * 0.8).astype(int)
    )
    poor = np.zeros(len(villages), dtype=bool)
    seat_xy = seats.set_index("code")[["x", "y"]]
    for town, k in zip(poor_towns, quota, strict=True):
        rows = np.flatnonzero(tcode == town)
        sx, sy = seat_xy.loc[town]
        d = np.hypot(
            villages["x"].to_numpy()[rows] - sx, villages["y"].to_numpy()[rows] - sy
        )
        p = d / d.max() + 0.35
        pick = rng.choice(rows, int(k), replace=False, p=p / p.sum())
        poor[pick] = True
    return poor


def gap_matrix(n_poor: int, rng) -> np.ndarray:
    """Which gaps each poor village has: none for some, many for a few."""
    level = rng.choice(3, n_poor, p=[0.14, 0.74, 0.12])
    k = np.where(
        level == 0,
        0,
        np.where(level == 1, rng.integers(1, 3, n_poor), rng.integers(5, 9, n_poor)),
    )
    gaps = np.zeros((n_poor, len(GAPS)), dtype=bool)
    for i in range(n_poor):
        if k[i]:
            p = _GAP_WEIGHT / _GAP_WEIGHT.sum()
            gaps[i, rng.choice(len(GAPS), int(k[i]), replace=False, p=p)] = True
    return gaps


def registry(
    villages: pd.DataFrame, poor: np.ndarray, rng, targets
) -> tuple[pd.DataFrame, np.ndarray]:
    """Registry values for every village and the gap matrix of the poor ones.

    Returns the registry (one row per village, canonical field names) and a
    boolean array ``(n_villages, len(GAPS))``, all False for villages not poor.
    """
    n = len(villages)
    gaps = np.zeros((n, len(GAPS)), dtype=bool)
    gaps[poor] = gap_matrix(int(poor.sum()), rng)
    # A few villages off the list still lack a service.
    rich = ~poor
    for j, rate in (
        (2, 0.06),
        (3, 0.01),
        (4, 0.04),
        (5, 0.08),
        (6, 0.12),
        (7, 0.15),
        (8, 0.2),
    ):
        gaps[rich, j] = rng.random(rich.sum()) < rate
    g = {name: gaps[:, j] for j, name in enumerate(GAPS)}
    gaps[:, GAPS.index("bus")] |= g["road"] & (rng.random(n) < 0.8)

    households = np.clip(
        rng.lognormal(np.log(np.where(poor, 330, 420)), 0.35), 110, 1500
    )
    households = households.round().astype(np.int64)
    population = np.round(households * rng.uniform(3.05, 3.75, n)).astype(np.int64)
    poor_people = _poor_people(population, poor, rng, targets)
    poor_households = np.clip(
        np.round(poor_people / rng.uniform(2.4, 3.1, n)), 1, households
    )
    poor_households = np.where(poor_people > 0, poor_households, 0).astype(np.int64)

    frame = pd.DataFrame(
        {
            "code": villages["nbs2023_code"].to_numpy(),
            "is_poor": poor,
            "households": households,
            "population": population,
            "poor_households": poor_households,
            "poor_people": poor_people,
            "collective_income": _money(g["collective_income"], poor, rng),
            "income_per_person": _income(g["income"], poor, rng),
            "safe_water_pct": _water(g["water"], rng),
            "power_living_upgraded": ~g["power_living"],
            "power_production_upgraded": ~(g["power_production"] | g["power_living"]),
            "has_clinic": ~g["clinic"],
            "has_fibre": ~g["fibre"],
            "has_bus": ~gaps[:, GAPS.index("bus")],
            "dangerous_houses": _houses(g["houses"], poor, poor_households, rng),
            "relocation_households": _relocation(gaps, poor, poor_households, rng),
        }
    )
    frame["exit_year"] = _exit_years(gaps, poor, rng, targets)
    frame["responsible_unit"] = _units(villages, poor, rng)
    return frame, gaps


def _poor_people(population, poor, rng, targets) -> np.ndarray:
    out = np.zeros(len(population), dtype=np.int64)
    out[poor] = np.round(population[poor] * rng.uniform(0.16, 0.34, poor.sum()))
    rest = targets.poor_people - out.sum()
    others = ~poor
    weight = population[others] * rng.gamma(4.0, 0.025, others.sum())
    low = np.zeros(others.sum(), dtype=np.int64)
    high = (population[others] * 0.3).astype(np.int64)
    out[others] = split_total(int(rest), weight, low, high)
    return out


def _money(gap, poor, rng) -> np.ndarray:
    ok = np.where(
        poor, rng.uniform(5.2, 18.0, len(gap)), rng.lognormal(np.log(16), 0.7, len(gap))
    )
    value = np.where(gap, rng.uniform(0.3, 4.6, len(gap)), np.maximum(ok, 5.2))
    return np.round(value, 2)


def _income(gap, poor, rng) -> np.ndarray:
    ok = rng.uniform(*INCOME_OK, len(gap)) + np.where(
        poor, 0.0, rng.uniform(0, 4000, len(gap))
    )
    return np.round(np.where(gap, rng.uniform(*INCOME_GAP, len(gap)), ok), -1)


def _water(gap, rng) -> np.ndarray:
    short = rng.uniform(38, 96, len(gap))
    return np.round(np.where(gap, short, 100.0), 1)


def _houses(gap, poor, poor_households, rng) -> np.ndarray:
    many = rng.integers(3, 46, len(gap))
    few = rng.integers(1, 6, len(gap))
    value = np.where(gap, np.where(poor, many, few), 0)
    return np.minimum(value, np.maximum(poor_households, 1)).astype(np.int64)


def _relocation(gaps, poor, poor_households, rng) -> np.ndarray:
    n_gaps = gaps.sum(axis=1)
    want = np.where(rng.random(len(poor)) < 0.65, rng.integers(2, 30, len(poor)), 0)
    want = want + np.where(n_gaps >= 5, rng.integers(15, 55, len(poor)), 0)
    want = np.where(
        poor,
        want,
        np.where(rng.random(len(poor)) < 0.05, rng.integers(1, 6, len(poor)), 0),
    )
    return np.minimum(want, poor_households).astype(np.int64)


def _exit_years(gaps, poor, rng, targets) -> pd.array:
    """About the same number of villages each year; fewer gaps, earlier exit."""
    years = np.full(len(poor), None, dtype=object)
    rows = np.flatnonzero(poor)
    score = gaps[rows].sum(axis=1) + rng.uniform(0, 2.5, len(rows))
    order = rows[np.argsort(score, kind="stable")]
    for chunk, year in zip(
        np.array_split(order, len(targets.exit_years)), targets.exit_years, strict=True
    ):
        years[chunk] = year
    return pd.array(years, dtype="Int64")


def _units(villages, poor, rng) -> np.ndarray:
    units = np.full(len(villages), None, dtype=object)
    counties = villages["county_name"].to_numpy()
    for i in np.flatnonzero(poor):
        if rng.random() < 0.45:
            units[i] = str(rng.choice(CITY_UNITS))
        else:
            units[i] = counties[i] + str(rng.choice(COUNTY_UNITS))
    return units

"""Safe drinking water (水利扶贫, 十.2): coverage, people not covered, subsidy.

Coverage comes from the village registry (``safe_water_pct``). Where a village
has no figure, it is judged from the map: covered when a pipe or a water works
that serves its surroundings lies within the rules' distance, not covered
otherwise; ``water_basis`` says which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.rules import Rules

BASIS_REGISTRY = "台账"
BASIS_DISTANCE = "按距管网/水厂距离推算"
BASIS_NONE = "无数据"


def water_gaps(
    villages: pd.DataFrame,
    village_xy: np.ndarray,
    sources: np.ndarray,
    rules: Rules,
) -> pd.DataFrame:
    """Water figures per village, aligned with ``villages``.

    Parameters
    ----------
    villages : DataFrame
        Canonical village fields (``population``, ``poor_people``,
        ``safe_water_pct``).
    village_xy : ndarray, shape (n, 2)
        Village points in metres (NaN when unknown).
    sources : ndarray of geometries
        Pipes and serving water works in the same metres.
    rules : Rules

    Returns
    -------
    DataFrame
        safe_water_pct, water_basis, water_source_m, people_without_water,
        water_subsidy_yuan, water_central_provincial_yuan, water_city_county_yuan.
    """
    v = rules.value
    pct = (
        pd.to_numeric(villages["safe_water_pct"], errors="coerce")
        .to_numpy(float)
        .copy()
    )
    basis = np.where(np.isnan(pct), BASIS_NONE, BASIS_REGISTRY).astype(object)
    dist = _distance_to(village_xy, sources)
    guess = np.isnan(pct) & np.isfinite(dist)
    limit = float(v("water", "coverage_distance_m"))
    pct[guess] = np.where(dist[guess] <= limit, 100.0, 0.0)
    basis[guess] = BASIS_DISTANCE

    people = _people(villages)
    short = np.clip(float(v("water", "target_pct")) - pct, 0, None) / 100.0
    without = np.round(people * short)
    per = float(v("money", "water_subsidy_per_person"))
    central = float(v("money", "water_central_provincial"))
    local = float(v("money", "water_city_county"))
    return pd.DataFrame(
        {
            "safe_water_pct": pct,
            "water_basis": basis,
            "water_source_m": np.round(dist, 0),
            "people_without_water": without,
            "water_subsidy_yuan": without * per,
            "water_central_provincial_yuan": without * central,
            "water_city_county_yuan": without * local,
        },
        index=villages.index,
    )


def _people(villages: pd.DataFrame) -> np.ndarray:
    """Population, or the registered poor people where population is missing."""
    pop = pd.to_numeric(villages["population"], errors="coerce")
    poor = pd.to_numeric(villages["poor_people"], errors="coerce")
    return pop.fillna(poor).to_numpy(float)


def _distance_to(xy: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest geometry (inf when there are none)."""
    out = np.full(len(xy), np.inf)
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms) or not len(xy):
        return out
    ok = ~np.isnan(xy).any(axis=1)
    points = shapely.points(xy[ok])
    tree = shapely.STRtree(geoms)
    (_, _), dist = tree.query_nearest(points, return_distance=True, all_matches=False)
    out[ok] = dist
    return out

"""Power (电力扶贫, 十.3): grid upgrade for daily life and production per village.

The registry says whether a village's grid upgrade is done; where it is silent,
a village within the rules' distance of an upgraded power line counts as done
(``power_basis`` says which). Daily-life power is due by the end of 2016 and
production power by the end of 2017; a village not done after its deadline is
overdue. The nearest substation and its voltage tell where the supply comes from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.rules import Rules
from gisapp.analysis.water import _distance_to

BASIS_REGISTRY = "台账"
BASIS_LINES = "按距已改造线路距离推算"
BASIS_NONE = "无数据"


def power_gaps(
    villages: pd.DataFrame,
    village_xy: np.ndarray,
    upgraded_lines: np.ndarray,
    substations: pd.DataFrame,
    substation_xy: np.ndarray,
    rules: Rules,
    year: int,
) -> pd.DataFrame:
    """Power figures per village, aligned with ``villages``.

    Returns
    -------
    DataFrame
        power_living_ok, power_production_ok, power_basis, power_living_overdue,
        power_production_overdue, nearest_substation, nearest_substation_km,
        nearest_substation_kv.
    """
    limit = float(rules.value("power", "line_distance_m"))
    has_lines = len(upgraded_lines) > 0
    near_line = _distance_to(village_xy, upgraded_lines) <= limit
    living, basis_l = _judge(villages["power_living_upgraded"], near_line, has_lines)
    production, basis_p = _judge(
        villages["power_production_upgraded"], near_line, has_lines
    )
    basis = np.where(basis_l == basis_p, basis_l, basis_l + "/" + basis_p)

    due_l = year >= int(rules.value("deadlines", "power_living"))
    due_p = year >= int(rules.value("deadlines", "power_production"))
    name, km, kv = _nearest_substation(village_xy, substations, substation_xy)
    return pd.DataFrame(
        {
            "power_living_ok": living,
            "power_production_ok": production,
            "power_basis": basis,
            "power_living_overdue": (~living & due_l).fillna(False).astype(bool),
            "power_production_overdue": (~production & due_p)
            .fillna(False)
            .astype(bool),
            "nearest_substation": name,
            "nearest_substation_km": km,
            "nearest_substation_kv": kv,
        },
        index=villages.index,
    )


def _judge(registry: pd.Series, near_line: np.ndarray, has_lines: bool):
    """The registry's yes/no where given, else the map's judgement, else unknown."""
    given = registry.notna().to_numpy()
    value = pd.array(registry.to_numpy(dtype=object), dtype="boolean")
    basis = np.where(given, BASIS_REGISTRY, BASIS_NONE).astype(object)
    if has_lines:
        value[~given] = near_line[~given]
        basis[~given] = BASIS_LINES
    return pd.Series(value, index=registry.index), basis


def _nearest_substation(xy: np.ndarray, stations: pd.DataFrame, station_xy: np.ndarray):
    n = len(xy)
    name = np.full(n, None, dtype=object)
    km = np.full(n, np.nan)
    kv = np.full(n, np.nan)
    ok_s = ~np.isnan(station_xy).any(axis=1) if len(station_xy) else np.zeros(0, bool)
    ok_v = ~np.isnan(xy).any(axis=1)
    if not ok_s.any() or not ok_v.any():
        return name, km, kv
    idx = np.flatnonzero(ok_s)
    tree = shapely.STRtree(shapely.points(station_xy[idx]))
    (_, k), dist = tree.query_nearest(
        shapely.points(xy[ok_v]), return_distance=True, all_matches=False
    )
    pick = stations.iloc[idx[k]]
    name[ok_v] = pick["name"].to_numpy(dtype=object)
    km[ok_v] = np.round(dist / 1000.0, 2)
    kv[ok_v] = pd.to_numeric(pick["voltage_kv"], errors="coerce").to_numpy(float)
    return name, km, kv

"""``analyse``: every target of the decision checked against a project's layers."""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd
import shapely

from gisapp.analysis import houses, power, relocation, water
from gisapp.analysis.exits import evaluate
from gisapp.analysis.inputs import boundary_of, gather, water_bodies
from gisapp.analysis.progress import progress_table
from gisapp.analysis.report import GapReport
from gisapp.analysis.roads import RoadInputs, analyse_roads
from gisapp.analysis.rules import Rules, load_rules
from gisapp.analysis.tables import (
    bridge_table,
    city_table,
    county_table,
    township_frame,
    township_table,
)
from gisapp.model.project import Project

log = logging.getLogger(__name__)

VILLAGE_KEYS = [
    "code",
    "name",
    "township",
    "township_code",
    "county",
    "county_code",
    "is_poor",
]


def analyse(project: Project, rules=None, year: int | None = None) -> GapReport:
    """Check every village and township of a project against a rules file.

    Parameters
    ----------
    project : Project
    rules : Rules, str or Path, optional
        The rules, or their name or file; by default the project's
        ``rules`` setting, else ``jingmen-2016``.
    year : int, optional
        The year progress and deadlines are judged for; by default the rules'
        ``default_year``.

    Returns
    -------
    GapReport
    """
    started = time.perf_counter()
    rules = rules if isinstance(rules, Rules) else load_rules(rules or project.rules)
    year = int(year or rules.default_year)
    notes: list[str] = []

    villages_g = gather(project, "village")
    # A project annotated by an earlier report carries its status; judge afresh.
    base = villages_g.frame.reset_index(drop=True).drop(
        columns=["gap_status", "gap_reason"], errors="ignore"
    )
    vxy = villages_g.xy
    if not len(base):
        notes.append("项目中没有行政村图层,无法逐村核查")
    road = _roads(project, rules, vxy, notes)
    water_t = _water(project, base, vxy, rules)
    power_t = _power(project, base, vxy, rules, year)
    reloc = _relocation(project, base, vxy, rules)
    house_t = houses.house_gaps(base, rules)

    table = _village_frame(
        base, road.villages, water_t, power_t, reloc.villages, house_t
    )
    averages = _city_averages(project, table, rules, notes)
    exits = evaluate(
        table,
        rules.village_exit,
        averages,
        table["is_poor"],
        details=_details(table),
    )
    table = pd.concat([table, exits], axis=1)

    towns = township_frame(gather(project, "township").frame, table)
    towns = township_table(towns, table, rules, averages)
    report = GapReport(
        rules=rules,
        year=year,
        villages=table,
        townships=towns,
        counties=county_table(table, towns),
        city=city_table(table, towns, rules, year),
        roads=road,
        bridges=bridge_table(road.bridges, table, rules),
        sites=reloc.sites,
        progress=progress_table(rules, year, table, towns),
        averages=averages,
        notes=notes,
        metric_crs=project.metric_crs,
    )
    log.debug("gap analysis done in %.2f s", time.perf_counter() - started)
    return report


def _roads(project, rules, vxy, notes):
    roads_g = gather(project, "road")
    bridges_g = gather(project, "bridge")
    if not len(roads_g):
        notes.append("项目中没有道路图层:道路连通、断头路和危桥无法核查")
    destinations = [vxy]
    for kind_id in ("township", "relocation_site", "water_works", "substation"):
        found = gather(project, kind_id)
        if len(found):
            destinations.append(found.xy)
    dest = np.concatenate(destinations)
    dest = dest[~np.isnan(dest).any(axis=1)]
    inputs = RoadInputs(
        roads=roads_g.frame,
        road_geoms=roads_g.geoms,
        village_xy=vxy,
        bridges=bridges_g.frame,
        bridge_xy=bridges_g.xy,
        destinations=dest,
        boundary=boundary_of(project, rules.city_code),
        water=water_bodies(project),
    )
    return analyse_roads(inputs, rules)


def _water(project, base, vxy, rules):
    pipes = gather(project, "water_pipe").geoms
    works = gather(project, "water_works")
    served = works.frame["works_type"].isin(list(rules.value("water", "served_by")))
    geoms = np.concatenate([pipes, works.geoms[served.to_numpy(bool)]])
    geoms = geoms[~shapely.is_missing(geoms)] if len(geoms) else geoms
    return water.water_gaps(base, vxy, geoms, rules)


def _power(project, base, vxy, rules, year):
    lines = gather(project, "power_line")
    upgraded = lines.frame["upgraded"].fillna(False).astype(bool).to_numpy()
    geoms = lines.geoms[upgraded] if len(lines) else lines.geoms
    stations = gather(project, "substation")
    return power.power_gaps(base, vxy, geoms, stations.frame, stations.xy, rules, year)


def _relocation(project, base, vxy, rules):
    sites = gather(project, "relocation_site")
    county = _county_of(project, sites.xy)
    return relocation.relocation_gaps(base, vxy, sites.frame, sites.xy, rules, county)


def _county_of(project, xy: np.ndarray) -> np.ndarray:
    """The code of the county polygon holding each point (None outside all)."""
    out = np.full(len(xy), None, dtype=object)
    counties = gather(project, "county")
    ok = ~np.isnan(xy).any(axis=1)
    if not len(counties) or not ok.any():
        return out
    polys = shapely.make_valid(counties.geoms)
    pi, ci = shapely.STRtree(polys).query(shapely.points(xy[ok]), predicate="within")
    codes = counties.frame["code"].to_numpy(dtype=object)
    out[np.flatnonzero(ok)[pi]] = codes[ci]
    return out


def _village_frame(base, *parts) -> pd.DataFrame:
    keep = [c for c in base.columns if c not in {"geometry"}]
    table = base[keep].copy()
    for part in parts:
        part = part.reset_index(drop=True)
        for col in part.columns:
            table[col] = part[col].to_numpy()
    table["is_poor"] = table["is_poor"].fillna(False).astype(bool)
    return table


def _city_averages(project, table: pd.DataFrame, rules: Rules, notes) -> dict:
    """City averages from the rules, else computed from the layers (and said so)."""
    out = {}
    for key, num in rules.city_average.items():
        if num.value is not None:
            out[key] = float(num.value)
            continue
        out[key] = _average_from_data(project, table, key)
        if np.isnan(out[key]):
            notes.append(f"{num.zh}:规则未给值,图层中也无数据,相关指标无法判定")
        else:
            notes.append(f"{num.zh}:规则未给值,按图层数据计算为 {out[key]:,.0f}")
    return out


def _average_from_data(project, table, key) -> float:
    if key in table:
        value = pd.to_numeric(table[key], errors="coerce")
        weight = pd.to_numeric(table.get("population"), errors="coerce")
        ok = value.notna() & weight.notna() & (weight > 0)
        if ok.any():
            return float(np.average(value[ok], weights=weight[ok]))
        if value.notna().any():
            return float(value.mean())
    towns = gather(project, "township").frame
    if key in towns:
        value = pd.to_numeric(towns[key], errors="coerce")
        if value.notna().any():
            return float(value.mean())
    return float("nan")


def _details(table: pd.DataFrame) -> dict[str, pd.Series]:
    """Words for the gap to close, added to a failed indicator's reason."""
    road = []
    for unh, new in zip(table["unhardened_km"], table["new_road_km"], strict=True):
        if isinstance(new, float) and new > 0:
            road.append(f"需新建道路约{new:.1f}公里")
        elif isinstance(unh, float) and unh > 0:
            road.append(f"需硬化{unh:.1f}公里")
        else:
            road.append("")
    water_text = [
        f"{int(n)}人未覆盖" if n and n == n else ""
        for n in table["people_without_water"]
    ]
    bridges = [f"危桥{c}" if c else "" for c in table["dangerous_bridge_codes"]]
    return {
        "road_hardened_connected": pd.Series(road, index=table.index),
        "safe_water_pct": pd.Series(water_text, index=table.index),
        "dangerous_bridges": pd.Series(bridges, index=table.index),
    }

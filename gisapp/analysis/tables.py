"""The report's tables per level: township, county, city, and dangerous bridges.

Gap and cost totals add up poor villages only, the places the decision's targets
apply to; counts of villages cover all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gisapp.analysis.exits import evaluate
from gisapp.analysis.rules import Rules

SUMS = [
    "poor_households",
    "poor_people",
    "unhardened_km",
    "new_road_km",
    "road_cost_yuan",
    "people_without_water",
    "water_subsidy_yuan",
    "water_central_provincial_yuan",
    "water_city_county_yuan",
    "relocation_households",
    "relocation_assigned",
    "relocation_no_site",
    "relocated_households",
    "relocation_subsidy_yuan",
    "relocation_loan_yuan",
    "dachaihu_city_yuan",
    "dachaihu_county_yuan",
    "dangerous_houses",
    "houses_rebuilt",
    "dangerous_houses_left",
    "dangerous_houses_cost_yuan",
    "maintenance_yuan_year",
    "village_road_km",
    "group_road_km",
    "household_path_km",
    "production_road_km",
]


def _counts(villages: pd.DataFrame, key: str) -> pd.DataFrame:
    """Village counts and poor-village totals per value of ``key``."""
    v = villages.copy()
    poor = v["is_poor"]
    v["villages"] = 1
    v["poor_villages"] = poor.astype(int)
    for status in ("red", "yellow", "green"):
        v[f"n_{status}"] = (v["gap_status"] == status).astype(int)
    v["exit_ready_villages"] = (poor & v["exit_ready"]).astype(int)
    v["exited_villages"] = (poor & v["exited"].fillna(False).astype(bool)).astype(int)
    v["not_hardened_villages"] = _known_false(poor, v["road_hardened_connected"])
    v["dangerous_bridge_villages"] = (
        poor & (v["dangerous_bridges"].fillna(0) > 0)
    ).astype(int)
    v["power_living_todo"] = _known_false(poor, v["power_living_ok"])
    v["power_production_todo"] = _known_false(poor, v["power_production_ok"])
    v["dead_ends"] = v["dead_ends_nearby"].where(poor, 0)
    sums = [c for c in SUMS if c in v]
    for col in sums:
        v[col] = pd.to_numeric(v[col], errors="coerce").where(poor, 0).fillna(0)
    cols = [
        "villages",
        "poor_villages",
        "n_red",
        "n_yellow",
        "n_green",
        "exit_ready_villages",
        "exited_villages",
        "not_hardened_villages",
        "dangerous_bridge_villages",
        "dead_ends",
        "power_living_todo",
        "power_production_todo",
        *sums,
    ]
    return v.groupby(key, dropna=False)[cols].sum()


def _known_false(poor: pd.Series, flag: pd.Series) -> pd.Series:
    """1 for poor villages where ``flag`` is known to be false, else 0."""
    missing = flag.isna()
    return (poor & ~flag.fillna(True).astype(bool) & ~missing).astype(int)


def township_frame(layer: pd.DataFrame, villages: pd.DataFrame) -> pd.DataFrame:
    """Every township in the layer or named by a village, with its attributes."""
    cols = [
        "code",
        "name",
        "county",
        "county_code",
        "is_poor",
        "exited",
        "income_per_person",
        "budget_revenue_per_person",
    ]
    frame = layer.reindex(columns=cols).dropna(subset=["code"]).drop_duplicates("code")
    named = (
        villages.dropna(subset=["township_code"])
        .groupby("township_code")
        .agg(
            name=("township", "first"),
            county=("county", "first"),
            county_code=("county_code", "first"),
        )
        .reset_index()
        .rename(columns={"township_code": "code"})
    )
    named = named[~named["code"].isin(frame["code"])]
    frame = pd.concat([frame, named], ignore_index=True)
    poor_of = villages.groupby("township_code")["is_poor"].any()
    has_poor = frame["code"].isin(poor_of[poor_of].index)
    frame["is_poor"] = frame["is_poor"].astype("boolean").fillna(has_poor).astype(bool)
    return frame.reset_index(drop=True)


def township_table(towns, villages, rules: Rules, averages) -> pd.DataFrame:
    """Per township: counts, poor-village totals, exit indicators and status."""
    counts = _counts(villages, "township_code")
    towns = towns.join(counts, on="code")
    for col in counts.columns:
        towns[col] = towns[col].fillna(0)
    income = _weighted(villages, "township_code", "income_per_person")
    own = pd.to_numeric(towns["income_per_person"], errors="coerce")
    towns["income_per_person"] = own.fillna(towns["code"].map(income))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = towns["exit_ready_villages"] / towns["poor_villages"]
    towns["villages_ready_share"] = share.where(towns["poor_villages"] > 0, 1.0)
    exits = evaluate(
        towns,
        rules.township_exit,
        averages,
        towns["is_poor"],
        not_poor="非贫困乡镇",
    )
    return pd.concat([towns, exits], axis=1)


def _weighted(villages, key, col) -> pd.Series:
    """Population-weighted mean of ``col`` per ``key`` (plain mean without population)."""
    v = villages[[key, col, "population"]].copy()
    v[col] = pd.to_numeric(v[col], errors="coerce")
    v["w"] = pd.to_numeric(v["population"], errors="coerce").fillna(1.0)
    v = v.dropna(subset=[col])
    v["vw"] = v[col] * v["w"]
    grouped = v.groupby(key)[["vw", "w"]].sum()
    return grouped["vw"] / grouped["w"]


def _town_counts(towns: pd.DataFrame, key: str) -> pd.DataFrame:
    t = towns.copy()
    poor = t["is_poor"].astype(bool)
    t["townships"] = 1
    t["poor_townships"] = poor.astype(int)
    t["exit_ready_townships"] = (poor & t["exit_ready"]).astype(int)
    t["exited_townships"] = (poor & t["exited"].fillna(False).astype(bool)).astype(int)
    cols = ["townships", "poor_townships", "exit_ready_townships", "exited_townships"]
    return t.groupby(key, dropna=False)[cols].sum()


def county_table(villages: pd.DataFrame, towns: pd.DataFrame) -> pd.DataFrame:
    """Per county: township and village counts and poor-village totals."""
    counts = _counts(villages, "county_code")
    names = villages.groupby("county_code", dropna=False)["county"].first()
    table = counts.join(_town_counts(towns, "county_code"), how="left").fillna(0)
    table.insert(0, "county", names)
    return table.reset_index()


def city_table(villages, towns, rules: Rules, year: int) -> pd.DataFrame:
    """One row for the whole city, naming the rules and the year."""
    v = villages.assign(_all="city")
    t = towns.assign(_all="city")
    row = _counts(v, "_all").join(_town_counts(t, "_all"), how="left").fillna(0)
    row.insert(0, "rules", rules.label)
    row.insert(1, "year", year)
    return row.reset_index(drop=True)


def bridge_table(
    bridges: pd.DataFrame, villages: pd.DataFrame, rules: Rules | None = None
):
    """Bridges with the villages routed over and cut off by each dangerous one."""
    out = bridges.copy()
    names = (villages["name"].fillna("").astype(str)).to_numpy()
    poor = villages["is_poor"].to_numpy(bool)

    def words(idx):
        return "、".join(names[i] for i in idx)

    out["cut_off_count"] = [len(x) for x in out["villages_cut_off"]]
    out["cut_off_poor"] = [
        int(poor[list(x)].sum()) if len(x) else 0 for x in out["villages_cut_off"]
    ]
    out["cut_off_villages"] = [words(x) for x in out["villages_cut_off"]]
    out["on_route_count"] = [len(x) for x in out["villages_on_route"]]
    out["on_route_villages"] = [words(x) for x in out["villages_on_route"]]
    if rules is not None:
        per_m = float(rules.value("money", "bridge_rebuild_per_m"))
        default = float(rules.value("money", "bridge_default_length_m"))
        length = pd.to_numeric(out.get("length_m"), errors="coerce").fillna(default)
        out["rebuild_cost_yuan"] = np.where(out["dangerous"], length * per_m, 0.0)
    return out

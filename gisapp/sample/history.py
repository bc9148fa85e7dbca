"""The campaign year by year: the office lists of 2016, 2017 and 2018.

The sample project's layers are the state at the end of 2015. Each later year gets
the lists an office would send: the poor villages' 台账 (是否出列, water, power,
houses, relocation, services, income), the village roads hardened that year (by
路线编码 and 起点桩号) and the dangerous bridges rebuilt. Each poor village leaves
the list in its ``exit_year`` (70 a year) with every gap closed, after work begun
the year before; a few villages that left in 2016 fall back in 2017 (返贫) and
leave again in 2018. The same seed always gives the same lists.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from gisapp.model.layer import GENERATED_SOURCE
from gisapp.sample.write import save_office_sheet

log = logging.getLogger(__name__)

BASE_PERIOD = "2015"
YEARS = (2016, 2017, 2018)
PERIODS_DIR = "periods"
FALL_BACK = 4  # villages that left in 2016 and fall back in 2017
HARDENED_TO = "cement"
REPAIRED_CLASS = 2
COLLECTIVE_MIN = 5.0  # 万元, the exit standard (七)
INCOME_AFTER = (12400.0, 14800.0)
# Shares of houses rebuilt and households moved by the end of each year, drawn per
# village between these bounds (the plan: houses by 2017, relocation by 2018).
SCHEDULE = {
    "houses": {2016: (0.35, 0.75), 2017: (0.85, 1.0), 2018: (1.0, 1.0)},
    "relocation": {2016: (0.3, 0.65), 2017: (0.6, 0.9), 2018: (1.0, 1.0)},
}
_SEED_OFFSET = 815  # its own stream: the other generated files stay as they were

VILLAGE_HEADERS = {
    "county": "县市区",
    "township": "乡镇",
    "code": "村代码",
    "name": "村名",
    "is_poor": "是否贫困村",
    "exited": "是否出列",
    "safe_water_pct": "安全饮水覆盖率(%)",
    "power_living_upgraded": "生活用电改造",
    "power_production_upgraded": "生产用电改造",
    "dangerous_houses": "危房户数",
    "houses_rebuilt": "已改造危房户数",
    "relocation_households": "自愿搬迁户数",
    "relocated_households": "已搬迁户数",
    "has_clinic": "标准卫生室",
    "has_fibre": "通光纤",
    "has_bus": "通客车",
    "collective_income": "村集体经济收入(万元)",
    "income_per_person": "人均可支配收入(元)",
    "source": "数据来源",
}
TOWNSHIP_HEADERS = {
    "code": "乡镇代码",
    "name": "乡镇名称",
    "county": "县市区",
    "is_poor": "是否贫困乡镇",
    "exited": "是否摘帽",
    "source": "数据来源",
}
ROAD_HEADERS = {
    "code": "路线编码",
    "name": "路线名称",
    "start_km": "起点桩号",
    "end_km": "止点桩号",
    "surface": "路面类型",
    "width_m": "路面宽度(米)",
    "built_year": "硬化年份",
    "source": "数据来源",
}
BRIDGE_HEADERS = {
    "code": "桥梁编码",
    "name": "桥梁名称",
    "road_code": "所在路线编码",
    "condition_class": "技术状况等级",
    "length_m": "桥长(米)",
    "source": "数据来源",
}
SURFACE_ZH = {"asphalt": "沥青", "cement": "水泥", "gravel": "砂石", "earth": "土路"}


@dataclass
class YearLists:
    """The lists of one year: villages (poor or with works), poor townships, roads
    hardened and bridges rebuilt that year."""

    year: int
    villages: pd.DataFrame
    townships: pd.DataFrame
    roads: pd.DataFrame
    bridges: pd.DataFrame


@dataclass
class History:
    """The generated lists, oldest first, and what was planned to happen."""

    years: list[YearLists]
    fell_back: list[str] = field(default_factory=list)

    def files(self) -> list[tuple[str, str, str, str]]:
        """(period, path, kind, name) of each list, as the project file names them."""
        out = []
        for lists in self.years:
            y = lists.year
            out.append((str(y), _path(y, "village"), "village", f"{y}年贫困村台账"))
            out.append((str(y), _path(y, "township"), "township", f"{y}年贫困乡镇台账"))
            if len(lists.roads):
                out.append((str(y), _path(y, "road"), "road", f"{y}年道路硬化台账"))
            if len(lists.bridges):
                out.append((str(y), _path(y, "bridge"), "bridge", f"{y}年危桥改造台账"))
        return out


def _path(year: int, kind: str) -> str:
    names = {
        "village": "贫困村台账",
        "township": "贫困乡镇台账",
        "road": "道路硬化台账",
        "bridge": "危桥改造台账",
    }
    return f"{PERIODS_DIR}/{year}年{names[kind]}.xlsx"


def make_history(registry: pd.DataFrame, roads, bridges, seed: int = 2016) -> History:
    """The lists of 2016–2018 for a sample registry and its roads and bridges.

    Parameters
    ----------
    registry : DataFrame
        The village registry (canonical fields, ``exit_year`` for poor villages).
    roads, bridges : DataFrame
        The generated road segments and bridges (canonical fields).
    seed : int
        The sample's seed; the history draws from a stream of its own.

    Returns
    -------
    History
    """
    rng = np.random.default_rng(seed + _SEED_OFFSET)
    listed = registry["is_poor"].astype(bool)
    works = (registry["dangerous_houses"].fillna(0) > 0) | (
        registry["relocation_households"].fillna(0) > 0
    )
    poor = registry[listed | works].reset_index(drop=True)
    never = YEARS[-1] + 100
    exit_year = pd.to_numeric(poor["exit_year"]).fillna(never).astype(int).to_numpy()
    n = len(poor)
    # How far each village's works were by the end of the year before its exit.
    head_start = rng.uniform(0.25, 0.75, n)
    early = {k: rng.random(n) < 0.5 for k in ("living", "production", "services")}
    first = np.flatnonzero(exit_year == YEARS[0])
    fell = np.sort(rng.choice(first, min(FALL_BACK, len(first)), replace=False))
    income_after = np.round(rng.uniform(*INCOME_AFTER, n), -1)
    schedule = {k: _schedule(v, n, rng) for k, v in SCHEDULE.items()}
    towns, town_year = _township_years(poor, exit_year)
    road_year = _road_years(poor, roads, rng)
    bridge_year = _bridge_years(poor, bridges, rng)
    years = []
    for year in YEARS:
        done = np.where(
            exit_year <= year, 1.0, np.where(exit_year == year + 1, head_start, 0.0)
        )
        plan = {k: v[year] for k, v in schedule.items()}
        table = _village_year(poor, done, plan, early, income_after, year)
        if year == YEARS[1]:
            table.loc[fell, "exited"] = False
            table.loc[fell, "income_per_person"] = np.round(
                poor.loc[fell, "income_per_person"].to_numpy() * 0.8, -1
            )
        years.append(
            YearLists(
                year,
                table,
                _township_list(towns, town_year, year),
                _road_list(roads, road_year, year),
                _bridge_list(bridges, bridge_year, year),
            )
        )
    fell_back = poor.loc[fell, "code"].astype(str).tolist()
    log.info("history: %d years, fall back %s", len(years), fell_back)
    return History(years, fell_back)


def _village_year(poor, done, plan, early, income_after, year) -> pd.DataFrame:
    """The villages' 台账 at the end of ``year``: the poor ones and any with works.

    ``done`` is the share of a village's gaps closed; ``plan`` the shares of houses
    rebuilt and households moved by the city-wide schedule, whichever is ahead.
    """
    out = poor[["county", "township", "code", "name", "is_poor"]].copy()
    out["is_poor"] = poor["is_poor"].astype(bool)
    out["exited"] = (done >= 1.0) & out["is_poor"]
    water = poor["safe_water_pct"].astype(float).to_numpy()
    out["safe_water_pct"] = np.where(
        done >= 1.0, 100.0, np.minimum(np.round(water + (100 - water) * done, 1), 99.5)
    )
    out["safe_water_pct"] = np.where(water >= 100.0, 100.0, out["safe_water_pct"])
    started = done > 0
    for col, key in (
        ("power_living_upgraded", "living"),
        ("power_production_upgraded", "production"),
    ):
        was = poor[col].astype(bool).to_numpy()
        out[col] = was | (done >= 1.0) | (started & early[key])
    for col in ("has_clinic", "has_fibre", "has_bus"):
        was = poor[col].astype(bool).to_numpy()
        out[col] = was | (done >= 1.0) | (started & early["services"])
    houses = poor["dangerous_houses"].astype(int).to_numpy()
    out["dangerous_houses"] = houses
    out["houses_rebuilt"] = np.floor(houses * np.maximum(done, plan["houses"])).astype(
        int
    )
    moving = poor["relocation_households"].astype(int).to_numpy()
    out["relocation_households"] = moving
    out["relocated_households"] = np.floor(
        moving * np.maximum(done, plan["relocation"])
    ).astype(int)
    income = poor["collective_income"].astype(float).to_numpy()
    lifted = np.maximum(income, COLLECTIVE_MIN + 0.4)
    out["collective_income"] = np.round(income + (lifted - income) * done, 2)
    person = poor["income_per_person"].astype(float).to_numpy()
    grown = person * (1.0 + 0.07 * (year - int(BASE_PERIOD)))
    target = np.maximum(grown, income_after)
    out["income_per_person"] = np.round(grown + (target - grown) * done, -1)
    out["source"] = GENERATED_SOURCE
    return out


def _township_years(poor, exit_year) -> tuple[pd.DataFrame, pd.Series]:
    """The poor townships and the year each is 摘帽: those furthest ahead first.

    Three by 2016, three more in 2017, the rest in 2018 (the plan: 3 by 2016, all
    by 2018).
    """
    listed = poor["is_poor"].astype(bool).to_numpy()
    frame = poor.loc[listed, ["township_code", "township", "county"]].assign(
        first=exit_year[listed] == YEARS[0]
    )
    towns = frame.groupby("township_code", sort=True).agg(
        name=("township", "first"), county=("county", "first"), ahead=("first", "mean")
    )
    order = towns.sort_values("ahead", ascending=False, kind="stable").index
    years = pd.Series(YEARS[-1], index=order)
    years.iloc[:3] = YEARS[0]
    years.iloc[3:6] = YEARS[1]
    return towns.reset_index().rename(columns={"township_code": "code"}), years


def _township_list(towns, town_year, year) -> pd.DataFrame:
    out = towns[["code", "name", "county"]].copy()
    out["is_poor"] = True
    out["exited"] = out["code"].map(town_year).to_numpy() <= year
    out["source"] = GENERATED_SOURCE
    return out


def _schedule(spans, n, rng) -> dict[int, np.ndarray]:
    """Per year, each village's share done by the city-wide schedule."""
    out, last = {}, np.zeros(n)
    for year, (low, high) in spans.items():
        last = np.maximum(last, rng.uniform(low, high, n))
        out[year] = last
    return out


def _village_of(codes: pd.Series) -> pd.Series:
    """The village a village or group road serves: C + 12-digit code."""
    return codes.astype(str).str.extract(r"^C(\d{12})", expand=False)


def _road_years(poor, roads, rng) -> pd.Series:
    """Year each unhardened road of a poor village is hardened (NaN: not hardened)."""
    poor = poor[poor["is_poor"].astype(bool)]
    exit_of = pd.Series(
        poor["exit_year"].astype(int).to_numpy(), poor["code"].astype(str)
    )
    village = _village_of(roads["code"])
    soft = ~roads["surface"].isin(["asphalt", "cement"])
    planned = village.map(exit_of)
    kind = roads["road_class"].astype(str)
    take = (
        soft
        & planned.notna()
        & ((kind == "village") | ((kind == "group") & (rng.random(len(roads)) < 0.45)))
    )
    lead = rng.random(len(roads)) < 0.4  # hardened the year before the exit
    year = planned - np.where(lead, 1, 0)
    year = year.clip(lower=YEARS[0])
    return year.where(take)


def _bridge_years(poor, bridges, rng) -> pd.Series:
    """Year each dangerous bridge (class 4–5) is rebuilt: by its village's exit."""
    poor = poor[poor["is_poor"].astype(bool)]
    exit_of = pd.Series(
        poor["exit_year"].astype(int).to_numpy(), poor["code"].astype(str)
    )
    village = _village_of(bridges["road_code"])
    dangerous = pd.to_numeric(bridges["condition_class"], errors="coerce") >= 4
    spread = pd.Series(rng.choice(YEARS[:2], len(bridges)), index=bridges.index)
    year = village.map(exit_of).fillna(spread)
    return year.where(dangerous)


def _road_list(roads, road_year, year) -> pd.DataFrame:
    rows = roads[road_year == year]
    out = rows[["code", "name", "start_km", "end_km"]].copy()
    out["surface"] = HARDENED_TO
    out["width_m"] = rows["width_m"].astype(float).clip(lower=3.5)
    out["built_year"] = year
    out["source"] = GENERATED_SOURCE
    return out.reset_index(drop=True)


def _bridge_list(bridges, bridge_year, year) -> pd.DataFrame:
    rows = bridges[bridge_year == year]
    out = rows[["code", "name", "road_code"]].copy()
    out["condition_class"] = REPAIRED_CLASS
    out["length_m"] = rows["length_m"].astype(float)
    out["source"] = GENERATED_SOURCE
    return out.reset_index(drop=True)


def write_history(out_dir: Path, history: History) -> list[tuple[str, str, str, str]]:
    """Write every list as an office workbook; return the project file's entries."""
    folder = Path(out_dir) / PERIODS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for lists in history.years:
        y = lists.year
        _write_sheet(
            Path(out_dir) / _path(y, "village"),
            f"{y}年贫困村台账",
            lists.villages,
            VILLAGE_HEADERS,
        )
        _write_sheet(
            Path(out_dir) / _path(y, "township"),
            f"{y}年贫困乡镇",
            lists.townships,
            TOWNSHIP_HEADERS,
        )
        if len(lists.roads):
            roads = lists.roads.assign(surface=lists.roads["surface"].map(SURFACE_ZH))
            _write_sheet(
                Path(out_dir) / _path(y, "road"),
                f"{y}年道路硬化",
                roads,
                ROAD_HEADERS,
            )
        if len(lists.bridges):
            _write_sheet(
                Path(out_dir) / _path(y, "bridge"),
                f"{y}年危桥改造",
                lists.bridges,
                BRIDGE_HEADERS,
            )
    return history.files()


def _write_sheet(path: Path, title: str, table: pd.DataFrame, headers: dict) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["序号", *headers.values()])
    for i, row in enumerate(table[list(headers)].itertuples(index=False), 1):
        ws.append([i, *(_cell(v) for v in row)])
    save_office_sheet(wb, path)


def _cell(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def periods_toml(entries: list[tuple[str, str, str, str]]) -> str:
    """The ``[[periods]]`` tables of the project file."""
    lines = [
        "",
        "# 各年度台账: each list joins the year before by 村代码, 路线编码+起点桩号 or",
        "# 桥梁编码; lists of the same year make one period.",
    ]
    for name, path, kind, _label in entries:
        lines += [
            "",
            "[[periods]]",
            f'name = "{name}"',
            f'path = "{path}"',
            f'kind = "{kind}"',
        ]
    return "\n".join(lines) + "\n"


def add_to_project(toml: Path, entries) -> None:
    """Give the generated project file its base period and its period lists."""
    text = toml.read_text(encoding="utf-8")
    marker = "[project]\n"
    head, rest = text.split(marker, 1)
    table, after = rest.split("\n\n", 1)
    table += f'\nperiod = "{BASE_PERIOD}"'
    text = f"{head}{marker}{table}\n\n{after.rstrip()}\n{periods_toml(entries)}"
    toml.write_text(text, encoding="utf-8")

"""The gap report: plain tables per level, village cards, and write-back to layers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pyproj import Transformer

from gisapp.analysis.columns import to_zh
from gisapp.analysis.exits import STATUS_ZH, card_rows
from gisapp.analysis.inputs import LAYER_COL, ROW_COL
from gisapp.analysis.rules import LOCAL, Rules
from gisapp.errors import GisAppError

INTERNAL = [LAYER_COL, ROW_COL, "edge", "villages_on_route", "villages_cut_off", "node"]


@dataclass
class GapReport:
    """Everything the gap engine found, as tables the app and exports share.

    Attributes
    ----------
    villages : DataFrame
        One row per village, poor or not: identity, indicators, gaps, costs,
        ``gap_status`` (red, yellow, green, none) and ``gap_reason``.
    townships, county, city : DataFrame
        Totals per township (with the 摘帽 indicators and status), per county and
        for the city.
    roads : RoadResult
        ``dead_ends``, ``edits``, ``summary`` and the network itself.
    bridges : DataFrame
        Every bridge: dangerous or not, villages routed over and cut off.
    sites : DataFrame
        Relocation sites with the households assigned to them.
    progress : DataFrame
        Each yearly target for ``year``: target, done, gap, on track.
    """

    rules: Rules
    year: int
    villages: pd.DataFrame
    townships: pd.DataFrame
    counties: pd.DataFrame
    city: pd.DataFrame
    roads: object
    bridges: pd.DataFrame
    sites: pd.DataFrame
    progress: pd.DataFrame
    averages: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    metric_crs: object = None

    @property
    def county(self) -> pd.DataFrame:
        return self.counties

    @property
    def rules_name(self) -> str:
        """The rules file and version every output names."""
        return self.rules.label

    @property
    def dead_ends(self) -> pd.DataFrame:
        return self.roads.dead_ends

    @property
    def edits(self) -> pd.DataFrame:
        return self.roads.edits

    @property
    def poor(self) -> pd.DataFrame:
        return self.villages[self.villages["is_poor"]]

    @property
    def power_todo(self) -> pd.DataFrame:
        """Poor villages whose grid upgrade is not done, with their deadlines."""
        v = self.poor
        todo = ~v["power_living_ok"].fillna(True).astype(bool)
        todo |= ~v["power_production_ok"].fillna(True).astype(bool)
        cols = [
            "code",
            "name",
            "township",
            "county",
            "power_living_ok",
            "power_production_ok",
            "power_living_overdue",
            "power_production_overdue",
            "power_basis",
            "nearest_substation",
            "nearest_substation_km",
            "nearest_substation_kv",
        ]
        return v.loc[todo, cols].reset_index(drop=True)

    def village(self, code: str) -> pd.Series:
        """The row of one village by its code."""
        hit = self.villages[self.villages["code"] == str(code)]
        if hit.empty:
            raise GisAppError(
                "no village has this code in the report",
                value=code,
                fix="use a 12-digit village code of the project's village layer",
            )
        return hit.iloc[0]

    def _record(self, code: str) -> dict:
        """One village's row as a dict; the lookup table is built on first use,
        since filtering the wide village table for every card cost milliseconds."""
        records = self.__dict__.get("_records")
        if records is None:
            records = dict(
                zip(
                    self.villages["code"].astype(str),
                    self.villages.to_dict("records"),
                    strict=True,
                )
            )
            self.__dict__["_records"] = records
        if str(code) not in records:
            return self.village(code).to_dict()  # raises the error that names the code
        return records[str(code)]

    def card(self, code: str) -> list[dict]:
        """村情卡: one village's indicators, gaps, costs and status, as rows.

        Each row has ``indicator`` (Chinese), ``value``, ``target``, ``passed``,
        ``margin``, ``clause``, ``section`` and ``veto``.
        """
        row = self._record(code)
        rows = [
            {**r, "section": "退出标准"}
            for r in card_rows(row, self.rules.village_exit, self.averages)
        ]
        rows += [{**r, "section": "差距与资金"} for r in self._gap_rows(row)]
        rows.append(
            {
                "indicator": "状态",
                "value": STATUS_ZH[row["gap_status"]],
                "target": STATUS_ZH["green"],
                "passed": row["gap_status"] in ("green",),
                "margin": None,
                "clause": "七",
                "veto": False,
                "section": "状态",
                "reason": row["gap_reason"],
            }
        )
        return rows

    def _gap_rows(self, row: pd.Series) -> list[dict]:
        r = self.rules
        specs = [
            ("待硬化里程(公里)", "unhardened_km", 0, "十.1"),
            ("需新建道路(公里)", "new_road_km", 0, "十.1"),
            (
                "道路投资(元)",
                "road_cost_yuan",
                None,
                r.clause("money", "harden_per_km"),
            ),
            ("通县道路线", "route", None, "十.1"),
            ("路线上危桥编号", "dangerous_bridge_codes", None, "十.1"),
            ("附近断头路(处)", "dead_ends_nearby", 0, "十.1"),
            ("村组道路养护(元/年)", "maintenance_yuan_year", None, "十.1"),
            ("未覆盖安全饮水人口", "people_without_water", 0, "十.2"),
            ("饮水补助(元)", "water_subsidy_yuan", None, "十.2"),
            ("其中中央和省级(元)", "water_central_provincial_yuan", None, "十.2"),
            ("其中市县配套(元)", "water_city_county_yuan", None, "十.2"),
            ("最近变电站", "nearest_substation", None, "十.3"),
            ("距变电站(公里)", "nearest_substation_km", None, "十.3"),
            ("自愿搬迁户数", "relocation_households", None, "十.4"),
            ("无安置点户数", "relocation_no_site", 0, "十.4"),
            ("安置点", "relocation_sites", None, "十.4"),
            ("搬迁补助(元)", "relocation_subsidy_yuan", None, "十.4"),
            ("无息贷款(元)", "relocation_loan_yuan", None, "十.4"),
            ("大柴湖另补(元)", "_dachaihu", None, "十.4"),
            ("危房改造资金(元)", "dangerous_houses_cost_yuan", None, "十.5"),
        ]
        out = []
        for zh, key, target, clause in specs:
            if key == "_dachaihu":
                value = _num(row["dachaihu_city_yuan"]) + _num(
                    row["dachaihu_county_yuan"]
                )
            else:
                value = _plain(row.get(key))
            passed = None
            margin = None
            if (
                target is not None
                and isinstance(value, (int, float))
                and not _isnan(value)
            ):
                passed = value <= target
                margin = round(value - target, 3)
            out.append(
                {
                    "indicator": zh,
                    "value": value,
                    "target": target,
                    "passed": passed,
                    "margin": margin,
                    "clause": clause,
                    "veto": False,
                }
            )
        return out

    def annotate(self, project) -> None:
        """Write ``gap_status``/``gap_reason`` on village layers, ``danger`` on bridges.

        These are the fields ``styles/village.toml`` and ``styles/bridge.toml``
        colour by.
        """
        for layer in project.layers_of("village"):
            mine = self.villages[self.villages[LAYER_COL] == layer.id]
            status = pd.Series("none", index=range(len(layer.frame)), dtype=object)
            reason = pd.Series("", index=range(len(layer.frame)), dtype=object)
            status[mine[ROW_COL].to_numpy()] = mine["gap_status"].to_numpy()
            reason[mine[ROW_COL].to_numpy()] = mine["gap_reason"].to_numpy()
            layer.frame["gap_status"] = status.to_numpy()
            layer.frame["gap_reason"] = reason.to_numpy()
            layer.touch()
        for layer in project.layers_of("bridge"):
            mine = self.bridges[self.bridges[LAYER_COL] == layer.id]
            danger = pd.Series("safe", index=range(len(layer.frame)), dtype=object)
            danger[mine[ROW_COL].to_numpy()] = mine["danger"].to_numpy()
            layer.frame["danger"] = danger.to_numpy()
            layer.touch()

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table with English column names, by sheet name."""
        dead = self._with_lonlat(self.roads.dead_ends)
        edits = self._with_lonlat(self.roads.edits)
        return {
            "村级差距": _public(self.villages),
            "乡镇汇总": _public(self.townships),
            "县市区汇总": _public(self.counties),
            "全市汇总": _public(self.city),
            "年度进度": self.progress,
            "电力待改造": self.power_todo,
            "桥梁": _public(self._with_lonlat(self.bridges)),
            "断头路": _public(dead),
            "路网修正": _public(edits),
            "安置点": self.sites,
            "规则": self.rules_table(),
        }

    def tables_zh(self) -> dict[str, pd.DataFrame]:
        """Every table with Chinese column headings, for the Excel export."""
        indicators = self.rules.village_exit + self.rules.township_exit
        out = {}
        for name, frame in self.tables().items():
            frame = frame.copy()
            if "gap_status" in frame:
                frame["gap_status"] = frame["gap_status"].map(STATUS_ZH)
            out[name] = to_zh(frame, indicators, sheet=name)
        return out

    def rules_table(self) -> pd.DataFrame:
        """Every number of the rules with its clause; local settings marked."""
        rows = self.rules.all_numbers()
        for key, t in self.rules.targets.items():
            for y, value in sorted(t.by_year.items()):
                rows.append(
                    {
                        "section": "targets",
                        "key": f"{key}.{y}",
                        "zh": f"{t.zh}({y}年)",
                        "value": value,
                        "clause": t.clause,
                        "note": "",
                    }
                )
        for ind in self.rules.village_exit + self.rules.township_exit:
            rows.append(
                {
                    "section": "exit",
                    "key": ind.key,
                    "zh": ind.zh + ("(一票否决)" if ind.veto else ""),
                    "value": f"{ind.op} {ind.target}"
                    + (f" × {ind.ratio_of}" if ind.ratio_of else ""),
                    "clause": ind.clause,
                    "note": ind.note,
                }
            )
        table = pd.DataFrame(rows)
        table["value"] = table["value"].astype(str)
        table.insert(0, "rules", self.rules.label)
        table["local"] = table["clause"] == LOCAL
        return table

    def _with_lonlat(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.metric_crs is None or frame.empty or "x" not in frame:
            return frame
        to_geo = Transformer.from_crs(self.metric_crs, "EPSG:4490", always_xy=True)
        lon, lat = to_geo.transform(frame["x"].to_numpy(), frame["y"].to_numpy())
        return frame.assign(lon=np.round(lon, 6), lat=np.round(lat, 6))


def _public(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in INTERNAL if c in frame.columns])


def _plain(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    return value


def _num(value) -> float:
    value = _plain(value)
    return 0.0 if value is None else float(value)


def _isnan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)

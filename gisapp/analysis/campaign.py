"""Results per period against the yearly plan of the rules file.

The plan is cumulative: villages leaving the list (70 a year from 2016), townships
(3 by 2016, all by 2018), and the shares of relocation and dangerous-house rebuilding.
Each period is compared with the target in force at the end of its year.
"""

from __future__ import annotations

import pandas as pd

from gisapp.analysis.transitions import _flag
from gisapp.model.periods import History, Period


def _exited(frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    return int((_flag(frame, "is_poor") & _flag(frame, "exited")).sum())


def _share(frame: pd.DataFrame, done: str, planned: str) -> float:
    if frame.empty or done not in frame or planned not in frame:
        return float("nan")
    total = pd.to_numeric(frame[planned], errors="coerce").fillna(0).sum()
    if total <= 0:
        return float("nan")
    return float(pd.to_numeric(frame[done], errors="coerce").fillna(0).sum() / total)


def _row(period: Period, villages: pd.DataFrame, towns: pd.DataFrame, rules) -> dict:
    year = period.year
    out = {"period": period.name, "year": year}
    measures = {
        "villages_exit": _exited(villages),
        "townships_exit": _exited(towns),
        "relocation": _share(villages, "relocated_households", "relocation_households"),
        "dangerous_houses": _share(villages, "houses_rebuilt", "dangerous_houses"),
    }
    for key, value in measures.items():
        target = rules.targets[key].for_year(year) if key in rules.targets else None
        out[key] = value
        out[f"{key}_target"] = target
        if target is None or value != value:
            out[f"{key}_on_track"] = None
        else:
            out[f"{key}_on_track"] = bool(value >= target)
    return out


def progress_by_period(history: History, rules) -> pd.DataFrame:
    """One row per period: each measure, its target for that year, on track or not."""
    rows = []
    for period in history.periods:
        rows.append(
            _row(period, period.state("village"), period.state("township"), rules)
        )
    return pd.DataFrame(rows)


def progress_by_township(history: History, rules, period_name: str) -> pd.DataFrame:
    """Villages out and the shares done, per township, at one period."""
    period = history.get(period_name)
    villages = period.state("village")
    if villages.empty or "township" not in villages:
        return pd.DataFrame()
    rows = []
    for town, group in villages.groupby("township", sort=True, dropna=True):
        poor = int(_flag(group, "is_poor").sum())
        if not poor:
            continue
        rows.append(
            {
                "township": town,
                "poor_villages": poor,
                "villages_exit": _exited(group),
                "relocation": _share(
                    group, "relocated_households", "relocation_households"
                ),
                "dangerous_houses": _share(group, "houses_rebuilt", "dangerous_houses"),
            }
        )
    return pd.DataFrame(rows)


PROGRESS_ZH = {
    "period": "时期",
    "year": "年份",
    "villages_exit": "贫困村销号(累计)",
    "villages_exit_target": "计划销号(累计)",
    "villages_exit_on_track": "销号进度达标",
    "townships_exit": "乡镇摘帽(累计)",
    "townships_exit_target": "计划摘帽(累计)",
    "townships_exit_on_track": "摘帽进度达标",
    "relocation": "搬迁完成比例",
    "relocation_target": "计划搬迁比例",
    "relocation_on_track": "搬迁进度达标",
    "dangerous_houses": "危房改造完成比例",
    "dangerous_houses_target": "计划危改比例",
    "dangerous_houses_on_track": "危改进度达标",
    "township": "乡镇",
    "poor_villages": "贫困村数",
}

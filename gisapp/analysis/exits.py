"""Exit standards: village 销号 (七) and township 摘帽 (八), and the gap status.

Each indicator of the rules is compared with its target, which is either a fixed
number or a share of a city average. A failing veto indicator (一票否决) makes
the status red; any other failure, or an indicator without data, makes it
yellow; a village or township meeting every indicator is green. Places that are
not on the poor list get the status ``none``. The reason is written in words.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from gisapp.analysis.rules import Indicator

STATUS_ZH = {"red": "差距大", "yellow": "有差距", "green": "达标", "none": "非贫困"}


def target_of(ind: Indicator, averages: dict[str, float]) -> float | bool | None:
    """The indicator's target, a city average times a share when ``ratio_of``."""
    if ind.ratio_of is None:
        return ind.target
    avg = averages.get(ind.ratio_of)
    if avg is None or (isinstance(avg, float) and math.isnan(avg)):
        return None
    return round(float(ind.target) * float(avg), 2)


def evaluate(
    table: pd.DataFrame,
    indicators: tuple[Indicator, ...],
    averages: dict[str, float],
    poor: pd.Series,
    prefix: str = "exit",
    details: dict[str, pd.Series] | None = None,
    not_poor: str = "非贫困村",
) -> pd.DataFrame:
    """Pass, margin, status and reason for each row of ``table``.

    Parameters
    ----------
    table : DataFrame
        One column per indicator key.
    indicators : tuple of Indicator
    averages : dict
        City averages the ``ratio_of`` indicators compare with.
    poor : Series of bool
        Rows on the poor list; the others get status ``none``.
    details : dict, optional
        Words to add to a failed indicator's reason, by key (the gap to close).
    not_poor : str
        The reason given to rows not on the poor list.

    Returns
    -------
    DataFrame
        ``<prefix>_<key>_pass`` and ``<prefix>_<key>_margin`` per indicator,
        ``<prefix>_ready`` (every indicator met), ``gap_status``, ``gap_reason``.
    """
    out = pd.DataFrame(index=table.index)
    fails_veto = np.zeros(len(table), bool)
    fails_other = np.zeros(len(table), bool)
    unknown = np.zeros(len(table), bool)
    reasons: list[list[str]] = [[] for _ in range(len(table))]
    for ind in indicators:
        target = target_of(ind, averages)
        values = (
            table[ind.key] if ind.key in table else pd.Series(np.nan, index=table.index)
        )
        passed, margin = [], []
        for k, value in enumerate(values.tolist()):
            ok = None if target is None else ind.passes(_plain(value), target)
            passed.append(ok)
            margin.append(_margin(value, target))
            if ok is None:
                unknown[k] = True
                reasons[k].append(f"缺数据:{ind.zh}")
            elif not ok:
                (fails_veto if ind.veto else fails_other)[k] = True
                text = describe_failure(ind, value, target)
                extra = details.get(ind.key) if details else None
                if extra is not None and extra.iloc[k]:
                    text += f",{extra.iloc[k]}"
                reasons[k].append(text)
        out[f"{prefix}_{ind.key}_pass"] = pd.array(passed, dtype="boolean")
        out[f"{prefix}_{ind.key}_margin"] = margin
    poor = poor.fillna(False).astype(bool).to_numpy()
    status = np.where(
        fails_veto, "red", np.where(fails_other | unknown, "yellow", "green")
    ).astype(object)
    status[~poor] = "none"
    out[f"{prefix}_ready"] = ~(fails_veto | fails_other | unknown)
    out["gap_status"] = status
    out["gap_reason"] = [
        not_poor if not p else ("；".join(r) if r else "各项指标达到销号标准")
        for p, r in zip(poor, reasons, strict=True)
    ]
    return out


def _plain(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _margin(value, target):
    """value − target for numbers; None for yes/no indicators or missing data."""
    value = _plain(value)
    if (
        isinstance(value, bool)
        or isinstance(target, bool)
        or value is None
        or target is None
    ):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return round(float(value) - float(target), 2)


def describe_failure(ind: Indicator, value, target) -> str:
    """A failed indicator in words: what it is, its value and the target."""
    value = _plain(value)
    if isinstance(target, bool):
        return f"{ind.zh}:未达到" if target else f"{ind.zh}:不符合"
    sign = {">=": "≥", "<=": "≤", "==": "="}[ind.op]
    return f"{ind.zh} {_fmt(value)}(目标{sign}{_fmt(target)})"


def _fmt(x) -> str:
    if isinstance(x, float):
        return (
            f"{x:,.2f}".rstrip("0").rstrip(".") if not x.is_integer() else f"{int(x):,}"
        )
    return str(x)


def card_rows(row: pd.Series, indicators, averages, prefix="exit") -> list[dict]:
    """村情卡 rows for the indicators of one village (or township)."""
    rows = []
    for ind in indicators:
        target = target_of(ind, averages)
        value = _plain(row.get(ind.key))
        passed = row.get(f"{prefix}_{ind.key}_pass")
        rows.append(
            {
                "indicator": ind.zh,
                "value": value,
                "target": target,
                "passed": None if passed is pd.NA or passed is None else bool(passed),
                "margin": _plain(row.get(f"{prefix}_{ind.key}_margin")),
                "clause": ind.clause,
                "veto": ind.veto,
            }
        )
    return rows

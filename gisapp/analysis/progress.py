"""Progress against the plan for a chosen year (三): what is done versus the target.

Targets in the rules are cumulative by the end of each year. Counts (villages and
townships out) compare with the number on the list; shares (relocation, houses,
power, clinics) compare with the share done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gisapp.analysis.rules import Rules


def _share(done: float, total: float) -> float:
    return float(done) / float(total) if total else float("nan")


def progress_table(
    rules: Rules,
    year: int,
    villages: pd.DataFrame,
    townships: pd.DataFrame,
) -> pd.DataFrame:
    """One row per yearly target: target, done, meeting standards, planned, gap.

    Parameters
    ----------
    rules : Rules
    year : int
    villages : DataFrame
        The village table of the report (poor villages are those with
        ``is_poor``).
    townships : DataFrame
        The township table of the report.
    """
    poor = villages[villages["is_poor"].fillna(False).astype(bool)]
    ptown = townships[townships["is_poor"].fillna(False).astype(bool)]
    rows = []
    n_poor = len(poor)

    exited = poor["exited"].fillna(False).astype(bool)
    planned = pd.to_numeric(poor["exit_year"], errors="coerce") <= year
    rows.append(
        _count_row(
            rules,
            "villages_exit",
            year,
            int(exited.sum()),
            int(poor["exit_ready"].sum()),
            int(planned.sum()),
            n_poor,
        )
    )
    t_exited = ptown["exited"].fillna(False).astype(bool)
    rows.append(
        _count_row(
            rules,
            "townships_exit",
            year,
            int(t_exited.sum()),
            int(ptown["exit_ready"].sum()),
            None,
            len(ptown),
        )
    )
    rows.append(
        _share_row(
            rules,
            "relocation",
            year,
            poor["relocated_households"].sum(),
            poor["relocation_households"].sum(),
        )
    )
    rows.append(
        _share_row(
            rules,
            "dangerous_houses",
            year,
            poor["houses_rebuilt"].sum(),
            poor["dangerous_houses"].sum(),
        )
    )
    rows.append(
        _share_row(rules, "power_living", year, poor["power_living_ok"].sum(), n_poor)
    )
    rows.append(
        _share_row(
            rules, "power_production", year, poor["power_production_ok"].sum(), n_poor
        )
    )
    clinic = poor["has_clinic"].fillna(False).astype(bool)
    rows.append(_share_row(rules, "clinic", year, clinic.sum(), n_poor))
    if "fibre" in rules.targets:
        fibre = poor["has_fibre"].fillna(False).astype(bool)
        rows.append(_share_row(rules, "fibre", year, fibre.sum(), n_poor))
    return pd.DataFrame(rows)


def _base(rules: Rules, key: str, year: int) -> dict:
    t = rules.targets[key]
    return {
        "key": key,
        "target_zh": t.zh,
        "clause": t.clause,
        "year": year,
        "target": t.for_year(year),
    }


def _count_row(rules, key, year, done, ready, planned, total) -> dict:
    row = _base(rules, key, year)
    target = row["target"]
    row.update(
        {
            "unit": "个",
            "total": total,
            "done": done,
            "ready": ready,
            "planned": planned,
            "done_share": round(_share(done, total), 4),
            "behind": None if target is None else max(0, int(round(target)) - done),
        }
    )
    row["on_track"] = None if target is None else done >= target
    return row


def _share_row(rules, key, year, done, total) -> dict:
    row = _base(rules, key, year)
    target = row["target"]
    share = _share(done, total)
    need = None if target is None else int(np.ceil(target * float(total) - 1e-9))
    row.update(
        {
            "unit": "比例",
            "total": float(total),
            "done": float(done),
            "ready": None,
            "planned": None,
            "done_share": round(share, 4),
            "behind": None if need is None else max(0, need - int(done)),
        }
    )
    row["on_track"] = (
        None if target is None or np.isnan(share) else share >= target - 1e-9
    )
    return row

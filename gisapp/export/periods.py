"""A project at a period, for every export that shows one (no Qt).

``at_period`` puts a period's attributes on the project's layers and gives the
project back unchanged; ``walk_periods`` visits several periods in turn with the
gap report of each year written on the layers, and says for each the figures a
briefing shows against the plan of the rules file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from gisapp.analysis import analyse
from gisapp.analysis.campaign import progress_by_period
from gisapp.analysis.rules import Rules, load_rules
from gisapp.analysis.transitions import transitions
from gisapp.errors import ExportError

log = logging.getLogger(__name__)

STATUS_ORDER = (("green", "达标"), ("yellow", "有差距"), ("red", "差距大"))


def check_history(project, *names: str) -> None:
    """Refuse a project without periods, or a period it does not have."""
    if not project.history.periods:
        raise ExportError(
            "the project has no periods",
            path=project.path,
            fix='add period = "2015" under [project] and [[periods]] lists to '
            "project.toml, or import a year's list",
        )
    for name in names:
        project.history.get(str(name))


def _geometry_name(frame) -> str:
    return getattr(frame, "_geometry_column_name", None) or "geometry"


@contextmanager
def at_period(project, name: str) -> Iterator:
    """The project with its layers' attributes as they stood at period ``name``.

    Every layer's attributes (and columns added meanwhile, such as the gap status
    written by ``report.annotate``) are put back on leaving, even after an error.

    Parameters
    ----------
    project : Project
    name : str
        A period of ``project.history``.

    Yields
    ------
    Project
        The same project object, changed until the block ends.
    """
    check_history(project, name)
    saved = [
        (layer, layer.frame.drop(columns=_geometry_name(layer.frame)).copy())
        for layer in project.layers
    ]
    try:
        project.history.apply(project, str(name))
        yield project
    finally:
        for layer, columns in saved:
            frame = layer.frame
            for col in [c for c in frame.columns if c not in columns]:
                if col != _geometry_name(frame):
                    del frame[col]
            for col in columns.columns:
                frame[col] = columns[col]
            layer.changed()


def rules_of(project, rules=None) -> Rules:
    return rules if isinstance(rules, Rules) else load_rules(rules or project.rules)


def period_report(project, name: str, rules=None):
    """The gap report of a project at a period, judged for that period's year.

    Call inside :func:`at_period` so that the layers hold that period.
    """
    period = project.history.get(str(name))
    return analyse(project, rules, year=period.year)


@contextmanager
def period_view(project, name: str, rules=None, label: bool = True) -> Iterator:
    """The project at period ``name`` with that year's gap status on its layers.

    For printing a period: ``with period_view(project, "2017") as report:
    export_wallmap(project, out, report=report)`` (or ``export_book``). With
    ``label`` the subtitle starts with the period ("2017年状态"). Everything is
    restored when the block ends.

    Yields
    ------
    GapReport
        The report of that period, judged for its year.
    """
    with at_period(project, name):
        subtitle = project.subtitle
        if label:
            project.subtitle = "  ·  ".join(filter(None, [f"{name}年状态", subtitle]))
        try:
            report = period_report(project, name, rules)
            report.annotate(project)
            yield report
        finally:
            project.subtitle = subtitle


@dataclass
class PeriodView:
    """One period as a briefing shows it: its report and figures against the plan.

    ``lines`` are (label, value, on track or None) in Chinese; ``status`` the gap
    status of every village by code.
    """

    name: str
    year: int
    report: object
    lines: list = field(default_factory=list)
    status: pd.Series = field(default_factory=pd.Series)


def figures(
    row: pd.Series, report, returned: int
) -> list[tuple[str, str, bool | None]]:
    """(label, value, on track) lines of one period's progress row and report."""

    def count(key, unit="个"):
        target = row.get(f"{key}_target")
        plan = "—" if pd.isna(target) else f"{int(target)}"
        return f"{int(row[key])} / 计划 {plan} {unit}"

    def share(key):
        value, target = row.get(key), row.get(f"{key}_target")
        text = "—" if pd.isna(value) else f"{value:.0%}"
        return text + ("" if pd.isna(target) else f" / 计划 {target:.0%}")

    def track(key):
        value = row.get(f"{key}_on_track")
        return None if value is None or pd.isna(value) else bool(value)

    lines = [
        ("贫困村销号(累计)", count("villages_exit"), track("villages_exit")),
        ("贫困乡镇摘帽(累计)", count("townships_exit"), track("townships_exit")),
        ("易地搬迁完成", share("relocation"), track("relocation")),
        ("危房改造完成", share("dangerous_houses"), track("dangerous_houses")),
    ]
    if returned:
        lines.append(("本期返贫重新纳入", f"{returned} 个村", None))
    poor = report.villages[report.villages["is_poor"].fillna(False).astype(bool)]
    counts = poor["gap_status"].value_counts()
    status = " · ".join(f"{zh} {int(counts.get(k, 0))}" for k, zh in STATUS_ORDER)
    lines.append(("贫困村状态", status, None))
    return lines


def walk_periods(project, names=None, rules=None) -> Iterator[PeriodView]:
    """Visit periods oldest first, the project held at each with its status written.

    Inside each step the project's layers hold the period and its gap report's
    ``gap_status`` (``report.annotate``); they are restored when the step ends.

    Parameters
    ----------
    project : Project
    names : list of str, optional
        The periods to visit; all by default.
    rules : Rules, str or Path, optional
        The project's rules by default.
    """
    check_history(project, *(names or []))
    rules = rules_of(project, rules)
    history = project.history
    every = history.names()
    wanted = set(map(str, names)) if names else set(every)
    progress = progress_by_period(history, rules).set_index("period")
    for i, name in enumerate(every):
        if name not in wanted:
            continue
        returned = 0
        if i:
            returned = transitions(history.get(every[i - 1]), history.get(name)).count(
                "village_returned"
            )
        with period_view(project, name, rules, label=False) as report:
            table = report.villages
            status = pd.Series(
                table["gap_status"].to_numpy(), index=table["code"].astype(str)
            )
            yield PeriodView(
                name,
                history.get(name).year,
                report,
                figures(progress.loc[name], report, returned),
                status[~status.index.duplicated()],
            )
        log.debug("period %s visited", name)

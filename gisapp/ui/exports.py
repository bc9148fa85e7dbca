"""The export jobs of the window: wall map PDF, web map and Excel lists.

Each writes to a temporary name beside the target and renames it only when the
export finished and was not cancelled, so a user's earlier file is never lost.
"""

from __future__ import annotations

import importlib
import inspect
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gisapp.errors import ExportError

EXPORTS = {
    "wallmap": ("gisapp.export.wallmap", "export_wallmap", ".pdf"),
    "webmap": ("gisapp.export.webmap", "export_webmap", ".html"),
    "tables": ("gisapp.export.tables", "export_tables", ".xlsx"),
}


def exporter(name: str):
    """The export function of one kind, or an ExportError saying it is missing."""
    module_name, func_name, _ = EXPORTS[name]
    try:
        module = importlib.import_module(module_name)
        return getattr(module, func_name)
    except (ImportError, AttributeError) as exc:
        raise ExportError(
            "this export is not part of the installed version",
            value=f"{module_name}.{func_name}",
            fix="install the complete application",
        ) from exc


def analyse(project, rules=None, year: int | None = None):
    """The gap report of a project (None when the gap engine is not installed).

    ``year`` is the year progress and deadlines are judged for (the period shown).
    """
    try:
        from gisapp.analysis import analyse as run
    except ImportError:
        return None
    return run(project, rules=rules or None, year=year)


def _extra(func, ctx) -> dict:
    params = inspect.signature(func).parameters
    extra = {}
    if "progress" in params:
        extra["progress"] = ctx.progress
    if "cancel" in params:
        extra["cancel"] = lambda: ctx.cancelled
    return extra


def partial_path(target: Path) -> Path:
    return target.with_name(f".{target.stem}.partial{target.suffix}")


@contextmanager
def written_over(target: Path, ctx) -> Iterator[Path]:
    """A temporary name beside ``target`` for the block to write; renamed over
    ``target`` when the block ends and the job was not cancelled. Whatever
    happens, no temporary file is left."""
    tmp = partial_path(target)
    try:
        yield tmp
        ctx.check()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def run_export(name: str, project, report, target, ctx, page: str = "A1") -> Path:
    """Export in a worker; returns the written file."""
    func = exporter(name)
    target = Path(target)
    ctx.progress(None, "")
    if report is None:
        report = analyse(project)
        ctx.check()
    if name == "tables" and report is None:
        raise ExportError(
            "the lists need the gap report, which could not be made",
            fix="open a project with a village layer",
        )
    with written_over(target, ctx) as tmp:
        if name == "tables":
            extra = _extra(func, ctx)
            if "project" in inspect.signature(func).parameters:
                extra["project"] = project
            func(report, tmp, **extra)
        elif name == "wallmap":
            func(project, tmp, page=page, report=report, **_extra(func, ctx))
        else:
            func(project, tmp, report=report, **_extra(func, ctx))
    return target

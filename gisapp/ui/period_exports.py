"""The export jobs of the campaign menu: township book, poster tiles, change map
and table, animation.

Each runs in a worker on a detached copy of the project (:func:`detached`), so the
period slider may change the window's project meanwhile. Files are written under a
temporary name beside the target and renamed only when the export finished and was
not cancelled, so a user's earlier file is never lost.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from gisapp.errors import ExportError
from gisapp.ui.exports import written_over

log = logging.getLogger(__name__)


def detached(project):
    """A copy of ``project`` whose layer tables may change without touching it.

    The layers' attribute tables are copied (geometries are shared, they are never
    changed in place); the history, which no export changes, is shared.
    """
    layers = [
        dataclasses.replace(
            layer, frame=layer.frame.copy(), _projected=dict(layer._projected)
        )
        for layer in project.layers
    ]
    return dataclasses.replace(project, layers=layers)


def run_book(project, report, target, ctx, page: str = "A3") -> Path:
    """The township book: one page per township with poor villages, one PDF.

    The book keeps its finished pages in a folder beside the PDF for the next run
    and writes the PDF itself under a temporary name.
    """
    from gisapp.export.book import export_book

    target = Path(target)
    ctx.progress(0.0, "")
    result = export_book(
        project,
        target,
        report=report,
        page=page,
        progress=ctx.progress,
        cancel=lambda: ctx.cancelled,
    )
    ctx.check()
    log.info("book %s: %d pages", target, len(result.pages))
    return target


def run_poster(project, report, target, ctx, page: str = "A0") -> Path:
    """The wall map on A4 sheets to glue together, with an assembly index first."""
    from gisapp.export.poster import export_poster

    target = Path(target)
    ctx.progress(None, "")
    with written_over(target, ctx) as tmp:
        export_poster(project, tmp, page=page, report=report)
    return target


def table_path(target: Path) -> Path:
    """The Excel table written beside a change map: ``<name>_变化表.xlsx``."""
    return target.with_name(f"{target.stem}_变化表.xlsx")


def run_change_map(
    project, before: str, after: str, target, ctx, page: str = "A1", rules=None
) -> tuple[Path, Path]:
    """The change map between two periods (PDF) and its table (Excel beside it)."""
    from gisapp.export.safety import project_inputs, written_together
    from gisapp.export.tables import sample_note, write_sheets
    from gisapp.export.timeline import change_table, export_change_map

    if str(before) == str(after):
        raise ExportError(
            "the two periods of a change map are the same",
            value=before,
            fix="choose an earlier period for 'before' and a later one for 'after'",
        )
    names = project.history.names()
    if names.index(str(before)) > names.index(str(after)):
        before, after = after, before
    target = Path(target)
    ctx.progress(None, "")
    # the map and its table together or not at all, neither over an input
    targets = {"pdf": target, "xlsx": table_path(target)}
    with written_together(targets, project_inputs(project)) as staged:
        export_change_map(project, before, after, staged["pdf"], page=page, rules=rules)
        ctx.progress(0.8, "")
        table = change_table(project, before, after)
        write_sheets(
            {f"{before}—{after}变化": table},
            staged["xlsx"],
            note=sample_note(None, project),
        )
        ctx.check()
    return targets["pdf"], targets["xlsx"]


def run_animation(project, target, ctx, rules=None) -> Path:
    """Every period as a frame of an animated GIF, for briefings."""
    from gisapp.export.timeline import export_animation

    target = Path(target)
    ctx.progress(None, "")
    with written_over(target, ctx) as tmp:
        export_animation(project, tmp, rules=rules)
    return target

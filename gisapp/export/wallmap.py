"""The battle map (作战图): one sheet of a layout as vector PDF or raster image."""

from __future__ import annotations

import logging
from pathlib import Path

from gisapp.errors import ExportError
from gisapp.export import print_content as content
from gisapp.export.print_content import Area
from gisapp.export.print_layout import Layout, load_layout, page_size_mm
from gisapp.export.print_pdf import pdf_pages
from gisapp.export.print_sheet import Sheet, SheetOutcome
from gisapp.export.safety import guard_project_output
from gisapp.render.fonts import ensure_app
from gisapp.render.painter import MapRenderer

log = logging.getLogger(__name__)

RASTER_SUFFIXES = {".png", ".tif", ".tiff"}


def find_area(renderer: MapRenderer, name: str, level: str = "county") -> Area:
    """A county or township of the project by name, or an error listing the names."""
    if level == "township":
        found = content.township_area(renderer, name)
        known = content.township_names(renderer.project, poor_only=False)
    else:
        found = content.county_area(renderer, name)
        frame = renderer.project.frame_of("county")
        known = sorted(frame["name"].dropna().unique()) if "name" in frame else []
    if found is None:
        raise ExportError(
            f"no {level} of this name in the project",
            value=name,
            fix="use one of " + "、".join(map(str, known[:30]))
            if known
            else "load the boundaries",
        )
    return found


def prepare_sheet(
    project,
    page="A1",
    orientation="landscape",
    report=None,
    layout=None,
    dpi=300,
    area=None,
    renderer=None,
    date=None,
) -> Sheet:
    """A sheet ready to draw: the layout fitted to the page, map placed, labels set.

    Parameters
    ----------
    layout : str, Path or Layout, optional
        ``city`` (default), ``county``, ``township`` or a layout file.
    area : print_content.Area or str, optional
        The area the map shows; the city by default. A name is looked up as a
        county or a township, as the layout's ``extent`` says.
    """
    ensure_app()
    if not isinstance(layout, Layout):
        layout = load_layout(
            layout or "city", orientation if isinstance(page, str) else None
        )
    if isinstance(area, str):
        renderer = renderer or MapRenderer(project)
        area = find_area(renderer, area, layout.extent)
    width, height = page_size_mm(page, orientation)
    if dpi <= 0 or dpi > 2400:
        raise ExportError(
            "dpi out of range", value=dpi, fix="use 72 to 2400 dots per inch"
        )
    return Sheet(
        project,
        layout.fitted(width, height),
        dpi,
        report=report,
        area=area,
        renderer=renderer,
        date=date,
    )


def export_wallmap(
    project,
    out_path,
    page="A1",
    orientation="landscape",
    report=None,
    layout=None,
    dpi=300,
    *,
    area=None,
    date=None,
    outcome: list | None = None,
    max_memory_mb: float | None = None,
    progress=None,
    cancel=None,
) -> Path:
    """Write the battle map of a project to PDF (vector) or PNG/TIFF (tiled raster).

    Parameters
    ----------
    project : Project
    out_path : str or Path
        ``.pdf`` for vector output with embedded Chinese fonts, ``.png``,
        ``.tif`` or ``.tiff`` for an image rendered in tiles.
    page : str or tuple
        ``A0``–``A4``, a custom size ``"1000x700"`` or (width_mm, height_mm).
    orientation : str
        ``landscape`` or ``portrait`` for A sizes.
    report : GapReport, optional
        Adds the township table and the exit chart.
    layout : str, Path or Layout, optional
        A layout name or file; ``city`` by default.
    dpi : int
        Resolution of raster output and of PDF device units.
    outcome : list, optional
        Receives the :class:`SheetOutcome` (legend, unplaced labels, missing characters).
    max_memory_mb : float, optional
        Memory allowed for raster output; see :func:`gisapp.export.print_raster.estimate`.
    progress : callable, optional
        Called with (share in 0..1 or None, text) as the export goes on.
    cancel : callable, optional
        Returns True to stop; the export then raises ExportError and writes nothing.

    Returns
    -------
    Path
        The written file.
    """
    guard_project_output(project, out_path)
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix != ".pdf" and suffix not in RASTER_SUFFIXES:
        raise ExportError(
            "unknown output format",
            path=out,
            value=out.suffix,
            fix="end the file name in .pdf, .png, .tif or .tiff",
        )
    if suffix in RASTER_SUFFIXES:
        from gisapp.export.print_raster import check_raster

        width, height = page_size_mm(page, orientation)
        check_raster(width, height, dpi, max_memory_mb)
    if progress is not None:
        progress(None, "placing labels")
    sheet = prepare_sheet(
        project, page, orientation, report, layout, dpi, area, date=date
    )
    if progress is not None:
        progress(0.2, "drawing")
    if suffix == ".pdf":
        with pdf_pages(
            out,
            sheet.layout.width_mm,
            sheet.layout.height_mm,
            dpi,
            title=sheet.text("title", "{title}"),
        ) as (painter, _):
            result = sheet.draw(painter, cancel=cancel)
    else:
        from gisapp.export.print_raster import strip_budget, write_raster

        def strip_progress(share: float) -> None:
            if progress is not None:
                progress(0.2 + 0.8 * share, "drawing in strips")

        result = write_raster(
            sheet,
            out,
            budget=strip_budget(max_memory_mb),
            cancel=cancel,
            progress=strip_progress,
        )
    if progress is not None:
        progress(1.0, "done")
    if outcome is not None:
        outcome.append(result)
    log.info(
        "wrote %s (%s, %g×%g mm)",
        out,
        suffix[1:],
        sheet.layout.width_mm,
        sheet.layout.height_mm,
    )
    return out


__all__ = ["SheetOutcome", "export_wallmap", "find_area", "prepare_sheet"]

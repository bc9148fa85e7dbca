"""Township books (乡镇图册): one page per township, merged into one PDF.

Each page is the township layout with the map zoomed to the township, the
legend of what that page shows, its village cards and tables. Pages are kept
as single-page PDFs in a folder beside the book with a fingerprint of the data
they show; a re-run rebuilds only the pages whose data, layout or texts changed
and merges them again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pypdf import PdfReader, PdfWriter

from gisapp.errors import ExportError
from gisapp.export import print_content as content
from gisapp.export.print_layout import load_layout, page_size_mm
from gisapp.export.print_pdf import check_target, pdf_pages
from gisapp.export.print_sheet import Sheet
from gisapp.export.safety import guard_project_output
from gisapp.render.fonts import ensure_app
from gisapp.render.painter import MapRenderer

log = logging.getLogger(__name__)

FINGERPRINT_VERSION = "1"


@dataclass
class BookResult:
    """What a book export did."""

    path: Path
    pages: list[str] = field(default_factory=list)  # area names, in page order
    rebuilt: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    unplaced: dict[str, list] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # names with no place on the map


def _page_dir(out: Path) -> Path:
    return out.with_name(f"{out.stem}.pages")


def _safe(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    return keep or "page"


def fingerprint(
    renderer: MapRenderer, area, report, layout_text: str, params: dict
) -> str:
    """A hash of everything a page shows: features in its area, report rows, layout, texts."""
    h = hashlib.sha256()
    h.update(FINGERPRINT_VERSION.encode())
    h.update(layout_text.encode("utf-8"))
    h.update(
        json.dumps(params, sort_keys=True, ensure_ascii=False, default=str).encode(
            "utf-8"
        )
    )
    h.update(shapely.to_wkb(area.geometry))
    minx, miny, maxx, maxy = area.bounds
    pad = max(maxx - minx, maxy - miny)  # the map may show beyond the area itself
    box = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    for layer in renderer.draw_order():
        geoms = renderer.prepared(layer).geometries
        ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        bounds = np.full((len(geoms), 4), np.nan)
        if ok.any():
            bounds[ok] = shapely.bounds(geoms[ok])
        hit = (
            ok
            & (bounds[:, 2] >= box[0])
            & (bounds[:, 0] <= box[2])
            & (bounds[:, 3] >= box[1])
            & (bounds[:, 1] <= box[3])
        )
        rows = np.flatnonzero(hit)
        h.update(f"{layer.kind.id}:{layer.name}:{len(rows)}".encode())
        if len(rows):
            # On the map a feature shows its place, its symbol and its label only.
            cols = [c for c in _drawn_columns(renderer, layer) if c in layer.frame]
            if cols:
                attrs = layer.frame.iloc[rows][cols].astype(str)
                h.update(
                    pd.util.hash_pandas_object(attrs, index=False).to_numpy().tobytes()
                )
            h.update(b"".join(shapely.to_wkb(geoms[rows], output_dimension=2)))
    # The tables show every figure of the area's own villages.
    tables = [project_villages(renderer.project)]
    if report is not None and getattr(report, "villages", None) is not None:
        tables.append(pd.DataFrame(report.villages))
    for table in tables:
        if area.level == "village" and "code" in table:
            table = table[table["code"].astype(str) == area.code]
        elif "township" in table:
            table = table[table["township"] == area.name]
        h.update(
            pd.util.hash_pandas_object(table.astype(str), index=False)
            .to_numpy()
            .tobytes()
        )
    return h.hexdigest()


def _drawn_columns(renderer: MapRenderer, layer) -> list[str]:
    style = renderer.prepared(layer).style
    label = style.label or {}
    names = [
        style.category_field,
        label.get("field"),
        label.get("only"),
        "gap_status",
        "is_poor",
    ]
    return list(dict.fromkeys(c for c in names if c))


def project_villages(project) -> pd.DataFrame:
    return pd.DataFrame(
        project.frame_of("village").drop(columns="geometry", errors="ignore")
    )


def export_book(
    project,
    out_path,
    report=None,
    names=None,
    layout="township",
    page="A3",
    orientation="portrait",
    dpi=300,
    date=None,
    level="township",
    progress=None,
    cancel=None,
) -> BookResult:
    """Write a book with one page per township (or county) to one PDF.

    Parameters
    ----------
    names : list of str, optional
        The areas to print, in order; townships with poor villages by default.
    layout : str or Path
        Layout of each page (``township`` by default; ``county`` for counties).
    level : str
        ``township``, ``county`` or ``village`` (one page per poor village, named
        by code in ``names``; use the ``village`` layout).
    progress : callable, optional
        Called with (share of pages done in 0..1, area name) after each page.
    cancel : callable, optional
        Returns True to stop between pages; pages already made are kept for the
        next run, the book itself is not written.

    Returns
    -------
    BookResult
    """
    guard_project_output(project, out_path)
    ensure_app()
    out = check_target(out_path)
    if out.suffix.lower() != ".pdf":
        raise ExportError(
            "a book is written as PDF",
            path=out,
            value=out.suffix,
            fix="end the file name in .pdf",
        )
    lay = load_layout(layout, orientation)
    width, height = page_size_mm(page, orientation)
    lay = lay.fitted(width, height)
    layout_text = lay.path.read_text(encoding="utf-8") if lay.path else repr(lay)
    renderer = MapRenderer(project)
    if names is None:
        if level == "county":
            county = project.frame_of("county")
            names = (
                sorted(county["name"].dropna().unique().tolist())
                if "name" in county
                else []
            )
        elif level == "village":
            names = content.poor_village_codes(project)
        else:
            names = content.township_names(project)
    if not names:
        raise ExportError(
            "there are no townships to make pages of",
            path=project.path,
            fix="load a village layer with a township column, or a township layer",
        )
    pages_dir = _page_dir(out)
    pages_dir.mkdir(exist_ok=True)
    index_path = pages_dir / "index.json"
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        index = {}
    result = BookResult(out)
    params = {
        "page": [width, height],
        "dpi": dpi,
        "title": project.title,
        "subtitle": project.subtitle,
        "office": project.office,
        "generated": project.has_generated_data,
        "date": date,
    }
    files: list[Path] = []
    titles: list[str] = []
    for n, name in enumerate(names, start=1):
        if cancel is not None and cancel():
            index_path.write_text(
                json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            raise ExportError(
                "the book was cancelled",
                path=out,
                fix="start it again; finished pages are kept",
            )
        if level == "county":
            area = content.county_area(renderer, name)
        elif level == "village":
            area = content.village_area(renderer, name)
        else:
            area = content.township_area(renderer, name)
        if area is None:
            log.warning("%s has no place on the map; no page made", name)
            result.skipped.append(name)
            continue
        fp = fingerprint(renderer, area, report, layout_text, params)
        page_file = pages_dir / f"{n:03d}_{_safe(name)}.pdf"
        entry = index.get(name)
        if (
            entry
            and entry.get("fingerprint") == fp
            and (pages_dir / entry["file"]).exists()
        ):
            page_file = pages_dir / entry["file"]
            result.reused.append(name)
        else:
            sheet = Sheet(
                project,
                lay,
                dpi,
                report=report,
                area=area,
                renderer=renderer,
                date=date,
            )
            with pdf_pages(
                page_file, width, height, dpi, title=sheet.text("title")
            ) as (painter, _):
                sheet.draw(painter)
            if sheet.outcome.unplaced:
                result.unplaced[name] = sheet.outcome.unplaced
            index[name] = {"fingerprint": fp, "file": page_file.name}
            result.rebuilt.append(name)
        files.append(page_file)
        result.pages.append(name)
        titles.append(area.name if area.name == name else f"{area.name}({name})")
        if progress is not None:
            progress(n / len(names), name)
    if not files:
        raise ExportError(
            "none of the areas could be placed on a map",
            value=", ".join(names[:5]),
            fix="check that the villages carry their township names",
        )
    _merge(files, titles, out)
    index_path.write_text(
        json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    log.info("book %s: %d pages, %d rebuilt", out.name, len(files), len(result.rebuilt))
    return result


def _merge(files: list[Path], names: list[str], out: Path) -> None:
    writer = PdfWriter()
    for path, name in zip(files, names, strict=True):
        start = len(writer.pages)
        for page in PdfReader(str(path)).pages:
            writer.add_page(page)
        writer.add_outline_item(title=name, page_number=start)
    writer.add_metadata({"/Title": out.stem, "/Creator": "gisapp 精准脱贫作战图"})
    tmp = out.with_name(f".{out.stem}.partial.pdf")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    os.replace(tmp, out)

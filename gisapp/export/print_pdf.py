"""Vector PDF pages through ``QPdfWriter``, written beside the target then moved in.

Text stays text: Qt embeds a subset of each font with its ToUnicode table, and
:func:`gisapp.render.fonts.fix_pdf_text_mapping` corrects the ideographs Qt maps
to radicals, so copied text is the text drawn.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

from PyQt6.QtCore import QMarginsF, QSizeF
from PyQt6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from gisapp.errors import ExportError
from gisapp.render.fonts import ensure_app, fix_pdf_text_mapping, tag_pdf_subset_fonts

log = logging.getLogger(__name__)


def _page(width_mm: float, height_mm: float) -> QPageSize:
    return QPageSize(
        QSizeF(width_mm, height_mm),
        QPageSize.Unit.Millimeter,
        "",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )


def check_target(out_path) -> Path:
    """The output path, after checking its folder exists and it can be written."""
    out = Path(out_path)
    if not out.parent.exists():
        raise ExportError(
            "the output folder does not exist",
            path=out.parent,
            fix="create the folder or choose another one",
        )
    if out.exists() and out.is_dir():
        raise ExportError(
            "the output path is a folder",
            path=out,
            fix="give a file name such as 作战图.pdf",
        )
    return out


@contextmanager
def pdf_pages(
    out_path, width_mm: float, height_mm: float, dpi: float = 300, title: str = ""
):
    """A painter on a new PDF; yields (painter, new_page) and moves the file in at the end.

    ``new_page(width_mm, height_mm)`` starts the next page (of another size if given).
    Nothing is written over ``out_path`` unless the whole document succeeded.
    """
    ensure_app()
    out = check_target(out_path)
    tmp = out.with_name(f".{out.stem}.partial{out.suffix}")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(int(dpi))
    writer.setPageSize(_page(width_mm, height_mm))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator("gisapp 精准脱贫作战图")
    painter = QPainter()
    if not painter.begin(writer):
        tmp.unlink(missing_ok=True)
        raise ExportError(
            "the PDF cannot be opened for writing",
            path=out,
            fix="close the file in other programs and check the folder is writable",
        )

    def new_page(w_mm: float | None = None, h_mm: float | None = None) -> None:
        if w_mm is not None:
            writer.setPageSize(_page(w_mm, h_mm))
            writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        writer.newPage()

    try:
        yield painter, new_page
        painter.end()
    except BaseException:
        if painter.isActive():
            painter.end()
        tmp.unlink(missing_ok=True)
        raise
    fixed = fix_pdf_text_mapping(tmp)
    tag_pdf_subset_fonts(tmp)
    log.debug("corrected %d text codes in %s", fixed, out.name)
    os.replace(tmp, out)

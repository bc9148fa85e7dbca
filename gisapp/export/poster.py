"""Poster tiling: a wall map printed on A4 or A3 office sheets and taped together.

The big sheet is cut into a grid of tiles that overlap by a glue strip. Each
tile page carries crop marks at the corners of its printed area, the dashed
edge of the overlap, its name (A1, A2 … by row letter and column number) and
the names of its neighbours. The first page is the assembly index: the whole
map with the grid drawn over it.
"""

from __future__ import annotations

import logging
import math
import string
from dataclasses import dataclass, field
from pathlib import Path

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QPen

from gisapp.errors import ExportError
from gisapp.export import print_items as items
from gisapp.export.print_layout import page_size_mm
from gisapp.export.print_pdf import pdf_pages
from gisapp.export.safety import guard_project_output
from gisapp.export.wallmap import prepare_sheet

log = logging.getLogger(__name__)


@dataclass
class PosterResult:
    """The tiles of a poster and where they sit on the big sheet (mm)."""

    path: Path
    rows: int
    cols: int
    tiles: list[tuple[str, tuple[float, float, float, float]]] = field(
        default_factory=list
    )

    @property
    def sheets(self) -> int:
        """Pages in the PDF: the index and one per tile."""
        return 1 + len(self.tiles)


def tile_name(row: int, col: int) -> str:
    """A1 for the top-left tile, B1 below it, A2 to its right."""
    letters = string.ascii_uppercase
    prefix = letters[row // 26 - 1] if row >= 26 else ""
    return f"{prefix}{letters[row % 26]}{col + 1}"


def grid(big_w: float, big_h: float, inner_w: float, inner_h: float, overlap: float):
    """Tile rectangles (x, y, w, h) in mm covering the big sheet, row by row."""
    if overlap < 0 or overlap >= min(inner_w, inner_h) / 2:
        raise ExportError(
            "the overlap is out of range",
            value=f"{overlap} mm",
            fix=f"use 0 to {min(inner_w, inner_h) / 2 - 1:.0f} mm",
        )
    step_x, step_y = inner_w - overlap, inner_h - overlap
    cols = max(1, math.ceil((big_w - overlap) / step_x - 1e-9))
    rows = max(1, math.ceil((big_h - overlap) / step_y - 1e-9))
    tiles = []
    for r in range(rows):
        for c in range(cols):
            tiles.append((r, c, (c * step_x, r * step_y, inner_w, inner_h)))
    return rows, cols, tiles


def export_poster(
    project,
    out_path,
    page="A0",
    orientation="landscape",
    sheet="A4",
    sheet_orientation="portrait",
    overlap_mm=10.0,
    margin_mm=10.0,
    report=None,
    layout=None,
    dpi=300,
    date=None,
) -> PosterResult:
    """Write a wall map as tiles on small sheets, with an assembly index first.

    Parameters
    ----------
    page, orientation : the wall map's size, as for :func:`export_wallmap`.
    sheet, sheet_orientation : the office paper (``A4`` or ``A3``).
    overlap_mm : float
        Glue strip shared by neighbouring tiles.
    margin_mm : float
        Unprinted border of the office printer; crop marks and names go there.
    """
    guard_project_output(project, out_path)
    big = prepare_sheet(project, page, orientation, report, layout, dpi, date=date)
    sw, sh = page_size_mm(sheet, sheet_orientation)
    inner_w, inner_h = sw - 2 * margin_mm, sh - 2 * margin_mm
    if inner_w <= 20 or inner_h <= 20:
        raise ExportError(
            "the printer margin leaves no room",
            value=f"{margin_mm} mm",
            fix="use a margin below a quarter of the sheet",
        )
    big_w, big_h = big.layout.width_mm, big.layout.height_mm
    rows, cols, tiles = grid(big_w, big_h, inner_w, inner_h, overlap_mm)
    result = PosterResult(Path(out_path), rows, cols)
    k = big.k
    with pdf_pages(
        out_path, sw, sh, dpi, title=f"{big.text('title', '{title}')} 拼贴"
    ) as (painter, new_page):
        _index_page(
            painter, big, sw, sh, margin_mm, tiles, overlap_mm, sheet, rows, cols
        )
        for r, c, (x, y, w, h) in tiles:
            new_page()
            name = tile_name(r, c)
            result.tiles.append((name, (x, y, w, h)))
            tile = QRectF(x * k, y * k, w * k, h * k)
            painter.save()
            painter.translate(margin_mm * k - tile.left(), margin_mm * k - tile.top())
            painter.setClipRect(tile)
            big.draw(painter, tile)
            painter.restore()
            _tile_furniture(
                painter, k, sw, sh, margin_mm, overlap_mm, r, c, rows, cols, name
            )
    log.info("poster %s: %d × %d sheets of %s", out_path, rows, cols, sheet)
    return result


def _tile_furniture(painter, k, sw, sh, margin, overlap, r, c, rows, cols, name):
    x0, y0, x1, y1 = margin * k, margin * k, (sw - margin) * k, (sh - margin) * k
    mark = 6 * k
    gap = 1.5 * k
    pen = QPen(items.INK, 0.15 * k)
    painter.setPen(pen)
    for x in (x0, x1):
        for y in (y0, y1):
            dx = -1 if x == x0 else 1
            dy = -1 if y == y0 else 1
            painter.drawLine(
                QPointF(x + dx * gap, y), QPointF(x + dx * (gap + mark), y)
            )
            painter.drawLine(
                QPointF(x, y + dy * gap), QPointF(x, y + dy * (gap + mark))
            )
    dash = QPen(QColor("#c0141a"), 0.2 * k)
    dash.setDashPattern([6, 4])
    painter.setPen(dash)
    # The overlap strips: the right and bottom edges are glued under the next tile.
    if c < cols - 1:
        xo = x1 - overlap * k
        painter.drawLine(QPointF(xo, y0), QPointF(xo, y1))
    if r < rows - 1:
        yo = y1 - overlap * k
        painter.drawLine(QPointF(x0, yo), QPointF(x1, yo))
    size = 8
    items.draw_text(
        painter,
        QRectF(x0, 1.5 * k, (x1 - x0), margin * k - 3 * k),
        f"第 {name} 张 (第{r + 1}行 第{c + 1}列,共{rows}行{cols}列)  虚线外为粘贴重叠区 {overlap:g} mm",
        size,
        k,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    neighbours = []
    if c > 0:
        neighbours.append(f"左接 {tile_name(r, c - 1)}")
    if c < cols - 1:
        neighbours.append(f"右接 {tile_name(r, c + 1)}")
    if r > 0:
        neighbours.append(f"上接 {tile_name(r - 1, c)}")
    if r < rows - 1:
        neighbours.append(f"下接 {tile_name(r + 1, c)}")
    items.draw_text(
        painter,
        QRectF(x0, y1 + 1.5 * k, (x1 - x0), margin * k - 3 * k),
        "  ".join(neighbours),
        size,
        k,
        align=Qt.AlignmentFlag.AlignHCenter,
    )


def _index_page(painter, big, sw, sh, margin, tiles, overlap, sheet, rows, cols):
    k = big.k
    head = 14
    avail_w = (sw - 2 * margin) * k
    avail_h = (sh - 2 * margin - head) * k
    f = min(avail_w / (big.width_px), avail_h / (big.height_px))
    ox = margin * k + (avail_w - big.width_px * f) / 2
    oy = (margin + head) * k
    items.draw_text(
        painter,
        QRectF(margin * k, margin * k, avail_w, 7 * k),
        f"拼贴索引图:{rows} 行 × {cols} 列,共 {len(tiles)} 张 {sheet},重叠 {overlap:g} mm",
        12,
        k,
        bold=True,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    items.draw_text(
        painter,
        QRectF(margin * k, (margin + 7) * k, avail_w, 5 * k),
        "按编号从左到右、从上到下拼贴;每张的右侧和下侧重叠区压在相邻图纸之下,沿裁切线裁去白边",
        8,
        k,
        align=Qt.AlignmentFlag.AlignHCenter,
        colour=items.GREY,
    )
    painter.save()
    painter.translate(ox, oy)
    painter.scale(f, f)
    painter.setClipRect(QRectF(0, 0, big.width_px, big.height_px))
    big.draw(painter)
    painter.restore()
    pen = QPen(QColor("#c0141a"), 0.3 * k)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for r, c, (x, y, w, h) in tiles:
        rect = QRectF(ox + x * k * f, oy + y * k * f, w * k * f, h * k * f)
        painter.drawRect(rect)
        label = QRectF(rect.left(), rect.top(), min(rect.width(), 12 * k), 6 * k)
        painter.fillRect(label, QColor(255, 255, 255, 220))
        items.draw_text(
            painter,
            label,
            tile_name(r, c),
            9,
            k,
            bold=True,
            colour=QColor("#c0141a"),
            align=Qt.AlignmentFlag.AlignHCenter,
        )

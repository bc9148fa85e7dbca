"""Sheet furniture drawn with QPainter: legend, scale bar, north arrow, graticule,
tables, chart and text boxes. Every function draws into a rectangle given in
device pixels; sizes in millimetres and points use ``px_per_mm``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pyproj import Transformer
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from gisapp.render.arrays import polygon_from_xy
from gisapp.render.fonts import pixel_font
from gisapp.render.symbols import draw_swatch
from gisapp.render.view import MM_PER_INCH, MapView

INK = QColor("#1a1a1a")
GREY = QColor("#666666")
RULE = QColor("#9a9a9a")


def pt_font(size_pt: float, px_per_mm: float, bold: bool = False, italic: bool = False):
    """A Chinese font of ``size_pt`` points for a device of ``px_per_mm``."""
    return pixel_font(size_pt, px_per_mm * MM_PER_INCH, bold, italic)


def draw_text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    size_pt: float,
    px_per_mm: float,
    *,
    bold: bool = False,
    colour: QColor = INK,
    align=Qt.AlignmentFlag.AlignLeft,
    shrink: bool = True,
) -> float:
    """One line of text in ``rect``, shrunk to fit its width; returns the size used."""
    if not text:
        return size_pt
    font = pt_font(size_pt, px_per_mm, bold)
    fm = QFontMetricsF(font)
    width = fm.horizontalAdvance(text)
    if shrink and width > rect.width() > 0:
        size_pt *= rect.width() / width * 0.98
        font = pt_font(size_pt, px_per_mm, bold)
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), text)
    return size_pt


# -- legend ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LegendEntry:
    """One legend row: what it says, the symbol and how the symbol is drawn."""

    label: str
    symbol: tuple  # sorted items of the symbol dict, hashable
    geom: str  # point, line, polygon
    group: str  # the layer kind's Chinese name, a heading


def draw_legend(
    painter,
    rect: QRectF,
    entries: list[LegendEntry],
    px_per_mm: float,
    size_pt: float = 10.0,
    title: str = "图  例",
) -> int:
    """Legend in columns filling ``rect``; returns the number of columns used."""
    painter.save()
    pad = 3 * px_per_mm
    painter.setPen(QPen(INK, 0.3 * px_per_mm))
    painter.setBrush(QBrush(QColor("white")))
    painter.drawRect(rect)
    title_h = size_pt * 1.6 / 72 * MM_PER_INCH * px_per_mm
    draw_text(
        painter,
        QRectF(rect.left(), rect.top() + pad * 0.5, rect.width(), title_h),
        title,
        size_pt * 1.25,
        px_per_mm,
        bold=True,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    body = QRectF(
        rect.left() + pad,
        rect.top() + title_h + pad,
        rect.width() - 2 * pad,
        rect.height() - title_h - 2 * pad,
    )
    n = len(entries)
    if n == 0:
        painter.restore()
        return 0
    # The largest text (up to 1.4 × size_pt) at which the rows fit in one to four
    # columns; fewer columns win a tie.
    best = None
    for cols in range(1, 5):
        rows = math.ceil(n / cols)
        size = size_pt * 1.4
        while size >= size_pt * 0.4:
            row_h = size / 72 * MM_PER_INCH * px_per_mm * 1.75
            font = pt_font(size, px_per_mm)
            fm = QFontMetricsF(font)
            swatch_w = 9 * px_per_mm * min(1.0, size / 10)
            widest = max(fm.horizontalAdvance(e.label) for e in entries)
            need_w = (
                cols * (swatch_w + 2.5 * px_per_mm + widest)
                + (cols - 1) * 4 * px_per_mm
            )
            if rows * row_h <= body.height() and need_w <= body.width():
                break
            size *= 0.93
        if best is None or size > best[0] * 1.05:
            best = (size, cols, row_h, font, swatch_w)
    size_pt, cols, row_h, font, swatch_w = best
    rows = math.ceil(n / cols)  # balance the columns
    col_w = body.width() / cols
    painter.setFont(font)
    for i, e in enumerate(entries):
        c, r = divmod(i, rows)
        x = body.left() + c * col_w
        y = body.top() + r * row_h
        sw = QRectF(x, y + row_h * 0.15, swatch_w, row_h * 0.7)
        draw_swatch(painter, sw, dict(e.symbol), e.geom, px_per_mm)
        painter.setFont(font)
        painter.setPen(INK)
        painter.drawText(
            QRectF(x + swatch_w + 2.5 * px_per_mm, y, col_w - swatch_w, row_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            e.label,
        )
    painter.restore()
    return cols


# -- scale bar and north arrow -------------------------------------------------------
def nice_length(target_m: float) -> float:
    """The round length (1, 2 or 5 × 10^k metres) nearest below ``target_m``."""
    exp = 10 ** math.floor(math.log10(target_m))
    for step in (5, 2, 1):
        if step * exp <= target_m:
            return step * exp
    return exp


def draw_scale_bar(
    painter,
    anchor: QPointF,
    view: MapView,
    px_per_mm: float,
    dpi: float,
    size_pt: float = 9.0,
    max_mm: float = 80.0,
) -> QRectF:
    """A true scale bar (metres measured at the map centre) with 1:N below it."""
    length_m = nice_length(max_mm * px_per_mm * view.scale)
    bar_px = length_m / view.scale
    seg = 4
    h = 1.6 * px_per_mm
    x0, y0 = anchor.x(), anchor.y()
    painter.save()
    box = QRectF(
        x0 - 3 * px_per_mm, y0 - 9 * px_per_mm, bar_px + 16 * px_per_mm, 19 * px_per_mm
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 215))
    painter.drawRect(box)
    painter.setPen(QPen(INK, 0.2 * px_per_mm))
    for i in range(seg):
        painter.setBrush(INK if i % 2 == 0 else QColor("white"))
        painter.drawRect(QRectF(x0 + i * bar_px / seg, y0, bar_px / seg, h))
    unit_km = length_m >= 1000
    font = pt_font(size_pt, px_per_mm)
    painter.setFont(font)
    fm = QFontMetricsF(font)
    for i in (0, seg // 2, seg):
        value = length_m * i / seg
        text = f"{value / 1000:g}" if unit_km else f"{value:g}"
        tx = x0 + i * bar_px / seg - fm.horizontalAdvance(text) / 2
        painter.drawText(QPointF(tx, y0 - 1.2 * px_per_mm), text)
    painter.drawText(
        QPointF(x0 + bar_px + 1.5 * px_per_mm, y0 + h), "千米" if unit_km else "米"
    )
    denom = view.scale_denominator(dpi)
    painter.drawText(
        QPointF(x0, y0 + h + fm.ascent() + 1.2 * px_per_mm),
        f"比例尺 1:{_round_denominator(denom):,}",
    )
    painter.restore()
    return box


def _round_denominator(d: float) -> int:
    exp = 10 ** max(0, math.floor(math.log10(d)) - 2)
    return int(round(d / exp) * exp)


def convergence_deg(view: MapView, crs) -> float:
    """Angle from grid north to true north at the view centre, degrees clockwise."""
    to_geo = Transformer.from_crs(crs, "EPSG:4490", always_xy=True)
    to_map = Transformer.from_crs("EPSG:4490", crs, always_xy=True)
    lon, lat = to_geo.transform(view.cx, view.cy)
    x1, y1 = to_map.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(x1 - view.cx, y1 - view.cy))


def draw_north_arrow(
    painter,
    centre: QPointF,
    px_per_mm: float,
    angle_deg: float = 0.0,
    size_mm: float = 16.0,
) -> None:
    """A north arrow pointing to true north (rotated by ``angle_deg`` from grid up)."""
    s = size_mm * px_per_mm
    painter.save()
    painter.translate(centre)
    painter.rotate(angle_deg)
    left = QPolygonF(
        [QPointF(0, -s / 2), QPointF(-s * 0.22, s * 0.32), QPointF(0, s * 0.18)]
    )
    right = QPolygonF(
        [QPointF(0, -s / 2), QPointF(s * 0.22, s * 0.32), QPointF(0, s * 0.18)]
    )
    painter.setPen(QPen(INK, 0.25 * px_per_mm))
    painter.setBrush(INK)
    painter.drawPolygon(left)
    painter.setBrush(QColor("white"))
    painter.drawPolygon(right)
    font = pt_font(size_mm * 0.75, px_per_mm, bold=True)
    painter.setFont(font)
    fm = QFontMetricsF(font)
    painter.setPen(INK)
    painter.drawText(
        QPointF(-fm.horizontalAdvance("北") / 2, -s / 2 - 1.2 * px_per_mm), "北"
    )
    painter.restore()


# -- graticule -----------------------------------------------------------------------
_STEPS_MIN = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300)


def _dms(value: float, pos: str, neg: str) -> str:
    hemi = pos if value >= 0 else neg
    value = abs(value)
    deg = int(math.floor(value + 1e-9))
    minutes = int(round((value - deg) * 60))
    if minutes == 60:
        deg, minutes = deg + 1, 0
    return f"{deg}°{minutes:02d}′{hemi}"


def draw_graticule(
    painter,
    frame: QRectF,
    view: MapView,
    crs,
    px_per_mm: float,
    size_pt: float = 8.0,
    target_lines: int = 6,
) -> int:
    """CGCS2000 longitude and latitude lines over the map, labelled outside the frame.

    Returns the number of lines drawn.
    """
    to_geo = Transformer.from_crs(crs, "EPSG:4490", always_xy=True)
    to_map = Transformer.from_crs("EPSG:4490", crs, always_xy=True)
    minx, miny, maxx, maxy = view.bounds
    ex = np.concatenate(
        [
            np.linspace(minx, maxx, 20),
            np.full(20, maxx),
            np.linspace(maxx, minx, 20),
            np.full(20, minx),
        ]
    )
    ey = np.concatenate(
        [
            np.full(20, miny),
            np.linspace(miny, maxy, 20),
            np.full(20, maxy),
            np.linspace(maxy, miny, 20),
        ]
    )
    lon, lat = to_geo.transform(ex, ey)
    lon0, lon1, lat0, lat1 = min(lon), max(lon), min(lat), max(lat)
    span = max(lon1 - lon0, lat1 - lat0) * 60
    step = next((s for s in _STEPS_MIN if span / s <= target_lines), 600) / 60
    font = pt_font(size_pt, px_per_mm)
    fm = QFontMetricsF(font)
    pen = QPen(QColor(60, 60, 60, 150), 0.15 * px_per_mm)
    pen.setDashPattern([6, 4])
    painter.save()
    painter.setFont(font)
    count = 0
    tick = 1.5 * px_per_mm

    def to_dev(lons, lats):
        x, y = to_map.transform(lons, lats)
        px, py = view.to_device(np.asarray(x), np.asarray(y))
        return px + frame.left(), py + frame.top()

    for value in np.arange(math.floor(lon0 / step) * step, lon1 + step, step):
        if value < lon0 or value > lon1:
            continue
        lats = np.linspace(lat0, lat1, 60)
        px, py = to_dev(np.full(60, value), lats)
        count += _grat_line(
            painter, frame, px, py, pen, _dms(value, "E", "W"), fm, tick, "v"
        )
    for value in np.arange(math.floor(lat0 / step) * step, lat1 + step, step):
        if value < lat0 or value > lat1:
            continue
        lons = np.linspace(lon0, lon1, 60)
        px, py = to_dev(lons, np.full(60, value))
        count += _grat_line(
            painter, frame, px, py, pen, _dms(value, "N", "S"), fm, tick, "h"
        )
    painter.restore()
    return count


def _grat_line(painter, frame, px, py, pen, text, fm, tick, orient) -> int:
    painter.save()
    painter.setClipRect(frame)
    painter.setPen(pen)
    painter.drawPolyline(polygon_from_xy(np.column_stack([px, py])))
    painter.restore()
    painter.setPen(INK)
    w = fm.horizontalAdvance(text)
    drew = 0
    if orient == "v":  # crossings with top and bottom edges
        for edge, above in ((frame.top(), True), (frame.bottom(), False)):
            x = _cross(py, px, edge)
            if x is not None and frame.left() <= x <= frame.right():
                y = edge - tick - fm.descent() if above else edge + tick + fm.ascent()
                painter.drawLine(
                    QPointF(x, edge), QPointF(x, edge + (-tick if above else tick))
                )
                painter.drawText(QPointF(x - w / 2, y), text)
                drew = 1
    else:
        for edge, left in ((frame.left(), True), (frame.right(), False)):
            y = _cross(px, py, edge)
            if y is not None and frame.top() <= y <= frame.bottom():
                painter.drawLine(
                    QPointF(edge, y), QPointF(edge + (-tick if left else tick), y)
                )
                painter.save()
                x = edge - tick - fm.descent() if left else edge + tick + fm.ascent()
                painter.translate(x, y)
                painter.rotate(-90 if left else 90)
                painter.drawText(QPointF(-w / 2, 0), text)
                painter.restore()
                drew = 1
    return drew


def _cross(a: np.ndarray, b: np.ndarray, level: float):
    """Where ``a`` passes ``level``, the matching value of ``b`` (linear)."""
    d = a - level
    idx = np.flatnonzero(np.sign(d[:-1]) != np.sign(d[1:]))
    if len(idx) == 0:
        return None
    i = idx[0]
    t = d[i] / (d[i] - d[i + 1])
    return float(b[i] + t * (b[i + 1] - b[i]))


# -- tables and chart ---------------------------------------------------------------
def draw_table(
    painter,
    rect: QRectF,
    title: str,
    header: list[str],
    rows: list[list],
    px_per_mm: float,
    size_pt: float = 9.0,
    widths: list[float] | None = None,
    note: str = "",
    max_blocks: int = 1,
) -> int:
    """A ruled table fitted into ``rect``; returns how many rows were drawn.

    The text shrinks down to 70 % of ``size_pt``; if the rows still do not fit,
    they wrap into up to ``max_blocks`` side-by-side blocks, and only then is the
    table cut, its last line saying how many rows were left out.
    """
    painter.save()
    n = len(rows)
    min_pt = size_pt * 0.7
    gap = 4 * px_per_mm
    for blocks in range(1, max(1, max_blocks) + 1):
        size = size_pt
        while True:
            row_h = size / 72 * MM_PER_INCH * px_per_mm * 1.6
            title_h = row_h * 1.3
            avail = rect.height() - title_h - row_h - (row_h if note else 0)
            fit = max(0, int(avail // row_h))
            if fit * blocks >= n or size <= min_pt:
                break
            size = max(min_pt, size * 0.92)
        if fit * blocks >= n:
            break
    size_pt = size
    per_block = min(fit, math.ceil(n / blocks)) if n else 0
    capacity = per_block * blocks
    shown = rows if capacity >= n else rows[: max(0, capacity - 1)]
    draw_text(
        painter,
        QRectF(rect.left(), rect.top(), rect.width(), title_h),
        title,
        size_pt * 1.2,
        px_per_mm,
        bold=True,
    )
    font = pt_font(size_pt, px_per_mm)
    bold = pt_font(size_pt, px_per_mm, bold=True)
    block_w = (rect.width() - gap * (blocks - 1)) / blocks
    widths = widths or [1.0] * len(header)
    total = sum(widths)
    top = rect.top() + title_h
    for b in range(blocks):
        part = shown[b * per_block : (b + 1) * per_block]
        if not part and b > 0:
            break
        left = rect.left() + b * (block_w + gap)
        xs = [left]
        for w in widths:
            xs.append(xs[-1] + block_w * w / total)
        y = top
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e8e4ef"))
        painter.drawRect(QRectF(left, y, block_w, row_h))
        painter.setPen(INK)
        painter.setFont(bold)
        for k, h in enumerate(header):
            painter.drawText(
                QRectF(xs[k] + px_per_mm, y, xs[k + 1] - xs[k] - 2 * px_per_mm, row_h),
                int(Qt.AlignmentFlag.AlignCenter),
                str(h),
            )
        y += row_h
        painter.setFont(font)
        fm = QFontMetricsF(font)
        for i, row in enumerate(part):
            if i % 2 == 1:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("#f5f3f8"))
                painter.drawRect(QRectF(left, y, block_w, row_h))
            for k, cell in enumerate(row):
                colour = None
                if isinstance(cell, tuple):
                    cell, colour = cell
                align = (
                    Qt.AlignmentFlag.AlignRight
                    if k > 0 and _numeric(cell)
                    else Qt.AlignmentFlag.AlignLeft
                )
                painter.setPen(QColor(colour) if colour else INK)
                cell_w = xs[k + 1] - xs[k] - 2 * px_per_mm
                text = fm.elidedText(str(cell), Qt.TextElideMode.ElideRight, cell_w)
                painter.drawText(
                    QRectF(xs[k] + px_per_mm, y, cell_w, row_h),
                    int(align | Qt.AlignmentFlag.AlignVCenter),
                    text,
                )
            y += row_h
        painter.setPen(QPen(RULE, 0.25 * px_per_mm))
        for line_y in (top, top + row_h, top + row_h * (1 + len(part))):
            painter.drawLine(QPointF(left, line_y), QPointF(left + block_w, line_y))
    y = top + row_h * (1 + per_block)
    if len(shown) < n:
        painter.setPen(GREY)
        painter.setFont(font)
        painter.drawText(
            QRectF(rect.left() + px_per_mm, y, rect.width(), row_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            f"……另有 {n - len(shown)} 行未列出(版面不足)",
        )
        y += row_h
    if note:
        painter.setPen(GREY)
        painter.setFont(pt_font(size_pt * 0.85, px_per_mm))
        painter.drawText(
            QRectF(rect.left(), y, rect.width(), row_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            note,
        )
    painter.restore()
    return len(shown)


def _numeric(cell) -> bool:
    if isinstance(cell, (int, float)):
        return True
    return str(cell).replace(",", "").replace(".", "", 1).lstrip("-").isdigit()


def draw_exit_chart(
    painter,
    rect: QRectF,
    years: list[int],
    done: list[int],
    plan: list[float],
    px_per_mm: float,
    size_pt: float = 9.0,
    title: str = "贫困村出列进度(个/年)",
    scheduled: list[int] | None = None,
) -> None:
    """Bars of villages out per year (and scheduled to go out) against the plan."""
    painter.save()
    row = size_pt / 72 * MM_PER_INCH * px_per_mm * 1.6
    draw_text(
        painter,
        QRectF(rect.left(), rect.top(), rect.width(), row * 1.3),
        title,
        size_pt * 1.2,
        px_per_mm,
        bold=True,
    )
    font = pt_font(size_pt, px_per_mm)
    fm = QFontMetricsF(font)
    painter.setFont(font)
    scheduled = scheduled or [0] * len(years)
    left = rect.left() + fm.horizontalAdvance("000") + 3 * px_per_mm
    top = rect.top() + row * 2.0
    bottom = rect.bottom() - row * 2.0
    right = rect.right() - 2 * px_per_mm
    top_value = max([*done, *plan, *scheduled, 1]) * 1.15
    step = nice_length(top_value / 4) or 1

    def ypos(v):
        return bottom - (bottom - top) * v / top_value

    v = 0.0
    while v <= top_value:
        painter.setPen(QPen(RULE, 0.15 * px_per_mm))
        painter.drawLine(QPointF(left, ypos(v)), QPointF(right, ypos(v)))
        painter.setPen(GREY)
        t = f"{v:g}"
        x = left - fm.horizontalAdvance(t) - 1.5 * px_per_mm
        painter.drawText(QPointF(x, ypos(v) + fm.ascent() / 2.5), t)
        v += step
    slot = (right - left) / max(len(years), 1)
    bar_w = slot * 0.28
    colours = {"scheduled": QColor("#b9aed3"), "done": QColor("#1a9850")}
    plan_pen = QPen(QColor("#d7301f"), 0.5 * px_per_mm)
    plan_pen.setDashPattern([4, 2])
    for i, yr in enumerate(years):
        cx = left + slot * (i + 0.5)
        for value, x0, key in (
            (scheduled[i], cx - bar_w - 0.3 * px_per_mm, "scheduled"),
            (done[i], cx + 0.3 * px_per_mm, "done"),
        ):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours[key])
            painter.drawRect(QRectF(x0, ypos(value), bar_w, bottom - ypos(value)))
            painter.setPen(INK)
            t = str(value)
            tx = x0 + bar_w / 2 - fm.horizontalAdvance(t) / 2
            painter.drawText(QPointF(tx, ypos(value) - 0.8 * px_per_mm), t)
        painter.setPen(plan_pen)
        y = ypos(plan[i])
        painter.drawLine(QPointF(cx - slot * 0.42, y), QPointF(cx + slot * 0.42, y))
        painter.setPen(INK)
        yt = f"{yr}年"
        yy = bottom + fm.ascent() + 1 * px_per_mm
        painter.drawText(QPointF(cx - fm.horizontalAdvance(yt) / 2, yy), yt)
    # key
    ky = rect.bottom() - row * 0.5
    x = left
    painter.setPen(plan_pen)
    painter.drawLine(QPointF(x, ky), QPointF(x + 8 * px_per_mm, ky))
    same = plan and len(set(plan)) == 1
    entries = [("计划出列" + (f"({plan[0]:g}个/年)" if same else ""), None)]
    entries += [("台账计划年份", "scheduled"), ("已出列", "done")]
    for text, key in entries:
        if key is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours[key])
            painter.drawRect(
                QRectF(x, ky - 1.3 * px_per_mm, 5 * px_per_mm, 2.6 * px_per_mm)
            )
            x_text = x + 6.5 * px_per_mm
        else:
            x_text = x + 10 * px_per_mm
        painter.setPen(INK)
        painter.drawText(QPointF(x_text, ky + fm.ascent() / 2.5), text)
        x = x_text + fm.horizontalAdvance(text) + 5 * px_per_mm
    painter.restore()


def path_from_rings(rings: list[np.ndarray]) -> QPainterPath:
    """An odd-even path from rings of device coordinates."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in rings:
        if len(ring) >= 3:
            path.addPolygon(polygon_from_xy(ring))
            path.closeSubpath()
    return path

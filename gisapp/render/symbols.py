"""Pens, brushes and point markers from the symbol tables of ``styles/*.toml``.

Sizes in the style files are millimetres on paper; ``px_per_mm`` converts them to
the device drawn on (96 dpi screen: 3.78; 300 dpi print: 11.8).
"""

from __future__ import annotations

from functools import lru_cache

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

DASHES = {
    "dash": [4.0, 2.5],
    "dot": [0.6, 2.0],
    "dashdot": [5.0, 2.0, 0.8, 2.0],
    "dashdotdot": [5.0, 1.6, 0.8, 1.6, 0.8, 1.6],
}
SHAPES = ("circle", "square", "triangle", "diamond", "house", "bridge", "star", "cross")


@lru_cache(maxsize=256)
def colour(text: str | None) -> QColor:
    """A colour from ``#rrggbb`` or ``#rrggbbaa``; transparent when missing."""
    if not text:
        return QColor(0, 0, 0, 0)
    text = text.strip()
    if text.startswith("#") and len(text) == 9:
        c = QColor(text[:7])
        c.setAlpha(int(text[7:9], 16))
        return c
    c = QColor(text)
    return c if c.isValid() else QColor("#333333")


def _pen(col: str | None, width_mm: float, px_per_mm: float, dash: str | None) -> QPen:
    c = colour(col)
    if c.alpha() == 0 or width_mm <= 0:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(c)
    pen.setWidthF(max(width_mm * px_per_mm, 0.5))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap if not dash else Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if dash in DASHES:
        # Qt dash lengths are in pen widths; the table is in millimetres at 0.3 mm.
        scale = 0.3 / max(width_mm, 0.05)
        pen.setDashPattern([v * scale for v in DASHES[dash]])
    return pen


def line_pen(sym: dict, px_per_mm: float) -> QPen:
    """Pen of a line feature (``stroke``, ``stroke_mm``, ``dash``)."""
    col = sym.get("stroke") or sym.get("outline")
    width = sym.get("stroke_mm", sym.get("outline_mm", 0.25))
    return _pen(col, float(width), px_per_mm, sym.get("dash"))


def outline_pen(sym: dict, px_per_mm: float) -> QPen:
    """Pen of a polygon outline (``outline``, ``outline_mm``, ``dash``)."""
    col = sym.get("outline") or sym.get("stroke")
    width = sym.get("outline_mm", sym.get("stroke_mm", 0.2))
    return _pen(col, float(width), px_per_mm, sym.get("dash"))


def fill_brush(sym: dict) -> QBrush:
    """Brush of a polygon or marker (``fill``); no brush when transparent."""
    c = colour(sym.get("fill"))
    if c.alpha() == 0:
        return QBrush(Qt.BrushStyle.NoBrush)
    return QBrush(c)


def marker_pen(sym: dict, px_per_mm: float) -> QPen:
    """Pen of a point marker's edge (``stroke``, ``stroke_mm``), never dashed."""
    return _pen(sym.get("stroke"), float(sym.get("stroke_mm", 0.2)), px_per_mm, None)


def marker_path(shape: str, size_px: float) -> QPainterPath:
    """A marker of ``size_px`` across, centred on the origin."""
    r = size_px / 2
    path = QPainterPath()
    if shape == "square":
        path.addRect(QRectF(-r, -r, 2 * r, 2 * r))
    elif shape == "triangle":
        path.addPolygon(_poly([(0, -r * 1.1), (r, r * 0.75), (-r, r * 0.75)]))
        path.closeSubpath()
    elif shape == "diamond":
        path.addPolygon(_poly([(0, -r * 1.15), (r, 0), (0, r * 1.15), (-r, 0)]))
        path.closeSubpath()
    elif shape == "house":
        path.addPolygon(
            _poly(
                [
                    (0, -r),
                    (r, -r * 0.15),
                    (r * 0.7, -r * 0.15),
                    (r * 0.7, r),
                    (-r * 0.7, r),
                    (-r * 0.7, -r * 0.15),
                    (-r, -r * 0.15),
                ]
            )
        )
        path.closeSubpath()
    elif shape == "bridge":
        # The map sign for a bridge: a deck between two pairs of splayed wings.
        h = r * 0.55
        path.addRect(QRectF(-r * 0.7, -h, 1.4 * r, 2 * h))
        for sx in (-1, 1):
            for sy in (-1, 1):
                path.moveTo(sx * r * 0.7, sy * h)
                path.lineTo(sx * r * 1.05, sy * (h + r * 0.35))
    elif shape == "star":
        import math

        pts = []
        for i in range(10):
            rad = r if i % 2 == 0 else r * 0.45
            ang = -math.pi / 2 + i * math.pi / 5
            pts.append((rad * math.cos(ang), rad * math.sin(ang)))
        path.addPolygon(_poly(pts))
        path.closeSubpath()
    elif shape == "cross":
        w = r * 0.35
        path.addRect(QRectF(-r, -w, 2 * r, 2 * w))
        path.addRect(QRectF(-w, -r, 2 * w, 2 * r))
        path.setFillRule(Qt.FillRule.WindingFill)
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path


def _poly(points) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def draw_swatch(
    painter: QPainter, rect: QRectF, sym: dict, geom: str, px_per_mm: float
) -> None:
    """The legend picture of a symbol for a geometry class in ``rect``.

    ``geom`` is ``point``, ``line`` or ``polygon``.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    c = rect.center()
    if geom == "point":
        size = float(sym.get("size_mm", 2.0)) * px_per_mm
        size = min(max(size, 1.6 * px_per_mm), rect.height() * 0.95)
        painter.setPen(marker_pen(sym, px_per_mm))
        painter.setBrush(fill_brush(sym))
        painter.drawPath(marker_path(sym.get("shape", "circle"), size).translated(c))
    elif geom == "line":
        painter.setPen(line_pen(sym, px_per_mm))
        painter.drawLine(QPointF(rect.left(), c.y()), QPointF(rect.right(), c.y()))
    else:
        painter.setPen(outline_pen(sym, px_per_mm))
        painter.setBrush(fill_brush(sym))
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
    painter.restore()

"""The map canvas: shows frames rendered off the GUI thread, pans and zooms at once.

A frame is a QImage drawn by :class:`gisapp.render.painter.MapRenderer` in a
worker. While the next frame is drawn, the last one is shown moved and scaled to
the current view, so dragging and wheel zoom never wait for a redraw. Selection,
measuring and the selection rectangle are drawn on top on the GUI thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import math
import threading
import time

from pyproj import Transformer
from PyQt6.QtCore import (
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    pyqtSignal,
)
from PyQt6.QtGui import QColor, QImage, QPainter, QPen
from PyQt6.QtWidgets import QWidget

from gisapp.render.painter import MapRenderer
from gisapp.render.view import MapView
from gisapp.ui import geometry as geo
from gisapp.ui.document import Document

log = logging.getLogger(__name__)

BACKGROUND = QColor("#f7f6f2")
SELECTION = QColor("#00b4ff")
MEASURE = QColor("#d01c8b")
TOOLS = ("pan", "identify", "select", "measure_line", "measure_area")
CLICK_TOLERANCE_PX = 5
WHEEL_STEP = 1.25


def nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ not above ``metres``."""
    if metres <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(metres))
    for step in (5, 2, 1):
        if step * power <= metres:
            return float(step * power)
    return float(power)


class CanvasRenderer(MapRenderer):
    """The project's renderer, drawing layers in the order of the layer panel."""

    def draw_order(self, *args, **kwargs):
        chosen = super().draw_order(*args, **kwargs)
        place = {id(layer): i for i, layer in enumerate(self.project.layers)}
        return sorted(chosen, key=lambda layer: place.get(id(layer), 0))


class _FrameSignals(QObject):
    done = pyqtSignal(object, object, int, float, bool)


class _RenderTask:
    """Draw one frame of a view into a QImage on a worker thread."""

    def __init__(self, renderer, view: MapView, ratio: float, generation: int):
        self.renderer, self.view, self.ratio = renderer, view, ratio
        self.generation = generation
        self.stop = threading.Event()
        self.signals = _FrameSignals()

    def run(self) -> None:
        start = time.perf_counter()
        w = max(1, round(self.view.width * self.ratio))
        h = max(1, round(self.view.height * self.ratio))
        image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(BACKGROUND)
        painter = QPainter(image)
        ok = True
        try:
            self.renderer.render(
                painter,
                self.view.on_device(w, h),
                dpi=96 * self.ratio,
                cancel=self.stop.is_set,
            )
        except Exception:
            log.exception("drawing the map failed")
            ok = False
        finally:
            painter.end()
        image.setDevicePixelRatio(self.ratio)
        done = ok and not self.stop.is_set()
        self.signals.done.emit(
            image, self.view, self.generation, time.perf_counter() - start, done
        )


class MapCanvas(QWidget):
    """The map: pan, zoom, identify, select and measure."""

    view_changed = pyqtSignal(object)
    cursor_moved = pyqtSignal(float, float)
    frame_painted = pyqtSignal(float)
    identified = pyqtSignal(object, int)
    measured = pyqtSignal(str)
    failed = pyqtSignal(str)

    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.view: MapView | None = None
        self.tool = "pan"
        self.renderer = None
        self.crs = None
        self.pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._future = None
        self._frame: QImage | None = None
        self._frame_view: MapView | None = None
        self._task: _RenderTask | None = None
        self._generation = 0
        self._wanted = 0
        self._drag_start = None
        self._press_view = None
        self._rubber: QRect | None = None
        self._measure: list[tuple[float, float]] = []
        self._hover: tuple[float, float] | None = None
        self._overlay_cache: dict[str, tuple] = {}
        self.last_frame_seconds = 0.0
        self.frames_drawn = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._start_render)
        doc.project_replaced.connect(self.reset)
        doc.layers_changed.connect(self.refresh)
        doc.layer_changed.connect(lambda _layer: self.refresh())
        doc.selection_changed.connect(self._selection_changed)

    # project and view -------------------------------------------------------
    def reset(self) -> None:
        """Start drawing a new project at its full extent."""
        self.renderer = CanvasRenderer(self.doc.project)
        self.crs = self.doc.project.metric_crs
        self._overlay_cache.clear()
        self._measure.clear()
        self._frame = None
        self._frame_view = None
        self.zoom_full()

    def zoom_full(self) -> None:
        """The area the project is about (``Project.focus_bounds``): its city or
        county boundary, not the neighbours or rivers drawn around it."""
        if self.renderer is None:
            return
        x0, y0, x1, y1 = self.doc.project.focus_bounds()
        to_map = Transformer.from_crs("EPSG:4490", self.renderer.crs, always_xy=True)
        xs, ys = to_map.transform([x0, x1, x0, x1], [y0, y0, y1, y1])
        self.zoom_to_bounds((min(xs), min(ys), max(xs), max(ys)))

    def zoom_to_bounds(self, bounds, min_span: float = 500.0) -> None:
        """Show the box (minx, miny, maxx, maxy in metres), at least ``min_span`` wide."""
        if bounds is None:
            return
        minx, miny, maxx, maxy = bounds
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        half = max(maxx - minx, maxy - miny, min_span) / 2
        if maxx - minx < min_span and maxy - miny < min_span:
            minx, miny, maxx, maxy = cx - half, cy - half, cx + half, cy + half
        self.set_view(
            MapView.fit((minx, miny, maxx, maxy), self.width(), self.height())
        )

    def zoom_to_layer(self, layer) -> None:
        self.zoom_to_bounds(geo.layer_bounds(layer, self.crs))

    def zoom_to_selection(self) -> None:
        boxes = [
            geo.layer_bounds(layer, self.crs, self.doc.selection(layer))
            for layer in self.doc.project.layers
            if len(self.doc.selection(layer))
        ]
        self.zoom_to_bounds(geo.union_bounds(boxes))

    def zoom_to_rows(self, layer, rows, min_span: float = 3000.0) -> None:
        self.zoom_to_bounds(geo.layer_bounds(layer, self.crs, rows), min_span)

    def zoom(self, factor: float, anchor=None) -> None:
        if self.view is not None:
            self.set_view(self.view.zoomed(factor, anchor))

    def set_view(self, view: MapView) -> None:
        self.view = view
        self.view_changed.emit(view)
        self.update()
        self.refresh()

    def refresh(self) -> None:
        """Ask for a new frame soon; the old one stays on screen meanwhile."""
        self._overlay_cache.clear()
        if self.renderer is not None and self.view is not None:
            self._wanted += 1
            self._timer.start()

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"unknown map tool {tool!r}")
        self.tool = tool
        self._measure.clear()
        cursors = {
            "pan": Qt.CursorShape.OpenHandCursor,
            "identify": Qt.CursorShape.WhatsThisCursor,
        }
        self.setCursor(cursors.get(tool, Qt.CursorShape.CrossCursor))
        self.update()

    # rendering ---------------------------------------------------------------
    def _start_render(self) -> None:
        if self.view is None or self.renderer is None:
            return
        if self._task is not None:
            self._task.stop.set()
            return
        self._generation = self._wanted
        ratio = self.devicePixelRatioF()
        task = _RenderTask(self.renderer, self.view, ratio, self._generation)
        task.signals.done.connect(self._frame_ready)
        self._task = task
        if self.pool is None:
            self.pool = concurrent.futures.ThreadPoolExecutor(1, "gisapp-render")
        self._future = self.pool.submit(task.run)

    def _frame_ready(self, image, view, generation, seconds, complete) -> None:
        self._task = None
        if complete:
            self._frame, self._frame_view = image, view
            self.last_frame_seconds = seconds
            self.frames_drawn += 1
            self.update()
        if generation != self._wanted or view != self.view:
            self._timer.start(0)

    def wait_idle(self, msecs: int = 10000) -> bool:
        """Let pending drawing finish (for closing the window and for tests)."""
        self._timer.stop()
        if self._task is not None:
            self._task.stop.set()
        if self._future is None:
            return True
        done, _ = concurrent.futures.wait([self._future], msecs / 1000)
        return bool(done)

    def stop(self) -> None:
        """End drawing for good: no new frames, the worker thread ends."""
        self._timer.stop()
        self.renderer = None
        if self._task is not None:
            self._task.stop.set()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    @property
    def is_current(self) -> bool:
        """Whether the frame on screen was drawn for the current view and data."""
        return (
            self._frame is not None
            and self._task is None
            and not self._timer.isActive()
            and self._frame_view == self.view
            and self._generation == self._wanted
        )

    # painting ----------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._frame is not None and self.view is not None:
            painter.drawImage(self._frame_rect(), self._frame)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.view is not None:
            self._paint_selection(painter)
            self._paint_measure(painter)
            self._paint_scale_bar(painter)
            if self.doc.project.has_generated_data:
                self._paint_sample_note(painter)
        if self._rubber is not None:
            painter.setPen(QPen(SELECTION, 1, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(0, 180, 255, 40))
            painter.drawRect(self._rubber)
        painter.end()
        if self._frame is not None and self._frame_view == self.view:
            self.frame_painted.emit(self.last_frame_seconds)

    def _frame_rect(self) -> QRectF:
        """Where the last frame lies in the current view."""
        f, v = self._frame_view, self.view
        k = f.scale / v.scale
        x0 = -f.width / 2 * k + (f.cx - v.cx) / v.scale + v.width / 2
        y0 = -f.height / 2 * k - (f.cy - v.cy) / v.scale + v.height / 2
        return QRectF(x0, y0, f.width * k, f.height * k)

    def _paint_selection(self, painter: QPainter) -> None:
        pen = QPen(SELECTION, 2.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(QColor(0, 180, 255, 70))
        for layer in self.doc.project.layers:
            rows = self.doc.selection(layer)
            if not layer.visible or not len(rows):
                continue
            geo.draw_features(painter, self.view, layer.projected(self.crs), rows)

    def _paint_measure(self, painter: QPainter) -> None:
        points = list(self._measure)
        if not points:
            return
        if self._hover is not None:
            points.append(self._hover)
        xs, ys = self.view.to_device([p[0] for p in points], [p[1] for p in points])
        poly = [QPointF(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
        pen = QPen(MEASURE, 2)
        painter.setPen(pen)
        if self.tool == "measure_area" and len(poly) > 2:
            painter.setBrush(QColor(208, 28, 139, 50))
            painter.drawPolygon(poly)
        else:
            painter.drawPolyline(poly)
        painter.setBrush(MEASURE)
        for p in poly:
            painter.drawEllipse(p, 3, 3)
        painter.setPen(Qt.GlobalColor.black)
        text = self.measure_text(points)
        painter.drawText(poly[-1] + QPointF(8, -8), text)

    def _paint_scale_bar(self, painter: QPainter) -> None:
        """A bar of a round length (1, 2 or 5 × 10ⁿ m) of about 120 px."""
        metres = nice_length(120 * self.view.scale)
        width = metres / self.view.scale
        x0, y0 = 14.0, self.height() - 18.0
        painter.setPen(QPen(QColor("#222222"), 1.5))
        painter.setBrush(QColor(255, 255, 255, 200))
        painter.drawRect(QRectF(x0 - 6, y0 - 22, width + 12, 30))
        painter.drawLine(QPointF(x0, y0), QPointF(x0 + width, y0))
        for x in (x0, x0 + width / 2, x0 + width):
            painter.drawLine(QPointF(x, y0), QPointF(x, y0 - 5))
        label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
        painter.drawText(
            QRectF(x0, y0 - 21, width, 14), Qt.AlignmentFlag.AlignCenter, label
        )

    def _paint_sample_note(self, painter: QPainter) -> None:
        text = self.tr("Sample data (示例数据): generated, not surveyed")
        metrics = painter.fontMetrics()
        w = metrics.horizontalAdvance(text) + 16
        rect = QRectF(self.width() - w - 10, 10, w, metrics.height() + 8)
        painter.setPen(QPen(QColor("#b45309"), 1))
        painter.setBrush(QColor(255, 247, 224, 230))
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(QColor("#7c2d12"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def measure_text(self, points) -> str:
        lonlat = geo.to_lonlat(self.crs, points)
        if self.tool == "measure_area" and len(points) > 2:
            area, perimeter = geo.geodesic_area(lonlat)
            return self.tr("Area {0}, perimeter {1}").format(
                geo.format_area(area), geo.format_length(perimeter)
            )
        return self.tr("Distance {0}").format(
            geo.format_length(geo.geodesic_length(lonlat))
        )

    # mouse and keys ------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if self.view is None:
            return
        pos = event.position()
        if event.button() == Qt.MouseButton.RightButton:
            self._finish_measure()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._drag_start = pos
        self._press_view = self.view
        if self.tool == "pan":
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        elif self.tool in ("measure_line", "measure_area"):
            x, y = self.view.to_map(pos.x(), pos.y())
            self._measure.append((float(x), float(y)))
            self.measured.emit(self.measure_text(self._measure))
            self.update()

    def mouseMoveEvent(self, event) -> None:
        if self.view is None:
            return
        pos = event.position()
        x, y = self.view.to_map(pos.x(), pos.y())
        self.cursor_moved.emit(float(x), float(y))
        if self._measure:
            self._hover = (float(x), float(y))
            self.update()
        if self._drag_start is None:
            return
        dx, dy = pos.x() - self._drag_start.x(), pos.y() - self._drag_start.y()
        if self.tool == "pan":
            self.set_view(self._press_view.panned(dx, dy))
        elif self.tool == "select":
            self._rubber = QRect(self._drag_start.toPoint(), pos.toPoint()).normalized()
            self.update()

    def mouseReleaseEvent(self, event) -> None:
        if self._drag_start is None or self.view is None:
            return
        pos = event.position()
        moved = (pos - self._drag_start).manhattanLength() > 3
        add = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if self.tool == "pan":
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        elif self.tool == "select" and moved and self._rubber is not None:
            self.select_rect(self._rubber, add)
        elif self.tool == "select":
            self.select_at(pos, add)
        elif self.tool == "identify":
            self.identify_at(pos)
        self._rubber = None
        self._drag_start = None
        self.update()

    def mouseDoubleClickEvent(self, event) -> None:
        if self.tool in ("measure_line", "measure_area"):
            self._finish_measure()

    def _finish_measure(self) -> None:
        if self._measure:
            self.measured.emit(self.measure_text(self._measure))
        self._measure.clear()
        self._hover = None
        self.update()

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120
        if steps and self.view is not None:
            pos = event.position()
            self.zoom(WHEEL_STEP**steps, (pos.x(), pos.y()))

    def keyPressEvent(self, event) -> None:
        key = event.key()
        step = 80
        moves = {
            Qt.Key.Key_Left: (step, 0),
            Qt.Key.Key_Right: (-step, 0),
            Qt.Key.Key_Up: (0, step),
            Qt.Key.Key_Down: (0, -step),
        }
        if self.view is None:
            return
        if key in moves:
            self.set_view(self.view.panned(*moves[key]))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(WHEEL_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / WHEEL_STEP)
        elif key == Qt.Key.Key_Escape:
            self._finish_measure()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        if self.view is None:
            if self.renderer is not None:
                self.zoom_full()
            return
        self.set_view(self.view.resized(self.width(), self.height()))

    def sizeHint(self) -> QSize:
        return QSize(900, 700)

    # picking -------------------------------------------------------------------
    def pick(self, pos, layers=None):
        """The topmost visible feature under a point: ``(layer, row)`` or None."""
        if self.renderer is None or self.view is None:
            return None
        hits = self.renderer.hit_test(self.view, pos.x(), pos.y(), CLICK_TOLERANCE_PX)
        for hit in hits:
            if layers is None or hit.layer in layers:
                return hit.layer, int(hit.row)
        return None

    def identify_at(self, pos) -> None:
        hit = self.pick(pos)
        if hit is not None:
            self.identified.emit(*hit)

    def select_at(self, pos, add: bool = False) -> None:
        layer = self.doc.current_layer
        layers = [layer] if layer is not None and layer.visible else None
        hit = self.pick(pos, layers)
        if hit is None:
            if not add:
                self.doc.clear_selection()
            return
        self.doc.set_current_layer(hit[0])
        self.doc.select(hit[0], [hit[1]], add=add)

    def select_rect(self, rect: QRect, add: bool = False) -> None:
        layer = self.doc.current_layer
        if layer is None or not layer.visible:
            return
        x0, y1 = self.view.to_map(rect.left(), rect.top())
        x1, y0 = self.view.to_map(rect.right(), rect.bottom())
        box = (float(x0), float(y0), float(x1), float(y1))
        rows = geo.rows_in_box(layer.projected(self.crs), box)
        self.doc.select(layer, rows, add=add)

    def _selection_changed(self, _layer) -> None:
        self.update()

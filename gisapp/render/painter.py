"""The map renderer: every visible layer of a project on any ``QPaintDevice``.

The same code draws the window's canvas, PNG/TIFF tiles and vector PDF pages. It
uses QtGui only and may run in a worker thread on a ``QImage`` once a
``QGuiApplication`` exists (:func:`gisapp.render.fonts.ensure_app`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import numpy as np
import shapely
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import (
    QColor,
    QFontMetricsF,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
)

from gisapp.model.layer import Layer
from gisapp.model.style import layer_style
from gisapp.render import symbols
from gisapp.render.arrays import clip_parts, polygon_from_xy, thin
from gisapp.render.fonts import ensure_app, pixel_font
from gisapp.render.labels import LabelJob, Occupancy, place
from gisapp.render.prepare import Parts, PreparedLayer, prepare, signature
from gisapp.render.view import MM_PER_INCH, MapView

log = logging.getLogger(__name__)

HALO = QColor(255, 255, 255, 230)
_HALO_STEPS = [
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
    (0.7, 0.7),
    (-0.7, 0.7),
    (0.7, -0.7),
    (-0.7, -0.7),
]


@dataclass
class RenderResult:
    """What a render drew, for legends and reports."""

    shown: dict[str, set[str]] = field(default_factory=dict)  # layer id → category keys
    geoms: dict[str, set[str]] = field(
        default_factory=dict
    )  # layer id → point/line/polygon
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (layer name, text)
    placed: int = 0
    cancelled: bool = False


@dataclass
class LabelPlan:
    """Labels placed for a whole view; tiles of that view draw from it."""

    placed: list[tuple[LabelJob, QRectF]]
    missed: list[LabelJob]
    fonts: list[tuple]  # (QFont, QColor) by LabelJob.style_key


@dataclass
class Hit:
    """A feature under the cursor."""

    layer: Layer = field(repr=False)
    row: int
    distance: float  # metres

    @property
    def record(self) -> dict:
        """The feature's attributes without its geometry."""
        row = self.layer.frame.iloc[self.row]
        return {k: v for k, v in row.items() if k != "geometry"}


def _is_cancelled(cancel) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def _gather(parts: Parts, sel: np.ndarray):
    """Coordinates and offsets of the selected parts only."""
    starts = parts.offsets[:-1][sel]
    counts = parts.offsets[1:][sel] - starts
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(counts)
    total = int(offsets[-1])
    idx = np.arange(total) - np.repeat(offsets[:-1], counts) + np.repeat(starts, counts)
    return parts.xy[idx], offsets


def _device_rect(painter: QPainter, view: MapView) -> tuple[float, float, float, float]:
    """The view's pixels in the painter's coordinates, within what the device shows.

    A tile of a larger page is drawn with the page's view and a translated
    painter; only the part of the view on the device needs drawing.
    """
    x0, y0, x1, y1 = 0.0, 0.0, float(view.width), float(view.height)
    device = painter.device()
    transform = painter.combinedTransform()
    if device is not None and transform.isAffine() and not transform.isRotating():
        inverse, ok = transform.inverted()
        if ok:
            shown = inverse.mapRect(QRectF(0, 0, device.width(), device.height()))
            x0, y0 = max(x0, shown.left()), max(y0, shown.top())
            x1, y1 = min(x1, shown.right()), min(y1, shown.bottom())
    return x0, y0, max(x0, x1), max(y0, y1)


def _small_footprints(group, view: MapView, px_per_mm: float) -> np.ndarray:
    """Which polygons of a group are smaller on the page than its marker."""
    size_m = float(group.symbol.get("size_mm", 2.0)) * px_per_mm * view.scale
    boxes = group.polygon_boxes
    return np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) < size_m


def _box_hits(boxes: np.ndarray, bounds, pad: float = 0.0) -> np.ndarray:
    minx, miny, maxx, maxy = bounds
    if len(boxes) == 0:
        return np.zeros(0, dtype=bool)
    return (
        (boxes[:, 2] >= minx - pad)
        & (boxes[:, 0] <= maxx + pad)
        & (boxes[:, 3] >= miny - pad)
        & (boxes[:, 1] <= maxy + pad)
    )


class MapRenderer:
    """Draws a project's visible layers in style order.

    Parameters
    ----------
    project : gisapp.model.project.Project
        The project whose layers are drawn; its ``metric_crs`` is the map CRS.
    """

    def __init__(self, project):
        ensure_app()
        self.project = project
        self._prepared: dict[str, PreparedLayer] = {}
        self._trees: dict[str, tuple] = {}
        self._geom_known: dict[str, tuple] = {}
        self._lock = threading.Lock()
        self._crs = None
        self._crs_key = None

    # -- data ---------------------------------------------------------------------
    @property
    def crs(self):
        """The project's metric CRS, computed once per set of layers."""
        key = tuple(lyr.id for lyr in self.project.layers)
        if self._crs is None or key != self._crs_key:
            self._crs = self.project.metric_crs
            self._crs_key = key
        return self._crs

    def prepared(self, layer: Layer) -> PreparedLayer:
        """The drawable form of a layer, rebuilt when its data changed."""
        with self._lock:
            crs = self.crs
            prep = self._prepared.get(layer.id)
            if prep is None or prep.signature != signature(layer, crs):
                prep = prepare(layer, crs)
                self._prepared[layer.id] = prep
                self._trees.pop(layer.id, None)
            return prep

    def draw_order(self, kinds=None) -> list[Layer]:
        """Visible layers with places (of ``kinds`` if given), lowest style order first."""
        layers = [
            lyr
            for lyr in self.project.layers
            if lyr.visible
            and (kinds is None or lyr.kind.id in kinds)
            and self._has_geometry(lyr)
        ]
        return sorted(layers, key=lambda lyr: layer_style(lyr).order)

    def _has_geometry(self, layer: Layer) -> bool:
        key = (id(layer.frame), len(layer.frame))
        known = self._geom_known.get(layer.id)
        if known is None or known[0] != key:
            known = (key, layer.has_geometry)
            self._geom_known[layer.id] = known
        return known[1]

    def bounds(
        self, kind_ids: tuple[str, ...] | None = None
    ) -> tuple[float, float, float, float]:
        """Metric bounds of the visible layers (of some kinds only when given)."""
        boxes = []
        for lyr in self.project.layers:
            if not lyr.has_geometry or (kind_ids and lyr.kind.id not in kind_ids):
                continue
            if kind_ids is None and not lyr.visible:
                continue
            geoms = self.prepared(lyr).geometries
            geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
            if len(geoms):
                boxes.append(shapely.total_bounds(geoms))
        if not boxes:
            x0, y0, x1, y1 = self.project.bounds()
            from pyproj import Transformer

            t = Transformer.from_crs("EPSG:4490", self.crs, always_xy=True)
            (ax, bx), (ay, by) = t.transform([x0, x1], [y0, y1])
            return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        arr = np.array(boxes)
        return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())

    # -- drawing ------------------------------------------------------------------
    def render(
        self,
        painter: QPainter,
        view: MapView,
        dpi: float = 96,
        cancel=None,
        labels: bool | LabelPlan = True,
        label_offset: tuple[float, float] = (0.0, 0.0),
        symbol_scale: float = 1.0,
        mask=None,
        kinds=None,
    ) -> RenderResult:
        """Draw every visible layer of the project into ``painter``.

        Parameters
        ----------
        painter : QPainter
            Active painter; the view's device pixels start at its origin.
        view : MapView
            What to show; ``view.width`` × ``view.height`` device pixels.
        dpi : float
            Dots per inch of the device; sizes in millimetres and points use it.
        cancel : callable or threading.Event, optional
            Checked between layers; when it says stop, drawing ends early.
        labels : bool or LabelPlan
            Place labels (True), skip them (False), or draw a plan made by
            :meth:`plan_labels` for a larger view of which this one is a tile.
        label_offset : tuple of float
            Position of this view's origin in the plan's view (tiles).
        symbol_scale : float
            Multiplier on symbol and label sizes (e.g. for overview insets).
        mask : shapely geometry, optional
            Area of interest in metres; everything outside it is veiled in white
            before labels are drawn, so the area stands out from its neighbours.
        kinds : collection of str, optional
            Draw only layers of these kinds (e.g. boundaries for an overview).

        Returns
        -------
        RenderResult
        """
        result = RenderResult()
        px_per_mm = dpi / MM_PER_INCH * symbol_scale
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        bounds = view.bounds
        device = _device_rect(painter, view)
        order = self.draw_order(kinds)
        preps: dict[str, PreparedLayer] = {}
        for layer in order:
            if _is_cancelled(cancel):
                result.cancelled = True
                break
            prep = preps[layer.id] = self.prepared(layer)
            painter.setOpacity(layer.opacity)
            shown, geoms = self._draw_layer(
                painter, prep, view, bounds, px_per_mm, device
            )
            if shown:
                result.shown[layer.id] = shown
                result.geoms[layer.id] = geoms
        painter.setOpacity(1.0)
        if mask is not None and not result.cancelled:
            self._veil(painter, view, mask)
        if labels is not False and not result.cancelled:
            plan = (
                labels
                if isinstance(labels, LabelPlan)
                else self.plan_labels(view, dpi, symbol_scale, kinds, _preps=preps)
            )
            self.draw_labels(painter, plan, label_offset, view)
            result.placed = len(plan.placed)
            result.unplaced = [(j.layer, j.text) for j in plan.missed]
        painter.restore()
        return result

    def _draw_layer(
        self, painter, prep: PreparedLayer, view, bounds, px_per_mm, device
    ):
        shown: set[str] = set()
        geoms: set[str] = set()
        tol = 0.35
        for group in prep.groups:
            sym = group.symbol
            drew = False
            # polygons
            rings = group.rings
            if len(rings.feature):
                polymask = _box_hits(group.polygon_boxes, bounds)
                # A marker style on footprints (OSM substations): the marker at
                # each, over the footprint where that is larger than the marker.
                marked = polymask.copy() if "shape" in sym else None
                if marked is not None:
                    polymask = polymask & ~_small_footprints(group, view, px_per_mm)
                sel = polymask[rings.owner]
                if sel.any():
                    xy, offs = _gather(rings, sel)
                    px, py = view.to_device(xy[:, 0], xy[:, 1])
                    dxy, doffs = thin(px, py, offs, tol)
                    owners = rings.owner[sel]
                    painter.setPen(symbols.outline_pen(sym, px_per_mm))
                    painter.setBrush(symbols.fill_brush(sym))
                    path = None
                    for i in range(len(owners)):
                        if path is None or owners[i] != owners[i - 1]:
                            if path is not None:
                                painter.drawPath(path)
                            path = QPainterPath()
                            path.setFillRule(Qt.FillRule.OddEvenFill)
                        ring = dxy[doffs[i] : doffs[i + 1]]
                        if len(ring) >= 3:
                            path.addPolygon(polygon_from_xy(ring))
                            path.closeSubpath()
                    if path is not None:
                        painter.drawPath(path)
                    drew = True
                    if marked is None:  # else the legend shows the marker
                        geoms.add("polygon")
                if marked is not None and marked.any():
                    boxes = group.polygon_boxes[marked]
                    cx, cy = view.to_device(
                        (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
                    )
                    size = float(sym.get("size_mm", 2.0)) * px_per_mm
                    self._draw_markers(
                        painter, sym, np.column_stack([cx, cy]), size, px_per_mm
                    )
                    drew = True
                    geoms.add("point")
            # lines
            lines = group.lines
            if len(lines.feature):
                pad = float(sym.get("stroke_mm", 0.3)) * view.scale * px_per_mm
                sel = _box_hits(lines.boxes, bounds, pad)
                if sel.any():
                    xy, offs = _gather(lines, sel)
                    px, py = view.to_device(xy[:, 0], xy[:, 1])
                    dxy, doffs = thin(px, py, offs, tol)
                    pen = symbols.line_pen(sym, px_per_mm)
                    dxy, doffs, cut = clip_parts(
                        dxy, doffs, device, 4 * pen.widthF() + 4
                    )
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    self._draw_lines(painter, pen, dxy, doffs, cut)
                    drew = True
                    geoms.add("line")
            # points
            if len(group.points):
                size = float(sym.get("size_mm", 2.0)) * px_per_mm
                px, py = view.to_device(group.points[:, 0], group.points[:, 1])
                m = (
                    (px > -size)
                    & (px < view.width + size)
                    & (py > -size)
                    & (py < view.height + size)
                )
                if m.any():
                    self._draw_markers(
                        painter, sym, np.column_stack([px[m], py[m]]), size, px_per_mm
                    )
                    drew = True
                    geoms.add("point")
            if drew:
                shown.add(group.key)
        return shown, geoms

    @staticmethod
    def _draw_lines(painter, pen: QPen, xy, offsets, cut) -> None:
        """One polyline per part; a dashed part cut at its start keeps its phase.

        Most road parts of a network are single segments: for those two QPointF
        cost less than filling a QPolygonF, and Qt strokes both the same way.
        """
        painter.setPen(pen)
        polyline = painter.drawPolyline
        starts, ends = offsets[:-1], offsets[1:]
        sizes = ends - starts
        dashed = pen.style() != Qt.PenStyle.SolidLine and pen.widthF() > 0
        shifted = dashed & (cut > 0)
        if not shifted.any() and (sizes == 2).all():
            a, b = xy[starts], xy[starts + 1]
            for x0, y0, x1, y1 in zip(
                a[:, 0].tolist(),
                a[:, 1].tolist(),
                b[:, 0].tolist(),
                b[:, 1].tolist(),
                strict=True,
            ):
                polyline(QPointF(x0, y0), QPointF(x1, y1))
            return
        xs, ys = xy[:, 0].tolist(), xy[:, 1].tolist()
        phase = False
        for i, (start, size) in enumerate(
            zip(starts.tolist(), sizes.tolist(), strict=True)
        ):
            if size < 2:
                continue
            if shifted[i] or phase:
                pen.setDashOffset(cut[i] / pen.widthF())
                painter.setPen(pen)
                phase = bool(shifted[i])
            if size == 2:
                polyline(
                    QPointF(xs[start], ys[start]), QPointF(xs[start + 1], ys[start + 1])
                )
            else:
                polyline(polygon_from_xy(xy[start : start + size]))

    @staticmethod
    def _veil(painter, view: MapView, mask, alpha: int = 150) -> None:
        outside = shapely.box(*view.bounds).difference(mask)
        if outside.is_empty:
            return
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for ring in shapely.get_rings(shapely.get_parts(outside)):
            x, y = view.to_device(*shapely.get_coordinates(ring).T)
            path.addPolygon(polygon_from_xy(np.column_stack([x, y])))
            path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, alpha))
        painter.drawPath(path)

    @staticmethod
    def _draw_markers(painter, sym, xy, size, px_per_mm):
        shape = sym.get("shape", "circle")
        stroke_mm = float(sym.get("stroke_mm", 0.0))
        if shape == "circle" and stroke_mm <= 0.1:
            pen = QPen(symbols.colour(sym.get("fill", "#888888")))
            pen.setWidthF(size)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawPoints(polygon_from_xy(xy))
            return
        painter.setPen(symbols.marker_pen(sym, px_per_mm))
        painter.setBrush(symbols.fill_brush(sym))
        if shape == "circle":
            r = size / 2
            for x, y in xy.tolist():
                painter.drawEllipse(QPointF(x, y), r, r)
            return
        marker = symbols.marker_path(shape, size)
        for x, y in xy.tolist():
            painter.drawPath(marker.translated(x, y))

    def content(self, view: MapView, kinds=None) -> RenderResult:
        """What :meth:`render` would draw in ``view`` (categories and geometry
        classes per layer), without drawing; for legends of tiled exports."""
        result = RenderResult()
        bounds = view.bounds
        for layer in self.draw_order(kinds):
            prep = self.prepared(layer)
            shown, geoms = set(), set()
            for g in prep.groups:
                hit = False
                if len(g.rings.feature):
                    polymask = _box_hits(g.polygon_boxes, bounds)
                    if polymask.any():
                        hit = True
                        # footprints of a marker style are shown by their marker
                        geoms.add("point" if "shape" in g.symbol else "polygon")
                if len(g.lines.feature) and _box_hits(g.lines.boxes, bounds).any():
                    hit = True
                    geoms.add("line")
                if len(g.points):
                    p = g.points
                    inside = (
                        (p[:, 0] >= bounds[0])
                        & (p[:, 0] <= bounds[2])
                        & (p[:, 1] >= bounds[1])
                        & (p[:, 1] <= bounds[3])
                    )
                    if inside.any():
                        hit = True
                        geoms.add("point")
                if hit:
                    shown.add(g.key)
            if shown:
                result.shown[layer.id] = shown
                result.geoms[layer.id] = geoms
        return result

    # -- labels -------------------------------------------------------------------
    def plan_labels(
        self,
        view: MapView,
        dpi: float = 96,
        symbol_scale: float = 1.0,
        kinds=None,
        label_scale: float = 1.0,
        _preps: dict | None = None,
        reserved=(),
    ) -> LabelPlan:
        """Place the labels of every visible layer for ``view`` without drawing.

        ``label_scale`` enlarges the text only (wall maps read from afar);
        ``reserved`` boxes (x0, y0, x1, y1 in device pixels) are kept free, e.g.
        for a scale bar or north arrow drawn over the map.
        """
        px_per_mm = dpi / MM_PER_INCH * symbol_scale
        occ = Occupancy(view.width, view.height, cell=max(16.0, 12 * px_per_mm))
        jobs: list[LabelJob] = []
        fonts: list[tuple] = []
        queued: dict[str, list] = {}
        for box in reserved:
            occ.take(tuple(float(v) for v in box))
        for layer in self.draw_order(kinds):
            prep = (_preps or {}).get(layer.id) or self.prepared(layer)
            src = prep.labels
            if src is None:
                continue
            spec = prep.style.label
            size_pt = float(spec.get("size_pt", 8)) * symbol_scale * label_scale
            font = pixel_font(
                size_pt, dpi, bool(spec.get("bold")), bool(spec.get("italic"))
            )
            fonts.append((font, symbols.colour(spec.get("color", "#222222"))))
            key = len(fonts) - 1
            fm = QFontMetricsF(font)
            px, py = view.to_device(src.anchor[:, 0], src.anchor[:, 1])
            inside = (px >= 0) & (px <= view.width) & (py >= 0) & (py <= view.height)
            sym_size = self._label_symbol_size(prep) * px_per_mm
            gap = sym_size / 2 + 0.6 * px_per_mm
            for i in np.flatnonzero(inside):
                text = src.text[i]
                near = queued.setdefault(text, [])
                if any(
                    abs(px[i] - qx) + abs(py[i] - qy) < 3 * max(gap, 4)
                    for qx, qy in near
                ):
                    continue  # the same place named by two layers (e.g. seats and townships)
                near.append((px[i], py[i]))
                w = fm.horizontalAdvance(text) + 0.4 * px_per_mm
                h = fm.height()
                jobs.append(
                    LabelJob(
                        text,
                        float(px[i]),
                        float(py[i]),
                        w,
                        h,
                        src.geom[i],
                        gap,
                        float(src.priority[i]),
                        layer.name,
                        key,
                        # map angles turn anticlockwise, the device's clockwise
                        -float(src.angle[i]) if src.angle is not None else 0.0,
                    )
                )
                if src.geom[i] == "point":
                    r = sym_size / 2
                    occ.take((px[i] - r, py[i] - r, px[i] + r, py[i] + r))
        placed, missed = place(jobs, occ)
        if missed:
            log.info("%d labels could not be placed without overlap", len(missed))
        return LabelPlan(placed, missed, fonts)

    @staticmethod
    def _label_symbol_size(prep: PreparedLayer) -> float:
        sizes = [
            float(g.symbol.get("size_mm", 0)) for g in prep.groups if len(g.points)
        ]
        return max(sizes) if sizes else 0.0

    @staticmethod
    def draw_labels(
        painter, plan: LabelPlan, offset=(0.0, 0.0), view: MapView | None = None
    ) -> None:
        """Draw placed labels as text, with a white halo, shifted by ``-offset``."""
        ox, oy = offset
        halo_cache = {}
        # On images a halo of offset copies is fast; on paper it is an outline
        # path, so that the PDF holds each label once as text.
        engine = painter.paintEngine()
        raster = engine is not None and engine.type() == QPaintEngine.Type.Raster
        for job, rect in plan.placed:
            r = rect.translated(-ox, -oy)
            if view is not None and (
                r.right() < 0
                or r.bottom() < 0
                or r.left() > view.width
                or r.top() > view.height
            ):
                continue
            font, col = plan.fonts[job.style_key]
            if job.style_key not in halo_cache:
                fm = QFontMetricsF(font)
                pen = QPen(HALO)
                pen.setWidthF(max(1.2, font.pixelSize() * 0.22))
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                halo_cache[job.style_key] = (fm.ascent(), pen)
            ascent, pen = halo_cache[job.style_key]
            painter.save()
            if job.angle:
                centre = r.center()
                painter.translate(centre)
                painter.rotate(job.angle)
                base = QPointF(-job.w / 2, -job.h / 2 + ascent)
            else:
                base = QPointF(r.left() + 0.02 * font.pixelSize(), r.top() + ascent)
            if raster:
                painter.setFont(font)
                painter.setPen(HALO)
                d = pen.widthF() / 2
                for dx, dy in _HALO_STEPS:
                    painter.drawText(base + QPointF(dx * d, dy * d), job.text)
            else:
                path = QPainterPath()
                path.addText(base, font, job.text)
                painter.strokePath(path, pen)
            painter.setFont(font)
            painter.setPen(col)
            painter.drawText(base, job.text)
            painter.restore()

    # -- identify -----------------------------------------------------------------
    def hit_test(
        self, view: MapView, x_px: float, y_px: float, tolerance_px: float = 4.0
    ) -> list[Hit]:
        """Features under a device pixel, topmost layer first, nearest first within it."""
        x, y = view.to_map(x_px, y_px)
        pt = shapely.Point(float(x), float(y))
        tol = tolerance_px * view.scale
        hits: list[Hit] = []
        for layer in reversed(self.draw_order()):
            prep = self.prepared(layer)
            tree = self._trees.get(layer.id)
            if tree is None:
                geoms = prep.geometries
                ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
                rows = np.flatnonzero(ok)
                tree = (shapely.STRtree(geoms[rows]), rows)
                self._trees[layer.id] = tree
            strtree, rows = tree
            idx = strtree.query(pt, predicate="dwithin", distance=tol)
            found = []
            for i in idx:
                geom = strtree.geometries[i]
                d = float(shapely.distance(geom, pt))
                found.append(Hit(layer, int(rows[i]), d))
            hits.extend(sorted(found, key=lambda h: h.distance))
        return hits

"""Geometry helpers of the window: extents, picking, drawing overlays, true measures."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from PyQt6.QtCore import QPointF
from PyQt6.QtGui import QPainter, QPolygonF

GEOD = Geod(ellps="GRS80")  # the CGCS2000 ellipsoid differs from GRS80 by < 0.1 mm
MAX_OVERLAY_FEATURES = 20000


def union_bounds(boxes):
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    arr = np.array(boxes, dtype=float)
    return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())


def layer_bounds(layer, crs: CRS, rows=None):
    """Extent in metres of a layer, or of some of its rows; None when empty."""
    if not layer.has_geometry:
        return None
    geoms = layer.projected(crs).values
    if rows is not None:
        geoms = geoms[np.asarray(rows, dtype=np.int64)]
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if not len(geoms):
        return None
    box = shapely.total_bounds(geoms)
    return tuple(float(v) for v in box) if np.isfinite(box).all() else None


def rows_in_box(geoms, box) -> np.ndarray:
    """Rows whose geometry meets the box (minx, miny, maxx, maxy) in metres."""
    rows = geoms.sindex.query(shapely.box(*box), predicate="intersects")
    return np.sort(np.asarray(rows, dtype=np.int64))


def draw_features(painter: QPainter, view, geoms, rows) -> None:
    """Draw some features of a projected GeoSeries with the painter's pen and brush."""
    values = geoms.values[np.asarray(rows, dtype=np.int64)[:MAX_OVERLAY_FEATURES]]
    values = values[~(shapely.is_missing(values) | shapely.is_empty(values))]
    minx, miny, maxx, maxy = view.bounds
    values = values[shapely.intersects(values, shapely.box(minx, miny, maxx, maxy))]
    parts = shapely.get_parts(values)
    types = shapely.get_type_id(parts)
    for kind, geom_parts in ((0, parts[types == 0]), (1, parts[types == 1])):
        if not len(geom_parts):
            continue
        xy, index = shapely.get_coordinates(geom_parts, return_index=True)
        px, py = view.to_device(xy[:, 0], xy[:, 1])
        if kind == 0:
            for x, y in zip(px, py, strict=True):
                painter.drawEllipse(QPointF(x, y), 5, 5)
        else:
            _draw_runs(painter, px, py, index, closed=False)
    polygons = parts[types == 3]
    if len(polygons):
        rings = shapely.get_rings(polygons)
        xy, index = shapely.get_coordinates(rings, return_index=True)
        px, py = view.to_device(xy[:, 0], xy[:, 1])
        _draw_runs(painter, px, py, index, closed=True)


def _draw_runs(painter, px, py, index, closed: bool) -> None:
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    ends = np.r_[starts[1:], len(index)]
    for s, e in zip(starts, ends, strict=True):
        poly = QPolygonF([QPointF(x, y) for x, y in zip(px[s:e], py[s:e], strict=True)])
        if closed:
            painter.drawPolygon(poly)
        else:
            painter.drawPolyline(poly)


@lru_cache(maxsize=8)
def _to_geographic(crs_wkt: str) -> Transformer:
    return Transformer.from_crs(CRS.from_wkt(crs_wkt), "EPSG:4490", always_xy=True)


def to_lonlat(crs: CRS, points) -> list[tuple[float, float]]:
    """Metres of the project's CRS to CGCS2000 longitude and latitude."""
    if not points:
        return []
    xs, ys = zip(*points, strict=True)
    lon, lat = _to_geographic(crs.to_wkt()).transform(np.array(xs), np.array(ys))
    return list(
        zip(np.atleast_1d(lon).tolist(), np.atleast_1d(lat).tolist(), strict=True)
    )


def geodesic_length(lonlat) -> float:
    """Length in metres on the ellipsoid of a line through the points."""
    if len(lonlat) < 2:
        return 0.0
    lons, lats = zip(*lonlat, strict=True)
    return float(GEOD.line_length(lons, lats))


def geodesic_area(lonlat) -> tuple[float, float]:
    """Area (m²) and perimeter (m) on the ellipsoid of the polygon through the points."""
    if len(lonlat) < 3:
        return 0.0, geodesic_length(lonlat)
    lons, lats = zip(*lonlat, strict=True)
    area, perimeter = GEOD.polygon_area_perimeter(lons, lats)
    return abs(float(area)), float(perimeter)


def format_length(metres: float) -> str:
    if metres >= 1000:
        return f"{metres / 1000:,.3f} km"
    return f"{metres:,.1f} m"


def format_area(square_metres: float) -> str:
    if square_metres >= 1e6:
        return f"{square_metres / 1e6:,.3f} km² ({square_metres / 666.6667:,.0f} 亩)"
    return f"{square_metres:,.0f} m² ({square_metres / 666.6667:,.1f} 亩)"

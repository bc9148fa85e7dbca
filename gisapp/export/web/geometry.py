"""Geometry for the web map: simplified, shifted for display, quantised, delta-coded.

Polygons of one layer are simplified together as a coverage, so borders shared by
neighbouring villages move together and no gap or overlap opens between them.
Coordinates are written as integers in millionths of a degree (about 0.1 m), each
the difference from the one before, which is what keeps a large layer small.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import GeometryType

log = logging.getLogger(__name__)

#: Metres per degree of latitude, for turning a metric tolerance into degrees.
METRES_PER_DEGREE = 111_320.0

POINT, LINE, AREA = "P", "L", "A"
_FAMILY = {
    GeometryType.POINT: POINT,
    GeometryType.MULTIPOINT: POINT,
    GeometryType.LINESTRING: LINE,
    GeometryType.MULTILINESTRING: LINE,
    GeometryType.LINEARRING: LINE,
    GeometryType.POLYGON: AREA,
    GeometryType.MULTIPOLYGON: AREA,
}


def families(geoms: np.ndarray) -> np.ndarray:
    """Each geometry's family: ``P``, ``L``, ``A``; ``""`` when it cannot be drawn."""
    types = shapely.get_type_id(geoms)
    out = np.full(len(geoms), "", dtype=object)
    for type_id, family in _FAMILY.items():
        out[types == type_id] = family
    out[shapely.is_empty(geoms) | shapely.is_missing(geoms)] = ""
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(shapely.bounds(geoms)).all(axis=1)
    out[~finite] = ""  # a NaN or infinite coordinate cannot be placed
    return out


def simplify(geoms: np.ndarray, family: str, metres: float) -> np.ndarray:
    """Geometries of one family simplified by ``metres``.

    Polygons are simplified as a coverage (shared edges once, identically for both
    neighbours); when the layer is not a valid coverage (overlapping polygons) each
    polygon is simplified on its own with its topology kept. Lines keep their end
    points, so a network stays connected. Points are returned as they are.
    """
    if metres <= 0 or family == POINT or len(geoms) == 0:
        return geoms
    tolerance = metres / METRES_PER_DEGREE
    if family == AREA:
        try:
            if bool(shapely.coverage_is_valid(geoms)):
                done = shapely.coverage_simplify(
                    geoms, tolerance, simplify_boundary=True
                )
                keep = ~shapely.is_empty(done)
                return np.where(keep, done, geoms)
        except shapely.errors.GEOSException as exc:
            log.info("coverage simplification not possible (%s); per polygon", exc)
        return shapely.simplify(geoms, tolerance, preserve_topology=True)
    return shapely.simplify(geoms, tolerance, preserve_topology=False)


# --- GCJ-02 display shift ------------------------------------------------------

_A = 6378245.0
_EE = 0.00669342162296594323


def _inside_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Coordinates in mainland China, where GCJ-02 basemaps are offset."""
    return (lon > 73.66) & (lon < 135.05) & (lat > 3.86) & (lat < 53.55)


def _shift_lat(x, y):
    out = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
    out += 0.2 * np.sqrt(np.abs(x))
    out += (20.0 * np.sin(6.0 * x * math.pi) + 20.0 * np.sin(2.0 * x * math.pi)) * 2 / 3
    out += (20.0 * np.sin(y * math.pi) + 40.0 * np.sin(y / 3.0 * math.pi)) * 2 / 3
    out += (
        (160.0 * np.sin(y / 12.0 * math.pi) + 320 * np.sin(y * math.pi / 30.0)) * 2 / 3
    )
    return out


def _shift_lon(x, y):
    out = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y
    out += 0.1 * np.sqrt(np.abs(x))
    out += (20.0 * np.sin(6.0 * x * math.pi) + 20.0 * np.sin(2.0 * x * math.pi)) * 2 / 3
    out += (20.0 * np.sin(x * math.pi) + 40.0 * np.sin(x / 3.0 * math.pi)) * 2 / 3
    out += (
        (150.0 * np.sin(x / 12.0 * math.pi) + 300.0 * np.sin(x / 30.0 * math.pi))
        * 2
        / 3
    )
    return out


def to_gcj02(coords: np.ndarray) -> np.ndarray:
    """WGS-84/CGCS2000 lon/lat shifted to GCJ-02, for drawing over such a basemap.

    Only the copy drawn on the page is shifted; the project's data are untouched.
    Points outside mainland China are returned unchanged.
    """
    lon, lat = coords[:, 0], coords[:, 1]
    x, y = lon - 105.0, lat - 35.0
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (
        _shift_lat(x, y) * 180.0 / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    )
    dlon = _shift_lon(x, y) * 180.0 / (_A / sqrt_magic * np.cos(rad) * math.pi)
    inside = _inside_china(lon, lat)
    out = coords.copy()
    out[inside, 0] += dlon[inside]
    out[inside, 1] += dlat[inside]
    return out


# --- encoding ------------------------------------------------------------------


@dataclass
class Encoded:
    """One family of a layer, ready for the page.

    ``coords`` are delta-coded integers (x0, y0, dx1, dy1, ...) in units of
    ``10**-decimals`` degrees over the whole layer; ``offsets`` are the ragged-array
    offsets (lines: parts then features; areas: rings, polygons, features).
    """

    family: str
    decimals: int
    coords: list
    offsets: list
    vertices: int

    def as_json(self) -> dict:
        return {
            "f": self.family,
            "q": self.decimals,
            "c": self.coords,
            "o": self.offsets,
        }


def _promote(geoms: np.ndarray, family: str) -> np.ndarray:
    """Single parts as one-part multi-geometries, so a layer has one ragged layout."""
    types = set(shapely.get_type_id(geoms).tolist())
    if family == LINE and GeometryType.LINEARRING in types:
        geoms = np.array(
            [
                shapely.LineString(g.coords) if g.geom_type == "LinearRing" else g
                for g in geoms
            ],
            dtype=object,
        )
    return geoms


def encode(
    geoms: np.ndarray, family: str, decimals: int, gcj02: bool = False
) -> Encoded:
    """Quantise and delta-code geometries of one family."""
    geoms = _promote(geoms, family)
    geoms = shapely.force_2d(geoms)
    if family == POINT:
        # Multi-points are drawn at their first point; a village is one place.
        singles = shapely.get_geometry(geoms, 0)
        coords = shapely.get_coordinates(singles)
        offsets: list = []
    else:
        _, coords, offsets = shapely.to_ragged_array(geoms)
        offsets = [np.asarray(o).tolist() for o in offsets]
    if gcj02 and len(coords):
        coords = to_gcj02(coords)
    scale = 10**decimals
    ints = np.rint(coords * scale).astype(np.int64)
    deltas = ints.copy()
    if len(ints) > 1:
        deltas[1:] = ints[1:] - ints[:-1]
    return Encoded(family, decimals, deltas.ravel().tolist(), offsets, len(ints))


def decode(encoded: dict) -> np.ndarray:
    """The absolute coordinates of an encoded family (the page does the same)."""
    flat = np.asarray(encoded["c"], dtype=np.int64).reshape(-1, 2)
    return np.cumsum(flat, axis=0) / 10 ** encoded["q"]


def rebuild(encoded: dict) -> np.ndarray:
    """Shapely geometries from an encoded family (for checks and tests)."""
    coords = decode(encoded)
    family = encoded["f"]
    if family == POINT:
        return shapely.points(coords)
    offsets = tuple(np.asarray(o, dtype=np.int64) for o in encoded["o"])
    kind = GeometryType.MULTILINESTRING if family == LINE else GeometryType.MULTIPOLYGON
    if len(offsets) == 1:
        kind = GeometryType.LINESTRING
    elif family == AREA and len(offsets) == 2:
        kind = GeometryType.POLYGON
    return shapely.from_ragged_array(kind, coords, offsets)

"""A layer made ready for fast drawing: projected once, grouped by symbol, as arrays.

For each category of the layer's style (one group when the style has none) the
geometries are split into points, line parts and polygon rings held in flat
numpy arrays with part offsets and bounding boxes, so that drawing a view is
culling by box, one vectorised transform and one ``QPolygonF`` per part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from pyproj import CRS

from gisapp.model.layer import Layer
from gisapp.model.style import Style, _category_key, layer_style

POINT, LINE, POLYGON = "point", "line", "polygon"


@dataclass
class Parts:
    """Flat coordinates of many parts (lines or rings)."""

    xy: np.ndarray  # (n, 2) metres
    offsets: np.ndarray  # (p + 1,)
    boxes: np.ndarray  # (p, 4) minx, miny, maxx, maxy
    feature: np.ndarray  # (p,) row position in the layer's frame
    owner: np.ndarray | None = None  # (p,) polygon number of each ring


@dataclass
class Group:
    """The features of one category (one symbol)."""

    key: str
    symbol: dict
    points: np.ndarray  # (k, 2) metres
    point_feature: np.ndarray  # (k,)
    lines: Parts
    rings: Parts
    polygon_boxes: np.ndarray  # (q, 4)


@dataclass
class LabelSource:
    """Where each feature's label goes and what it says."""

    text: list[str]
    anchor: np.ndarray  # (n, 2) metres
    geom: list[str]  # point, line or polygon per label
    priority: np.ndarray  # smaller is placed first
    feature: np.ndarray
    angle: np.ndarray | None = None  # degrees anticlockwise on the map (lines)


@dataclass
class PreparedLayer:
    layer_id: str
    style: Style
    groups: list[Group]
    labels: LabelSource | None
    geometries: np.ndarray  # projected shapely geometries, by row position
    signature: tuple = field(default=())

    @property
    def geom_classes(self) -> set[str]:
        out = set()
        for g in self.groups:
            if len(g.points):
                out.add(POINT)
            if len(g.lines.feature):
                out.add(LINE)
            if len(g.rings.feature):
                out.add(POLYGON)
        return out


def _empty_parts(with_owner: bool = False) -> Parts:
    return Parts(
        np.empty((0, 2)),
        np.zeros(1, dtype=np.int64),
        np.empty((0, 4)),
        np.empty(0, dtype=np.int64),
        np.empty(0, dtype=np.int64) if with_owner else None,
    )


def _parts(geoms: np.ndarray, rows: np.ndarray, rings: bool) -> Parts:
    """Split line or polygon geometries into parts with boxes."""
    if len(geoms) == 0:
        return _empty_parts(rings)
    singles, idx = shapely.get_parts(geoms, return_index=True)
    feature = rows[idx]
    owner = None
    if rings:
        ring_geoms, ridx = shapely.get_rings(singles, return_index=True)
        owner = ridx
        feature = feature[ridx]
        singles = ring_geoms
    coords, cidx = shapely.get_coordinates(singles, return_index=True)
    counts = np.bincount(cidx, minlength=len(singles))
    offsets = np.zeros(len(singles) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(counts)
    boxes = shapely.bounds(singles)
    return Parts(coords, offsets, boxes, feature.astype(np.int64), owner)


def _is_true(value) -> bool:
    if value is None:
        return False
    try:
        if value != value:
            return False
    except TypeError:
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "是"}
    return bool(value)


def _label_source(layer: Layer, style: Style, geoms: np.ndarray) -> LabelSource | None:
    spec = style.label or {}
    fld = spec.get("field")
    frame = layer.frame
    if not fld or fld not in frame:
        return None
    texts = frame[fld].tolist()
    ok = np.array([isinstance(t, str) and t.strip() != "" for t in texts])
    only = spec.get("only")
    if only:
        if only not in frame:
            return None
        ok &= np.array([_is_true(v) for v in frame[only].tolist()])
    ok &= ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    rows = np.flatnonzero(ok)
    if len(rows) == 0:
        return None
    sel = geoms[rows]
    kinds = shapely.get_type_id(sel)
    anchors = np.empty((len(rows), 2))
    gclass = []
    keep = np.ones(len(rows), dtype=bool)
    seen_line_names: dict[str, int] = {}
    angles = np.zeros(len(rows))
    line_length: dict[int, float] = {}
    for i, (g, t) in enumerate(zip(sel, kinds, strict=False)):
        if t in (0, 4):  # point, multipoint
            p = shapely.get_point(g, 0) if t == 4 else g
            anchors[i] = (shapely.get_x(p), shapely.get_y(p))
            gclass.append(POINT)
        elif t in (1, 2, 5):  # lines: label once per name, on the longest piece
            name = texts[rows[i]].strip()
            parts = shapely.get_parts(g)
            longest = parts[np.argmax(shapely.length(parts))]
            p = shapely.line_interpolate_point(longest, 0.5, normalized=True)
            anchors[i] = (shapely.get_x(p), shapely.get_y(p))
            a, b = shapely.line_interpolate_point(longest, [0.4, 0.6], normalized=True)
            dx, dy = (
                shapely.get_x(b) - shapely.get_x(a),
                shapely.get_y(b) - shapely.get_y(a),
            )
            ang = math.degrees(math.atan2(dy, dx))
            if ang > 90:
                ang -= 180
            elif ang < -90:
                ang += 180
            angles[i] = ang
            gclass.append(LINE)
            line_length[i] = float(shapely.length(g))
            j = seen_line_names.get(name)
            if j is None or line_length[i] > line_length[j]:
                if j is not None:
                    keep[j] = False
                seen_line_names[name] = i
            else:
                keep[i] = False
        else:
            p = shapely.point_on_surface(g)
            anchors[i] = (shapely.get_x(p), shapely.get_y(p))
            gclass.append(POLYGON)
    priority = np.full(len(rows), 5.0)
    kind = layer.kind.id
    base = {"village": 0, "township": 1, "county": 2, "relocation_site": 3, "river": 4}
    priority[:] = base.get(kind, 5)
    if kind == "village":
        status = (
            frame["gap_status"].tolist()
            if "gap_status" in frame
            else [None] * len(frame)
        )
        poor = frame["is_poor"].tolist() if "is_poor" in frame else [False] * len(frame)
        for i, r in enumerate(rows):
            if not (_is_true(poor[r]) or status[r] in ("red", "yellow", "green")):
                priority[i] = 6
            elif status[r] == "red":
                priority[i] = -0.5
    rows, anchors, priority = rows[keep], anchors[keep], priority[keep]
    gclass = [g for g, k in zip(gclass, keep, strict=False) if k]
    return LabelSource(
        [texts[r].strip() for r in rows], anchors, gclass, priority, rows, angles[keep]
    )


def signature(layer: Layer, crs: CRS) -> tuple:
    """What a prepared layer depends on: frame, its version, style and label fields.

    The style is the layer's own or its kind's; ``id(style)`` changes when the style
    editor gives the layer a new one (styles are frozen, never edited in place).

    Whoever changes a layer's attributes calls ``Layer.touch`` (or ``changed`` for
    geometry), which moves the version on; hashing the values on every frame
    instead cost more than drawing a township's roads.
    """
    style = layer_style(layer)
    frame = layer.frame
    cols = [
        c
        for c in (
            style.category_field,
            (style.label or {}).get("field"),
            (style.label or {}).get("only"),
            "gap_status",
            "is_poor",
        )
        if c and c in frame
    ]
    return (
        id(frame),
        len(frame),
        layer.version,
        tuple(cols),
        crs.to_wkt(),
        style.order,
        id(style),
    )


def prepare(layer: Layer, crs: CRS) -> PreparedLayer:
    """Project a layer and sort its geometries into drawable groups."""
    style = layer_style(layer)
    geoms = np.asarray(layer.projected(crs).values, dtype=object)
    if style.category_field and style.category_field in layer.frame:
        keys = np.array(
            [_category_key(v) for v in layer.frame[style.category_field].tolist()],
            dtype=object,
        )
    else:
        keys = np.full(len(geoms), "", dtype=object)
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    type_ids = np.where(valid, shapely.get_type_id(np.where(valid, geoms, None)), -1)
    groups = []
    # Categories in style order, so the legend and drawing agree; unknown keys last.
    order = list(style.categories) + sorted(set(keys.tolist()) - set(style.categories))
    for key in order:
        mask = (keys == key) & valid
        if not mask.any():
            continue
        rows = np.flatnonzero(mask)
        t = type_ids[rows]
        pts_rows = rows[np.isin(t, (0, 4))]
        line_rows = rows[np.isin(t, (1, 2, 5))]
        poly_rows = rows[np.isin(t, (3, 6))]
        if len(pts_rows):
            pp, pidx = shapely.get_parts(geoms[pts_rows], return_index=True)
            points = shapely.get_coordinates(pp)
            point_feature = pts_rows[pidx]
        else:
            points, point_feature = np.empty((0, 2)), np.empty(0, dtype=np.int64)
        polys = geoms[poly_rows]
        groups.append(
            Group(
                key=key,
                symbol=style.symbol_for(key) if key else style.symbol,
                points=points,
                point_feature=point_feature,
                lines=_parts(geoms[line_rows], line_rows, rings=False),
                rings=_parts(polys, poly_rows, rings=True),
                polygon_boxes=shapely.bounds(shapely.get_parts(polys))
                if len(polys)
                else np.empty((0, 4)),
            )
        )
    labels = _label_source(layer, style, geoms)
    return PreparedLayer(layer.id, style, groups, labels, geoms, signature(layer, crs))

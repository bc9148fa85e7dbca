"""GCJ-02 and BD-09: the offset coordinates of Chinese web maps.

Amap (高德), Tencent and Google's China maps publish positions shifted by the
GCJ-02 algorithm, Baidu by BD-09 on top of it: a few hundred metres that vary from
place to place. No EPSG code describes them. Points picked on those maps are
brought back to CGCS2000 (≈ WGS84 within centimetres at map scale) by inverting the
shift iteratively; the forward shift is provided only to draw CGCS2000 data over a
Chinese web basemap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# The shift is defined on the Krasovsky ellipsoid.
_A = 6378245.0
_EE = 0.00669342162296594323
_BD_K = np.pi * 3000.0 / 180.0
# Outside this box the published maps apply no shift.
_BOX = (72.004, 0.8293, 137.8347, 55.8271)

ORIGINS = {
    "gcj02": (
        "GCJ-02",
        ("高德", "gaode", "amap", "autonavi", "腾讯", "tencent", "qq地图", "gcj"),
    ),
    "bd09": ("BD-09", ("百度", "baidu", "bd09", "bd-09", "bmap")),
}


def _in_box(lon, lat):
    return (lon >= _BOX[0]) & (lon <= _BOX[2]) & (lat >= _BOX[1]) & (lat <= _BOX[3])


def _shift(lon, lat):
    """The GCJ-02 shift in degrees at a WGS84 position."""
    x, y = lon - 105.0, lat - 35.0
    root = np.sqrt(np.abs(x))
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * root
    dlat += (
        (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    )
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (
        (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0))
        * 2.0
        / 3.0
    )
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * root
    dlon += (
        (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    )
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (
        (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi))
        * 2.0
        / 3.0
    )
    rad = np.radians(lat)
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    inside = _in_box(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def to_gcj02(lon, lat):
    """Shift CGCS2000/WGS84 lon/lat to GCJ-02, for drawing over Amap-style tiles.

    Vectorised over numpy arrays (scalars work too). The result is for display only:
    never store or export it as EPSG:4326 or 4490.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    dlon, dlat = _shift(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_bd09(lon, lat):
    """Shift GCJ-02 lon/lat to Baidu's BD-09."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _BD_K)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _BD_K)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def to_bd09(lon, lat):
    """Shift CGCS2000/WGS84 lon/lat to BD-09, for drawing over Baidu tiles."""
    return gcj02_to_bd09(*to_gcj02(lon, lat))


def _invert(forward, lon, lat, tol=1e-10, max_iter=30):
    """Solve ``forward(x) = (lon, lat)`` for x by fixed-point iteration."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x, y = lon.copy(), lat.copy()
    for _ in range(max_iter):
        fx, fy = forward(x, y)
        ex, ey = fx - lon, fy - lat
        x, y = x - ex, y - ey
        if (
            np.nanmax(np.abs(np.concatenate([np.ravel(ex), np.ravel(ey)])), initial=0)
            < tol
        ):
            break
    return x, y


def from_gcj02(lon, lat):
    """GCJ-02 lon/lat back to CGCS2000/WGS84 (iterative; residual far below 1 m)."""
    return _invert(to_gcj02, lon, lat)


def from_bd09(lon, lat):
    """BD-09 lon/lat back to CGCS2000/WGS84 (iterative; residual far below 1 m)."""
    return _invert(to_bd09, lon, lat)


INVERSE = {"gcj02": from_gcj02, "bd09": from_bd09}
FORWARD = {"gcj02": to_gcj02, "bd09": to_bd09}


def normalise_origin(text) -> str | None:
    """``"gcj02"``, ``"bd09"`` or None for a user's or file's naming of a system."""
    if text is None:
        return None
    key = re.sub(r"[\s_\-]", "", str(text)).lower()
    if key in ("gcj02", "gcj", "mars", "火星坐标"):
        return "gcj02"
    if key in ("bd09", "bd09ll", "baidu"):
        return "bd09"
    return None


def declared_origin(names, values=()) -> tuple[str | None, str]:
    """Whether a file name, column names or cell values say the points came from a
    web map: ``(origin or None, the words that said so)``.

    Baidu wins over Amap when both are named, since BD-09 includes GCJ-02.
    """
    hits: dict[str, str] = {}
    texts = [str(n) for n in names if n is not None]
    texts += [str(v) for v in values if isinstance(v, str)]
    for origin in ("bd09", "gcj02"):
        for word in ORIGINS[origin][1]:
            for text in texts:
                if word in text.lower():
                    hits.setdefault(origin, f"{text!r} names {ORIGINS[origin][0]}")
    for origin in ("bd09", "gcj02"):
        if origin in hits:
            return origin, hits[origin]
    return None, ""


@dataclass
class OffsetFinding:
    """The result of comparing a layer with a trusted layer of the project."""

    origin: str | None
    reason: str
    distance_m: dict[str, float]

    @property
    def label(self) -> str:
        return ORIGINS[self.origin][0] if self.origin else "CGCS2000"


def _metres(dlon, dlat, lat):
    return np.hypot(dlon * 111_320.0 * np.cos(np.radians(lat)), dlat * 110_946.0)


def detect_offset(xy, reference_xy, *, min_shift_m: float = 150.0) -> OffsetFinding:
    """Whether points carry a web-map offset relative to trusted positions.

    ``xy`` and ``reference_xy`` are (n, 2) lon/lat arrays of the same objects
    (matched by name or code) or, for outlines, vertices of a layer and the nearest
    vertices of a trusted layer. The hypothesis (none, GCJ-02, BD-09) with the
    smallest median distance wins when it beats the raw distance clearly.
    """
    xy = np.asarray(xy, dtype=float)
    ref = np.asarray(reference_xy, dtype=float)
    ok = np.isfinite(xy).all(axis=1) & np.isfinite(ref).all(axis=1)
    xy, ref = xy[ok], ref[ok]
    if not len(xy):
        return OffsetFinding(None, "no matching positions to compare", {})
    dist = {}
    for name, fn in (("none", None), ("gcj02", from_gcj02), ("bd09", from_bd09)):
        lon, lat = (xy[:, 0], xy[:, 1]) if fn is None else fn(xy[:, 0], xy[:, 1])
        dist[name] = float(
            np.median(_metres(lon - ref[:, 0], lat - ref[:, 1], ref[:, 1]))
        )
    best = min(dist, key=dist.get)
    if best == "none" or dist["none"] < min_shift_m or dist[best] > 0.5 * dist["none"]:
        return OffsetFinding(
            None,
            f"positions agree with the trusted layer "
            f"(median {dist['none']:.0f} m apart)",
            dist,
        )
    return OffsetFinding(
        best,
        f"positions sit a median {dist['none']:.0f} m from the trusted layer, "
        f"{dist[best]:.1f} m after removing the {ORIGINS[best][0]} shift",
        dist,
    )


def _segments_metric(geoms, lat0: float):
    """The outline segments of polygons (or the lines themselves) in local metres."""
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    kinds = shapely.get_type_id(geoms)
    lines = np.where(np.isin(kinds, (3, 6)), shapely.boundary(geoms), geoms)
    parts = shapely.get_parts(shapely.get_parts(lines))
    segs = []
    for part in parts:
        c = shapely.get_coordinates(part)
        if len(c) >= 2:
            segs.append(np.stack([c[:-1], c[1:]], axis=1))
    if not segs:
        return None
    seg = np.concatenate(segs)
    seg = seg * np.array([111_320.0 * np.cos(np.radians(lat0)), 110_946.0])
    return shapely.linestrings(seg)


def detect_outline_offset(geoms, reference_geoms) -> OffsetFinding:
    """Compare a layer's vertices with the nearest outline of a trusted layer (e.g. a
    boundary) under each offset hypothesis."""
    import shapely

    coords = shapely.get_coordinates(np.asarray(geoms, dtype=object))
    if not len(coords):
        return OffsetFinding(None, "no coordinates to compare", {})
    step = max(1, len(coords) // 2000)
    coords = coords[::step]
    lat0 = float(np.median(coords[:, 1]))
    segs = _segments_metric(reference_geoms, lat0)
    if segs is None:
        return OffsetFinding(None, "the trusted layer has no outline", {})
    tree = shapely.STRtree(segs)
    scale = np.array([111_320.0 * np.cos(np.radians(lat0)), 110_946.0])
    dist = {}
    for name, fn in (("none", None), ("gcj02", from_gcj02), ("bd09", from_bd09)):
        lon, lat = (
            (coords[:, 0], coords[:, 1])
            if fn is None
            else fn(coords[:, 0], coords[:, 1])
        )
        pts = shapely.points(np.column_stack([lon, lat]) * scale)
        _, d = tree.query_nearest(pts, return_distance=True, all_matches=False)
        dist[name] = float(np.median(d))
    best = min(dist, key=dist.get)
    if best == "none" or dist["none"] < 150.0 or dist[best] > 0.6 * dist["none"]:
        return OffsetFinding(
            None, f"outline agrees with the trusted layer ({dist['none']:.0f} m)", dist
        )
    return OffsetFinding(
        best,
        f"outline sits a median {dist['none']:.0f} m from the trusted layer, "
        f"{dist[best]:.0f} m after removing the {ORIGINS[best][0]} shift",
        dist,
    )


_NAME_COLUMNS = (
    "name",
    "名称",
    "村名",
    "CUNMING",
    "NAME",
    "code",
    "行政区划代码",
    "DAIMA",
)


def detect_layer_offset(frame, reference) -> OffsetFinding:
    """Compare a layer (EPSG:4490 frame) with a trusted layer of the project.

    Points are matched to the reference's points by a shared name or code column;
    lines and polygons are compared with the reference's outlines (e.g. the
    boundary). Returns the finding; ``origin`` is None when no offset shows.
    """
    import shapely

    geoms = frame.geometry.values
    ref_geoms = reference.geometry.values
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    ref_ok = ~(shapely.is_missing(ref_geoms) | shapely.is_empty(ref_geoms))
    if not ok.any() or not ref_ok.any():
        return OffsetFinding(None, "nothing to compare", {})
    for col in _NAME_COLUMNS:
        if col in frame.columns and col in reference.columns:
            ref = reference[ref_ok].drop_duplicates(col).set_index(col)
            mine = frame[ok]
            common = mine[col].isin(ref.index)
            if (
                common.sum() >= 3
                and (shapely.get_type_id(mine.geometry.values) == 0).all()
            ):
                a = shapely.get_coordinates(mine.geometry.values[common.to_numpy()])
                pts = shapely.centroid(
                    ref.loc[mine[col][common], ref.geometry.name].values
                )
                return detect_offset(a, shapely.get_coordinates(pts))
    ref_types = set(shapely.get_type_id(ref_geoms[ref_ok]))
    if ref_types & {3, 6}:
        return detect_outline_offset(geoms[ok], ref_geoms[ref_ok])
    return OffsetFinding(None, "no shared names and no outline to compare with", {})


def remove_offset(frame, origin: str):
    """A copy of an EPSG:4490 frame whose coordinates carried ``origin``'s shift,
    brought back to CGCS2000."""
    import shapely

    inverse = INVERSE[origin]
    out = frame.copy()
    out.geometry = shapely.transform(
        frame.geometry.values,
        lambda c: np.column_stack(inverse(c[:, 0], c[:, 1])),
    )
    return out

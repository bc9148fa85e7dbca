"""Read GPX from field surveys: waypoints, routes, tracks and their points.

A track keeps its segments as separate parts, so a pause in recording never draws
a straight jump across the gap. GPX times are UTC by definition; they are shown in
China time (+08:00). Elevations are kept as Z.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from datetime import timedelta, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from gisapp.data.source import SourceInfo
from gisapp.errors import ReadError

log = logging.getLogger(__name__)

CHINA_TIME = timezone(timedelta(hours=8))
LAYERS = ("waypoints", "routes", "tracks", "track_points")


def _tag(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _kids(el, name):
    return [c for c in el if _tag(c) == name]


def _text(el, name):
    for c in el:
        if _tag(c) == name and c.text is not None:
            return c.text.strip()
    return None


def _parse(path: Path) -> ET.Element:
    try:
        return ET.fromstring(path.read_bytes())
    except ET.ParseError as exc:
        raise ReadError(
            "the GPX is not well-formed XML",
            path=path,
            value=str(exc),
            fix="export the track again from the device or app",
        ) from exc


def _point(el) -> tuple[tuple[float, ...], dict] | None:
    try:
        lon, lat = float(el.get("lon")), float(el.get("lat"))
    except (TypeError, ValueError):
        return None
    ele = _text(el, "ele")
    try:
        z = float(ele) if ele is not None else None
    except ValueError:
        z = None
    props = {
        "name": _text(el, "name"),
        "ele": z,
        "time": _text(el, "time"),
        "desc": _text(el, "desc") or _text(el, "cmt"),
        "sym": _text(el, "sym"),
        "type": _text(el, "type"),
    }
    return ((lon, lat, z) if z is not None else (lon, lat)), props


def to_china_time(values: pd.Series, info: SourceInfo | None = None) -> pd.Series:
    """GPX time strings as times in +08:00 (strings without a zone are UTC)."""
    text = values.astype("string")
    naive = text.notna() & ~text.str.contains(
        r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False
    )
    if naive.any() and info is not None:
        info.warn(f"{int(naive.sum())} times carry no time zone; read as UTC per GPX")
    times = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
    return times.dt.tz_convert(CHINA_TIME)


def _frame(rows, geoms, info) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows)
    for col in ("time", "start_time", "end_time"):
        if col in frame:
            frame[col] = to_china_time(frame[col], info)
    frame = frame.dropna(axis=1, how="all")
    if any(g is not None and g.has_z for g in geoms) and not all(
        g is None or g.has_z for g in geoms
    ):
        geoms = [None if g is None else shapely.force_3d(g) for g in geoms]
    return gpd.GeoDataFrame(frame, geometry=list(geoms), crs="EPSG:4326")


def _collect(path: Path) -> dict[str, tuple[list, list]]:
    root = _parse(path)
    parts: dict[str, tuple[list, list]] = {name: ([], []) for name in LAYERS}
    for wpt in _kids(root, "wpt"):
        got = _point(wpt)
        if got:
            parts["waypoints"][0].append(got[1])
            parts["waypoints"][1].append(shapely.Point(got[0]))
    for n, rte in enumerate(_kids(root, "rte"), 1):
        pts = [p for p in map(_point, _kids(rte, "rtept")) if p]
        parts["routes"][0].append(
            {
                "name": _text(rte, "name") or f"路线{n}",
                "desc": _text(rte, "desc"),
                "points": len(pts),
            }
        )
        coords = [_uniform(p[0], pts) for p in pts]
        parts["routes"][1].append(
            shapely.LineString(coords) if len(coords) >= 2 else None
        )
    for n, trk in enumerate(_kids(root, "trk"), 1):
        name = _text(trk, "name") or f"轨迹{n}"
        lines, times, count = [], [], 0
        segs = _kids(trk, "trkseg")
        for s, seg in enumerate(segs, 1):
            pts = [p for p in map(_point, _kids(seg, "trkpt")) if p]
            count += len(pts)
            for i, (xy, props) in enumerate(pts, 1):
                parts["track_points"][0].append(
                    {
                        "track": name,
                        "segment": s,
                        "point": i,
                        "ele": props["ele"],
                        "time": props["time"],
                    }
                )
                parts["track_points"][1].append(shapely.Point(xy))
                if props["time"]:
                    times.append(props["time"])
            coords = [_uniform(p[0], pts) for p in pts]
            if len(coords) >= 2:
                lines.append(coords)
        parts["tracks"][0].append(
            {
                "name": name,
                "desc": _text(trk, "desc"),
                "type": _text(trk, "type"),
                "segments": len(segs),
                "points": count,
                "start_time": min(times) if times else None,
                "end_time": max(times) if times else None,
            }
        )
        parts["tracks"][1].append(shapely.MultiLineString(lines) if lines else None)
    return parts


def _uniform(xy, pts):
    """All points of a line with Z when any has Z (missing elevation as 0)."""
    if any(len(p[0]) == 3 for p in pts):
        return xy if len(xy) == 3 else (*xy, 0.0)
    return xy


def gpx_layers(path: Path) -> list[str]:
    """The parts of a GPX that hold something."""
    return [name for name, (rows, _) in _collect(path).items() if rows]


def read_gpx(
    path: Path, layer: str | None = None
) -> list[tuple[gpd.GeoDataFrame, SourceInfo]]:
    """Frames (EPSG:4326) of a GPX: waypoints, routes, tracks and track points."""
    parts = _collect(path)
    present = [n for n in LAYERS if parts[n][0]]
    if not present:
        raise ReadError(
            "the GPX holds no waypoints, routes or tracks",
            path=path,
            fix="check that the recording was saved before export",
        )
    if layer is not None and layer not in present:
        raise ReadError(
            "the GPX has no such part",
            path=path,
            value=layer,
            fix=f"choose one of {', '.join(present)}",
        )
    out = []
    for name in present:
        if layer is not None and name != layer:
            continue
        info = SourceInfo(path=path, format="GPX", layer=name)
        info.encoding, info.encoding_how = "utf-8", "GPX is XML; times shown in +08:00"
        rows, geoms = parts[name]
        out.append((_frame(rows, geoms, info), info))
    return out

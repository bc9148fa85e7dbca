"""Place road records given by route code and chainage (桩号) on the road geometry.

Rural-road statistics name a stretch by route code with start and end chainage in
km (``K3+200`` is 3.2 km) and a bridge by route code and centre chainage. Roads
whose segments carry their own start/end chainage are calibrated piece by piece;
otherwise chainage is measured along the merged line from its start. Records that
name an unknown route or fall beyond the road's ends are reported, not guessed.
"""

from __future__ import annotations

import logging
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.ops import substring

from gisapp.data.crs import metric_crs_for
from gisapp.data.dms import fold

log = logging.getLogger(__name__)

ROUTE_COLUMNS = (
    "road_code",
    "路线编码",
    "路线代码",
    "路线编号",
    "LXBM",
    "code",
    "编码",
)
START_COLUMNS = ("start_km", "起点桩号", "起始桩号", "QDZH")
END_COLUMNS = ("end_km", "止点桩号", "终点桩号", "ZDZH")
POINT_COLUMNS = ("chainage_km", "中心桩号", "桩号", "ZH")
_K = re.compile(r"^[kK]?\s*(\d+)\s*\+\s*(\d+(?:\.\d+)?)$")


def parse_chainage(value) -> float | None:
    """Chainage in km from ``K12+300``, ``12+300`` or ``12.3`` (None if empty).

    Raises ValueError for text that is no chainage.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = fold(value).strip().replace("Ｋ", "K")
    if not text:
        return None
    m = _K.match(text)
    if m:
        return int(m.group(1)) + float(m.group(2)) / 1000.0
    try:
        return float(text.lstrip("kK"))
    except ValueError:
        raise ValueError(
            f"{value!r} is not a chainage (write K12+300 or 12.3)"
        ) from None


def route_key(value) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = re.sub(r"\s", "", fold(value)).upper()
    return text or None


def _pick(columns, names, given):
    if given is not None:
        return given
    for n in names:
        if n in columns:
            return n
    return None


def _pieces(segments: gpd.GeoDataFrame, start_col, end_col):
    """Calibrated pieces of one route: list of (start_km, end_km, metric line)."""
    lines = list(segments.geometry.values)
    if start_col and end_col and start_col in segments and end_col in segments:
        s = pd.to_numeric(segments[start_col], errors="coerce").to_numpy()
        e = pd.to_numeric(segments[end_col], errors="coerce").to_numpy()
        if np.isfinite(s).all() and np.isfinite(e).all():
            out = []
            for a, b, line in zip(s, e, lines, strict=True):
                for part in shapely.get_parts(shapely.line_merge(line)):
                    out.append((float(a), float(b), part))
                    break
            return sorted(out, key=lambda p: p[0]), None
    merged = shapely.line_merge(shapely.union_all(lines))
    parts = list(shapely.get_parts(merged))
    note = None
    if len(parts) > 1:
        note = (
            f"the route is in {len(parts)} unconnected pieces; chainage runs "
            "through them in order"
        )
        parts.sort(key=lambda p: (p.coords[0][0], p.coords[0][1]))
    out, km = [], 0.0
    for p in parts:
        out.append((km, km + p.length / 1000.0, p))
        km += p.length / 1000.0
    return out, note


def _point_at(pieces, km, tol):
    for a, b, line in pieces:
        lo, hi = min(a, b), max(a, b)
        if lo - tol <= km <= hi + tol:
            frac = 0.0 if b == a else (min(max(km, lo), hi) - a) / (b - a)
            return line.interpolate(frac, normalized=True)
    return None


def _stretch(pieces, k0, k1):
    lo, hi = min(k0, k1), max(k0, k1)
    parts = []
    for a, b, line in pieces:
        p_lo, p_hi = min(a, b), max(a, b)
        x0, x1 = max(lo, p_lo), min(hi, p_hi)
        if x1 <= x0 or b == a:
            continue
        f0, f1 = (x0 - a) / (b - a), (x1 - a) / (b - a)
        parts.append(substring(line, min(f0, f1), max(f0, f1), normalized=True))
    covered = sum(
        min(hi, max(a, b)) - max(lo, min(a, b))
        for a, b, _ in pieces
        if min(hi, max(a, b)) > max(lo, min(a, b))
    )
    if not parts:
        return None, 0.0
    geom = (
        parts[0]
        if len(parts) == 1
        else shapely.MultiLineString([g for p in parts for g in shapely.get_parts(p)])
    )
    return geom, covered


def locate_by_chainage(
    roads: gpd.GeoDataFrame,
    records: pd.DataFrame,
    *,
    route_col: str | None = None,
    start_col: str | None = None,
    end_col: str | None = None,
    chainage_col: str | None = None,
    road_code_col: str = "code",
    metric_crs: CRS | None = None,
    tolerance_km: float = 0.05,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Place stretches (route, start_km, end_km) and points (route, chainage) on roads.

    Parameters
    ----------
    roads
        Road layer frame (EPSG:4490) with the route code in ``road_code_col`` and,
        optionally, each segment's ``start_km``/``end_km``.
    records
        Office table; its columns are found by name unless given.
    tolerance_km
        How far beyond a road's end a chainage may lie and still be placed at the end.

    Returns
    -------
    (placed, problems)
        ``placed`` is the records with geometry in EPSG:4490 (lines for stretches,
        points for chainages; None where not placed) and a ``定位`` column;
        ``problems`` lists each record not (fully) placed with its row and reason.
    """
    cols = list(records.columns)
    route_col = _pick(cols, ROUTE_COLUMNS, route_col)
    start_col = _pick(cols, START_COLUMNS, start_col)
    end_col = _pick(cols, END_COLUMNS, end_col)
    chainage_col = _pick(cols, POINT_COLUMNS, chainage_col)
    if route_col is None or not (chainage_col or (start_col and end_col)):
        raise ValueError(
            "the records need a route code column and a chainage column (桩号) or "
            "start and end chainage columns (起点桩号/止点桩号)"
        )
    if metric_crs is None:
        minx, _, maxx, _ = roads.total_bounds
        metric_crs = metric_crs_for((minx + maxx) / 2)
    metric = roads.to_crs(metric_crs)
    metric = metric[metric.geometry.notna() & ~metric.geometry.is_empty]
    keys = metric[road_code_col].map(route_key)
    routes = {}
    notes = {}
    for key, seg in metric.groupby(keys):
        routes[key], notes[key] = _pieces(seg, "start_km", "end_km")
    geoms, status, problems = [], [], []
    for pos, (_, row) in enumerate(records.iterrows()):
        label = str(pos + 2)
        key = route_key(row[route_col])
        geom, state = None, "已定位"
        try:
            if key not in routes:
                raise LookupError(f"route {row[route_col]!r} is not in the road layer")
            pieces = routes[key]
            lo = min(min(a, b) for a, b, _ in pieces)
            hi = max(max(a, b) for a, b, _ in pieces)
            span = f"K{lo:.3f}–K{hi:.3f}"
            if start_col and end_col and not _blank(row[start_col]):
                k0, k1 = parse_chainage(row[start_col]), parse_chainage(row[end_col])
                if k0 is None or k1 is None:
                    raise LookupError("start or end chainage is empty")
                geom, covered = _stretch(pieces, k0, k1)
                if geom is None:
                    raise LookupError(
                        f"stretch {k0:g}–{k1:g} km lies off the road ({span})"
                    )
                missing = abs(k1 - k0) - covered
                if missing > tolerance_km:
                    state = "部分定位"
                    problems.append(
                        {
                            "row": label,
                            "route": row[route_col],
                            "reason": (
                                f"{missing:.3f} km of the stretch {k0:g}–{k1:g} km "
                                f"lie off the road ({span}); placed the part on it"
                            ),
                        }
                    )
            else:
                k = parse_chainage(row[chainage_col])
                if k is None:
                    raise LookupError("chainage is empty")
                geom = _point_at(pieces, k, tolerance_km)
                if geom is None:
                    raise LookupError(f"chainage {k:g} km lies off the road ({span})")
        except (LookupError, ValueError) as exc:
            geom, state = None, "未定位"
            problems.append({"row": label, "route": row[route_col], "reason": str(exc)})
        geoms.append(geom)
        status.append(state)
    placed = gpd.GeoDataFrame(
        records.copy(),
        geometry=gpd.GeoSeries(geoms, index=records.index, crs=metric_crs),
    ).to_crs("EPSG:4490")
    placed["定位"] = status
    for key, note in notes.items():
        if note:
            log.warning("route %s: %s", key, note)
    return placed, pd.DataFrame(problems, columns=["row", "route", "reason"])


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )

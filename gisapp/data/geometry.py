"""Check geometries as read: missing, placeholder and invalid ones, and overlaps.

Nothing here changes a geometry without being asked: :func:`report_missing`
takes placeholders out of the map (the rows stay), :func:`validate` lists invalid
polygons with GEOS's reason and place, and :func:`repair_geometries` repairs them
only when called, returning the area before and after.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

log = logging.getLogger(__name__)

# Column added to a layer whose rows hold no drawable place.
PROBLEM_COLUMN = "几何问题"
NO_GEOMETRY = "无几何"
SUSPICIOUS_ZERO = "位置可疑 (0,0)"
NAME_COLUMNS = (
    "name",
    "名称",
    "村名",
    "CUNMING",
    "NAME",
    "名字",
    "村委会",
    "QLMC",
    "DLMC",
)


def row_number(index, info=None) -> str:
    """The number a user sees for a row: the spreadsheet row of a table (header is
    row 1), the 1-based feature number of a vector file."""
    try:
        number = int(index)
    except (TypeError, ValueError):
        return str(index)
    if info is not None and info.format in ("CSV", "Excel"):
        return str(number + info.row_base)
    return str(number + 1)


def row_name(frame: pd.DataFrame, index, info=None) -> str:
    """A readable name for a row: its name column, else its row number."""
    for col in NAME_COLUMNS:
        if col in frame.columns:
            value = frame.at[index, col]
            if isinstance(value, str) and value.strip():
                return value.strip()
    for col in frame.columns:
        if "名称" in str(col) or str(col).endswith("名"):
            value = frame.at[index, col]
            if isinstance(value, str) and value.strip():
                return value.strip()
    return f"第{row_number(index, info)}行"


def report_missing(frame: gpd.GeoDataFrame, info) -> gpd.GeoDataFrame:
    """Report null, empty and (0, 0) geometries; they stay as rows without a place.

    (0, 0) and other placeholders far outside China are set to no geometry so they
    never reach an extent; the column ``几何问题`` says what each such row had.
    """
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    zero = np.zeros(len(frame), dtype=bool)
    present = ~missing
    if present.any():
        idx = np.flatnonzero(present)
        bounds = shapely.bounds(geoms[idx])
        zero[idx] = np.all(np.abs(bounds) < 1e-9, axis=1)
    if not (missing.any() or zero.any()):
        return frame
    frame = frame.copy()
    labels = np.full(len(frame), None, dtype=object)
    labels[missing] = NO_GEOMETRY
    labels[zero] = SUSPICIOUS_ZERO
    frame[PROBLEM_COLUMN] = labels
    if zero.any():
        frame.loc[frame.index[zero], frame.geometry.name] = None
    for pos in np.flatnonzero(missing | zero):
        index = frame.index[pos]
        info.geometry_issues.append(
            {
                "row": row_number(index, info),
                "name": row_name(frame, index, info),
                "problem": labels[pos],
            }
        )
    table = info.format in ("CSV", "Excel")  # their rows were reported already
    if missing.any() and not table:
        names = [row_name(frame, i, info) for i in frame.index[missing][:8]]
        info.warn(
            f"{_count(missing.sum(), 'feature has', 'features have')} no geometry "
            f"({NO_GEOMETRY}: "
            f"{', '.join(names)}); kept in the attribute table, not drawn"
        )
    if zero.any():
        names = [row_name(frame, i, info) for i in frame.index[zero][:8]]
        info.warn(
            f"{_count(zero.sum(), 'feature lies', 'features lie')} at (0, 0), a "
            "placeholder for a missing "
            f"place ({SUSPICIOUS_ZERO}: {', '.join(names)}); kept in the attribute "
            "table, left out of the map and its extent"
        )
    return frame


def _count(n, one: str, many: str) -> str:
    return f"{int(n)} {one if int(n) == 1 else many}"


def drawable(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Mask of rows with a geometry that can be drawn and counted in extents."""
    geoms = frame.geometry.values
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def extent(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    """Bounds of the drawable geometries only; None when there are none."""
    mask = drawable(frame)
    if not mask.any():
        return None
    return tuple(shapely.total_bounds(frame.geometry.values[mask]))


def _metric(frame: gpd.GeoDataFrame, crs: CRS | None) -> gpd.GeoSeries:
    if frame.crs is None or frame.crs.is_projected:
        return frame.geometry
    if crs is None:
        from gisapp.data.crs import metric_crs_for

        box = extent(frame)
        crs = metric_crs_for((box[0] + box[2]) / 2 if box else 112.5)
    return frame.geometry.to_crs(crs)


def validate(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every invalid geometry: row, name, GEOS reason and the place of the fault.

    Returns an empty frame with the same columns when all geometries are valid.
    """
    geoms = frame.geometry.values
    mask = drawable(frame)
    valid = np.ones(len(frame), dtype=bool)
    valid[mask] = shapely.is_valid(geoms[mask])
    rows = []
    for pos in np.flatnonzero(~valid):
        index = frame.index[pos]
        reason = shapely.is_valid_reason(geoms[pos])
        rows.append(
            {
                "row": index,
                "name": row_name(frame, index),
                "reason": reason,
                "problem": reason.split("[")[0],
                "location": reason[reason.find("[") + 1 : -1] if "[" in reason else "",
            }
        )
    return pd.DataFrame(rows, columns=["row", "name", "reason", "problem", "location"])


def _polygonal(geom):
    """The polygon parts of a repaired geometry (lines and points from collapsed
    parts are dropped)."""
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [
        p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")
    ]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged


def repair_geometries(
    frame: gpd.GeoDataFrame,
    metric_crs: CRS | None = None,
    method: str = "linework",
    rows=None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Repair invalid geometries, only when the user has agreed to it.

    Parameters
    ----------
    frame
        A layer's frame; it is not changed.
    metric_crs
        CRS in which areas are measured (the layer's Gauss-Krüger zone when None).
    method
        ``"linework"`` (GEOS make_valid, keeps every part), ``"structure"``
        (rebuilds from shells and holes), ``"drop_stray_holes"`` (holes lying
        outside their shell are dropped, then make_valid) or ``"reorder"`` (the
        vertices of a self-crossing ring are put in order around its centre, for
        bow-ties digitised in the wrong order).

    rows
        Index labels of the invalid rows to repair (all invalid rows when None), so
        each feature can get the method the user chose for it.

    Returns
    -------
    (repaired frame, report)
        The report lists each repaired row with ``area_before_m2`` and
        ``area_after_m2``; feature count and attributes are unchanged.
    """
    problems = validate(frame)
    if rows is not None:
        problems = problems[problems["row"].isin(list(rows))].reset_index(drop=True)
    out = frame.copy()
    if problems.empty:
        return out, problems.assign(area_before_m2=[], area_after_m2=[])
    positions = [frame.index.get_loc(r) for r in problems["row"]]
    before = _metric(frame.iloc[positions], metric_crs).area.to_numpy()
    geoms = frame.geometry.values[positions]
    if method not in REPAIR_METHODS:
        raise ValueError(
            f"unknown repair method {method!r}; use one of {REPAIR_METHODS}"
        )
    if method == "drop_stray_holes":
        geoms = np.array([_drop_stray_holes(g) for g in geoms], dtype=object)
    elif method == "reorder":
        geoms = np.array([_reorder(g) for g in geoms], dtype=object)
    fixed = (
        shapely.make_valid(geoms, method="structure", keep_collapsed=False)
        if method == "structure"
        else shapely.make_valid(geoms)
    )
    fixed = np.array(
        [
            _polygonal(g) if _is_area(o) else g
            for g, o in zip(fixed, geoms, strict=True)
        ],
        dtype=object,
    )
    col = out.geometry.name
    out[col] = out.geometry.values  # detach from the caller's array
    for pos, geom in zip(positions, fixed, strict=True):
        out.iloc[pos, out.columns.get_loc(col)] = geom
    after = _metric(out.iloc[positions], metric_crs).area.to_numpy()
    report = problems.assign(
        area_before_m2=before.round(1), area_after_m2=after.round(1)
    )
    for _, r in report.iterrows():
        log.info(
            "repaired %s (%s): %.0f m² → %.0f m²",
            r["name"],
            r["problem"],
            r["area_before_m2"],
            r["area_after_m2"],
        )
    return out, report


REPAIR_METHODS = ("linework", "structure", "drop_stray_holes", "reorder")


def _polygons(geom):
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    return list(shapely.get_parts(geom))


def _drop_stray_holes(geom):
    parts = _polygons(geom)
    if parts is None:
        return geom
    kept = []
    for p in parts:
        shell = shapely.Polygon(p.exterior)
        holes = [r for r in p.interiors if shell.contains(shapely.Polygon(r))]
        kept.append(shapely.Polygon(p.exterior, holes))
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def _reorder(geom):
    parts = _polygons(geom)
    if parts is None:
        return geom
    out = []
    for p in parts:
        ring = np.asarray(p.exterior.coords)[:-1]
        if shapely.is_simple(p.exterior) or len(ring) < 4:
            out.append(p)
            continue
        centre = ring[:, :2].mean(axis=0)
        order = np.argsort(np.arctan2(ring[:, 1] - centre[1], ring[:, 0] - centre[0]))
        out.append(shapely.Polygon(ring[order], list(p.interiors)))
    return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


def _is_area(geom) -> bool:
    return geom is not None and geom.geom_type in ("Polygon", "MultiPolygon")


def find_overlaps(
    frame: gpd.GeoDataFrame, min_area_m2: float = 1.0, metric_crs: CRS | None = None
) -> pd.DataFrame:
    """Pairs of polygons that overlap by more than ``min_area_m2``."""
    metric = _metric(frame, metric_crs)
    geoms = shapely.make_valid(metric.values)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    rows = []
    for a, b in zip(left[keep], right[keep], strict=True):
        area = shapely.area(shapely.intersection(geoms[a], geoms[b]))
        if area > min_area_m2:
            rows.append(
                {
                    "row_a": frame.index[a],
                    "name_a": row_name(frame, frame.index[a]),
                    "row_b": frame.index[b],
                    "name_b": row_name(frame, frame.index[b]),
                    "overlap_m2": round(float(area), 1),
                }
            )
    return pd.DataFrame(
        rows, columns=["row_a", "name_a", "row_b", "name_b", "overlap_m2"]
    )

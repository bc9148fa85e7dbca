"""Open any supported file as frames in the storage CRS, recording how it was read.

The source file is only ever opened for reading.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from gisapp.data import crs as crsmod
from gisapp.data.encoding import detect_dbf_encoding
from gisapp.data.source import SourceInfo
from gisapp.data.tables import coordinates, read_excel_table, read_text_table
from gisapp.errors import CoordinateError, ReadError

log = logging.getLogger(__name__)

VECTOR_SUFFIXES = {
    ".gpkg": "GeoPackage",
    ".shp": "Shapefile",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".kml": "KML",
    ".kmz": "KMZ",
    ".gpx": "GPX",
}
TABLE_SUFFIXES = {".csv": "CSV", ".txt": "CSV", ".xlsx": "Excel", ".xls": "Excel"}
SUFFIXES = {**VECTOR_SUFFIXES, **TABLE_SUFFIXES}


@dataclass
class Loaded:
    """One layer of a file: its frame (in EPSG:4490 when it has places) and facts."""

    frame: pd.DataFrame
    info: SourceInfo

    @property
    def has_geometry(self) -> bool:
        return isinstance(self.frame, gpd.GeoDataFrame) and "geometry" in self.frame


def check_path(path) -> Path:
    path = Path(path)
    if not path.exists():
        raise ReadError(
            "the file does not exist",
            path=path,
            value=str(path),
            fix="check the path, or copy the file to this computer first",
        )
    if path.is_dir():
        raise ReadError("this is a folder, not a file", path=path, fix="choose a file in it")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(
            "this kind of file is not supported",
            path=path,
            value=path.suffix or "(no extension)",
            fix=f"use one of {', '.join(sorted(SUFFIXES))}",
        )
    return path


def list_layers(path: Path) -> list[str | None]:
    """Names of the layers in a file; ``[None]`` for single-layer formats."""
    if path.suffix.lower() in (".gpkg", ".kml", ".kmz", ".gpx"):
        try:
            names = [str(n) for n, _ in pyogrio.list_layers(path)]
        except Exception as exc:
            raise ReadError(
                f"the file cannot be opened ({exc})",
                path=path,
                fix="check that it is not damaged and was fully copied",
            ) from exc
        if path.suffix.lower() == ".gpx":
            names = [n for n in names if not n.endswith("_points")]
        return names
    return [None]


def read_source(
    path,
    layer: str | None = None,
    *,
    encoding: str | None = None,
    crs: str | int | None = None,
    near_lon: float | None = None,
) -> list[Loaded]:
    """Every layer of a file (or only ``layer``), each in EPSG:4490 when it has places.

    ``encoding`` and ``crs`` override detection; ``near_lon`` is the longitude of the
    project's area, used to choose among Gauss-Krüger zones.
    """
    path = check_path(path)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return [_read_table(path, layer, encoding, crs)]
    names = [layer] if layer is not None else list_layers(path)
    out = []
    for name in names:
        loaded = _read_vector(path, name, encoding, crs, near_lon)
        out.append(loaded)
    return out


def _read_vector(path, layer, encoding, crs, near_lon) -> Loaded:
    fmt = VECTOR_SUFFIXES[path.suffix.lower()]
    info = SourceInfo(path=path, format=fmt, layer=layer)
    kwargs = {}
    if fmt == "Shapefile":
        if encoding:
            info.encoding, info.encoding_how = encoding, "chosen by the user"
        else:
            enc, how, others = detect_dbf_encoding(path)
            info.encoding, info.encoding_how = enc, how
            if others:
                info.warn(
                    f"the attribute bytes also read as {', '.join(others)}; "
                    f"using {enc} ({how})"
                )
        if info.encoding:
            kwargs["encoding"] = info.encoding
    else:
        info.encoding = encoding or "utf-8"
        info.encoding_how = "chosen by the user" if encoding else f"{fmt} stores UTF-8"
        if encoding:
            kwargs["encoding"] = encoding
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, **kwargs)
    except Exception as exc:
        raise ReadError(
            f"the layer cannot be read ({type(exc).__name__}: {exc})",
            path=path,
            value=layer,
            fix="check that the file is complete (.shp with .shx and .dbf) and not damaged",
        ) from exc
    info.columns = [c for c in frame.columns if c != "geometry"]
    frame = _clean_geometries(frame, info)
    frame = _to_storage_crs(frame, info, crs, near_lon)
    info.feature_count = len(frame)
    types = frame.geometry.geom_type.dropna().unique().tolist() if len(frame) else []
    info.geometry_type = "/".join(sorted(types)) if types else None
    return Loaded(frame, info)


def _clean_geometries(frame: gpd.GeoDataFrame, info: SourceInfo) -> gpd.GeoDataFrame:
    """Report null, empty and (0, 0) geometries; they stay as rows but hold no place."""
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        info.warn(f"{int(missing.sum())} features have no geometry; kept as attributes only")
    pts = shapely.get_type_id(geoms) == 0
    if pts.any():
        xy = shapely.get_coordinates(geoms[pts])
        zero = np.zeros(len(geoms), dtype=bool)
        if len(xy) == pts.sum():
            zero[np.flatnonzero(pts)] = (xy[:, 0] == 0) & (xy[:, 1] == 0)
        if zero.any():
            info.warn(
                f"{int(zero.sum())} points lie at (0, 0), a placeholder for a missing "
                "place; they are left without geometry"
            )
            frame = frame.copy()
            frame.loc[zero, "geometry"] = None
    return frame


def _finite_bounds(frame: gpd.GeoDataFrame):
    xy = shapely.get_coordinates(frame.geometry.values)
    xy = xy[np.isfinite(xy).all(axis=1)] if len(xy) else xy
    if not len(xy):
        return None
    return (*xy.min(axis=0), *xy.max(axis=0))


def _to_storage_crs(frame, info: SourceInfo, override, near_lon) -> gpd.GeoDataFrame:
    bounds = _finite_bounds(frame)
    if override is not None:
        source = CRS.from_user_input(override)
        info.crs, info.crs_declared, info.crs_how = crsmod.describe(source), False, "chosen by the user"
        frame = frame.set_crs(source, allow_override=True)
    elif frame.crs is not None:
        info.crs, info.crs_declared = crsmod.describe(frame.crs), True
        info.crs_how = "declared by the file"
        legacy = crsmod.legacy_datum(frame.crs)
        if legacy:
            info.warn(
                f"the data are on the {legacy} datum; PROJ applies no local shift to "
                "CGCS2000, so positions may be off by up to 100 m: ask the surveyors "
                "for CGCS2000 coordinates or for the seven shift parameters"
            )
    elif bounds is None:
        info.crs, info.crs_declared, info.crs_how = "EPSG:4490", False, "no coordinates to judge by"
        return frame.set_crs(crsmod.STORAGE_CRS)
    else:
        guesses = crsmod.infer_candidates(bounds, near_lon)
        if not guesses:
            raise CoordinateError(
                "no CRS is declared and the coordinates fit none used in China",
                path=info.path,
                value=tuple(round(v, 3) for v in bounds),
                fix="add a .prj, or choose the CRS in 图层属性 / with --crs",
            )
        best = guesses[0]
        if best.swap_xy:
            frame = frame.copy()
            frame.geometry = shapely.transform(frame.geometry.values, lambda c: c[:, ::-1])
        frame = frame.set_crs(best.crs, allow_override=True)
        info.crs, info.crs_declared = best.label, False
        others = "; ".join(g.label for g in guesses[1:4])
        info.crs_how = f"assumed: {best.reason}" + (f" (other candidates: {others})" if others else "")
        info.warn(
            f"no CRS declared; assuming {best.label} because {best.reason}; "
            "choose another in 图层属性 if the layer lands in the wrong place"
        )
    if not frame.crs.equals(crsmod.STORAGE_CRS):
        frame = frame.to_crs(crsmod.STORAGE_CRS)
    _check_finite(frame, info)
    return frame


def _check_finite(frame, info: SourceInfo) -> None:
    xy = shapely.get_coordinates(frame.geometry.values)
    if len(xy) and not np.isfinite(xy).all():
        raise CoordinateError(
            "the coordinates cannot be converted to CGCS2000 (they give inf or NaN)",
            path=info.path,
            value=info.crs,
            fix="choose the CRS the coordinates were really written in",
        )


def _read_table(path, sheet, encoding, crs) -> Loaded:
    if path.suffix.lower() in (".xlsx", ".xls"):
        frame, info = read_excel_table(path, sheet)
    else:
        frame, info = read_text_table(path, encoding)
    info.columns = list(frame.columns)
    info.feature_count = len(frame)
    x, y = coordinates(frame, info)
    if x is None:
        info.crs, info.crs_how = None, "no coordinate columns: joined to places by code"
        return Loaded(frame, info)
    ok = np.isfinite(x) & np.isfinite(y)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms), crs=None)
    gdf = _to_storage_crs(gdf, info, crs, None)
    info.geometry_type = "Point"
    return Loaded(gdf, info)

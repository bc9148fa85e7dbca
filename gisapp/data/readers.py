"""Open any supported file as frames in the storage CRS, recording how it was read.

The source file is only ever opened for reading. Whatever had to be assumed
(encoding, CRS, web-map offset) is recorded on :class:`SourceInfo` and warned
about; what cannot be decided raises a :class:`~gisapp.errors.GisAppError` that
names the file, the problem, the value and the fix.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from gisapp.data import crs as crsmod
from gisapp.data import webcrs
from gisapp.data.encoding import (
    SAMPLE_BYTES,
    decode_field_name,
    decode_zip_name,
    detect_dbf_encoding,
    find_dbf,
    guess_bytes,
)
from gisapp.data.geometry import report_missing, row_number, validate
from gisapp.data.source import SourceInfo
from gisapp.data.tables import (
    coordinates,
    excel_sheets,
    read_excel_table,
    read_text_table,
)
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
ARCHIVE_SUFFIXES = {".zip": "Zip"}
SUFFIXES = {**VECTOR_SUFFIXES, **TABLE_SUFFIXES, **ARCHIVE_SUFFIXES}
# Shapefile rings are read as the format defines them: a counter-clockwise ring is
# a hole, never a shell, so a hole drawn outside its shell is reported, not hidden
# as an extra piece of land.
_RING_RULE = {"OGR_ORGANIZE_POLYGONS": "ONLY_CCW"}
_gdal_lock = threading.Lock()


@dataclass
class Loaded:
    """One layer of a file: its frame (in EPSG:4490 when it has places) and facts."""

    frame: pd.DataFrame
    info: SourceInfo

    @property
    def has_geometry(self) -> bool:
        return isinstance(self.frame, gpd.GeoDataFrame) and "geometry" in self.frame


def check_path(path) -> Path:
    """The path as a :class:`Path`, or a clear error when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise ReadError(
            "the file does not exist",
            path=path,
            value=str(path),
            fix="check the path, or copy the file to this computer first",
        )
    if path.is_dir():
        raise ReadError(
            "this is a folder, not a file", path=path, fix="choose a file in it"
        )
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(
            "this kind of file is not supported",
            path=path,
            value=path.suffix or "(no extension)",
            fix=f"use one of {', '.join(sorted(SUFFIXES))}",
        )
    if suffix == ".shp" and not (
        path.with_suffix(".shx").exists() or path.with_suffix(".SHX").exists()
    ):
        raise ReadError(
            "the shapefile has no .shx beside it",
            path=path,
            value=path.with_suffix(".shx").name,
            fix="copy the .shp together with its .shx, .dbf, .prj and .cpg files",
        )
    return path


def list_layers(path) -> list[str | None]:
    """Names of the layers in a file; ``[None]`` for single-layer formats."""
    path = check_path(path)
    suffix = path.suffix.lower()
    if suffix in (".kml", ".kmz"):
        from gisapp.data.kml import kml_layers

        return kml_layers(path)
    if suffix == ".gpx":
        from gisapp.data.gpx import gpx_layers

        return gpx_layers(path)
    if suffix == ".zip":
        return [name for name, _ in _zip_members(path)]
    if suffix in (".xlsx", ".xls"):
        return list(excel_sheets(path))
    if suffix == ".gpkg":
        try:
            return [str(n) for n, _ in pyogrio.list_layers(path)]
        except Exception as exc:
            raise ReadError(
                f"the file cannot be opened ({exc})",
                path=path,
                fix="check that it is not damaged and was fully copied",
            ) from exc
    return [None]


def read_source(
    path,
    layer: str | None = None,
    *,
    encoding: str | None = None,
    crs: str | int | None = None,
    near_lon: float | None = None,
    near_bounds=None,
    require_attributes: bool = True,
) -> list[Loaded]:
    """Every layer of a file (or only ``layer``), each in EPSG:4490 when it has places.

    Parameters
    ----------
    path
        A vector file, table or zip archive; Chinese characters in it are fine.
    layer
        One layer (GeoPackage layer, KML folder, GPX part, Excel sheet, zip member).
    encoding
        Overrides the detected text encoding (e.g. ``"gbk"``, ``"utf-8"``).
    crs
        Overrides the declared or inferred CRS: an EPSG code, any pyproj input,
        or ``"gcj02"`` / ``"bd09"`` for points taken from Chinese web maps.
    near_lon, near_bounds
        The project's area (a longitude, or a lon/lat box); Gauss-Krüger eastings
        without a zone number are put in the zone that lands them nearest to it.
    require_attributes
        A shapefile without its .dbf is refused (its features would have no
        codes, names or figures); ``False`` reads the shapes alone, for ``inspect``.
    """
    path = check_path(path)
    suffix = path.suffix.lower()
    opts = dict(encoding=encoding, crs=crs, near_lon=near_lon, near_bounds=near_bounds)
    if suffix == ".zip":
        return _read_zip(path, layer, opts, require_attributes)
    if suffix == ".shp" and require_attributes:
        _check_dbf(path)
    if suffix in TABLE_SUFFIXES:
        return [_read_table(path, layer, **opts)]
    if suffix in (".kml", ".kmz"):
        from gisapp.data.kml import read_kml

        return [_finish(frame, info, **opts) for frame, info in read_kml(path, layer)]
    if suffix == ".gpx":
        from gisapp.data.gpx import read_gpx

        return [_finish(frame, info, **opts) for frame, info in read_gpx(path, layer)]
    names = [layer] if layer is not None else list_layers(path)
    return [_read_vector(path, name, **opts) for name in names]


def _check_dbf(path: Path) -> None:
    """Refuse a shapefile whose .dbf is missing: its features would be blank."""
    if find_dbf(path) is not None:
        return
    raise ReadError(
        "the shapefile has no .dbf beside it, so its features have no attributes "
        "(no codes, names or figures)",
        path=path,
        value=path.with_suffix(".dbf").name,
        fix=f"copy the .dbf that belongs with the .shp into the same folder, named "
        f"{path.with_suffix('.dbf').name} (with the .shx, .prj and .cpg)",
    )


def _zip_members(path: Path) -> list[tuple[str, zipfile.ZipInfo]]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(
            f"the archive cannot be opened ({exc})",
            path=path,
            fix="check that it was fully copied, or unpack it and open the files",
        ) from exc
    out = []
    for info in infos:
        name = decode_zip_name(info.filename, bool(info.flag_bits & 0x800))
        suffix = Path(name).suffix.lower()
        if suffix in VECTOR_SUFFIXES or suffix in TABLE_SUFFIXES:
            out.append((name, info))
    return out


def _read_zip(
    path: Path, member: str | None, opts, require_attributes: bool
) -> list[Loaded]:
    members = _zip_members(path)
    if not members:
        raise ReadError(
            "the archive holds no file that can be opened as a layer",
            path=path,
            fix="put .shp (with .shx/.dbf/.prj), .gpkg, .kml, .csv or .xlsx in it",
        )
    wanted = [m for m in members if member is None or m[0] == member]
    if not wanted:
        raise ReadError(
            "the archive has no such member",
            path=path,
            value=member,
            fix=f"choose one of {', '.join(m[0] for m in members)}",
        )
    out = []
    with (
        tempfile.TemporaryDirectory(prefix="gisapp-zip-") as tmp,
        zipfile.ZipFile(path) as zf,
    ):
        stems = {Path(n).with_suffix("").as_posix() for n, _ in wanted}
        for info in zf.infolist():
            name = decode_zip_name(info.filename, bool(info.flag_bits & 0x800))
            if info.is_dir() or Path(name).with_suffix("").as_posix() not in stems:
                continue
            target = Path(tmp) / Path(name).name
            target.write_bytes(zf.read(info))
        for name, _ in wanted:
            unpacked = Path(tmp) / Path(name).name
            if require_attributes and unpacked.suffix.lower() == ".shp":
                _check_zipped_dbf(path, name, unpacked)
            for loaded in read_source(unpacked, **opts):
                loaded.info.path = path
                loaded.info.layer = (
                    name
                    if loaded.info.layer is None
                    else (f"{name}/{loaded.info.layer}")
                )
                loaded.frame.attrs["source_path"] = str(path)
                out.append(loaded)
    return out


def _check_zipped_dbf(archive: Path, name: str, unpacked: Path) -> None:
    """Refuse a zipped shapefile whose .dbf is not in the archive."""
    try:
        _check_dbf(unpacked)
    except ReadError as exc:
        raise ReadError(
            f"{name}: {exc.problem}",
            path=archive,
            value=str(Path(name).with_suffix(".dbf")),
            fix="put the .dbf that belongs with the .shp into the archive beside it, "
            "with the same name",
        ) from None


def _read_vector(path, layer, *, encoding, crs, near_lon, near_bounds) -> Loaded:
    fmt = VECTOR_SUFFIXES[path.suffix.lower()]
    info = SourceInfo(path=path, format=fmt, layer=layer)
    kwargs = {}
    if fmt == "Shapefile":
        if encoding:
            info.encoding, info.encoding_how = encoding, "chosen by the user"
        else:
            enc, how, others = detect_dbf_encoding(path)
            info.encoding, info.encoding_how = enc, how
            info.encoding_alternatives = others
            if others:
                info.warn(
                    f"the attribute bytes also read as {', '.join(others)}; using "
                    f"{enc} ({how}); choose another encoding in 图层属性 if names "
                    "look wrong"
                )
            if enc == "latin-1":
                info.warn(f"the attribute text is not Chinese in any encoding ({how})")
        if info.encoding:
            kwargs["encoding"] = info.encoding
    else:
        info.encoding = encoding or "utf-8"
        info.encoding_how = "chosen by the user" if encoding else f"{fmt} stores UTF-8"
        if encoding:
            kwargs["encoding"] = encoding
    frame = _ogr_read(path, layer, info, kwargs)
    return _finish(
        frame,
        info,
        encoding=encoding,
        crs=crs,
        near_lon=near_lon,
        near_bounds=near_bounds,
    )


def _ogr_read(path: Path, layer, info: SourceInfo, kwargs) -> gpd.GeoDataFrame:
    """Read through GDAL; its warnings become the layer's warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        frame = _ogr_read_raw(path, layer, info, kwargs)
    for w in caught:
        text = str(w.message).replace(str(path), path.name)
        if "winding order" in text:
            text = (
                "some polygon rings run in the wrong direction (a shapefile's outer "
                "rings run clockwise, holes anticlockwise); read as written"
            )
        elif "cannot be translated to Simple Geometry" in text:
            text = "a polygon with rings outside its shell was read as a multipolygon"
        info.warn(text)
    return frame


def _ogr_read_raw(path: Path, layer, info: SourceInfo, kwargs) -> gpd.GeoDataFrame:
    try:
        with _gdal_lock:
            if info.format == "Shapefile":
                pyogrio.set_gdal_config_options(_RING_RULE)
            try:
                return pyogrio.read_dataframe(path, layer=layer, **kwargs)
            finally:
                if info.format == "Shapefile":
                    pyogrio.set_gdal_config_options({"OGR_ORGANIZE_POLYGONS": None})
    except UnicodeDecodeError:
        if info.format == "GeoJSON" and "encoding" not in kwargs:
            return _read_other_text(path, layer, info)
        if info.format != "Shapefile":
            raise ReadError(
                "the text in the file is not in the encoding it declares",
                path=path,
                value=kwargs.get("encoding", "utf-8"),
                fix="choose the encoding (GBK or UTF-8) in the import dialog",
            ) from None
        return _read_damaged_names(path, info)
    except Exception as exc:
        raise ReadError(
            f"the layer cannot be read ({type(exc).__name__}: {exc})",
            path=path,
            value=layer,
            fix="check that the file is complete (.shp with .shx and .dbf) and not "
            "damaged",
        ) from exc


def _read_other_text(path: Path, layer, info: SourceInfo) -> gpd.GeoDataFrame:
    """A GeoJSON whose text is not UTF-8 (some Chinese tools write GBK)."""
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    enc, how, _ = guess_bytes(sample)
    if enc in ("utf-8", "utf-8-sig", "latin-1"):
        raise ReadError(
            "the text in the file is neither UTF-8 nor GBK",
            path=path,
            value=how,
            fix="choose the encoding in the import dialog",
        )
    info.encoding, info.encoding_how = enc, f"not UTF-8 as GeoJSON should be: {how}"
    info.warn(f"the file is not UTF-8 as GeoJSON requires; read as {enc} ({how})")
    try:
        return pyogrio.read_dataframe(path, layer=layer, encoding=enc)
    except Exception as exc:
        raise ReadError(
            f"the layer cannot be read as {enc} ({type(exc).__name__}: {exc})",
            path=path,
            value=enc,
            fix="choose the encoding in the import dialog",
        ) from exc


def _read_damaged_names(path: Path, info: SourceInfo) -> gpd.GeoDataFrame:
    """Read a .dbf whose field names (or some values) do not decode: names cut in
    the middle of a character lose the broken bytes and are made unique."""
    enc = info.encoding or "utf-8"
    with _gdal_lock:
        pyogrio.set_gdal_config_options(_RING_RULE)
        try:
            frame = pyogrio.read_dataframe(path, encoding="ISO-8859-1")
        finally:
            pyogrio.set_gdal_config_options({"OGR_ORGANIZE_POLYGONS": None})
    names, renamed, damaged_values = [], [], 0
    for col in frame.columns:
        if col == "geometry":
            names.append(col)
            continue
        raw = col.encode("latin-1")
        text, damaged = decode_field_name(raw, enc)
        base, n = text or "字段", 1
        while text in names or not text:
            n += 1
            text = f"{base}_{n}"
        if damaged or text != base:
            renamed.append(f"{raw.hex(' ')} → {text}")
        names.append(text)
    frame.columns = names
    for pos, col in enumerate(names):
        series = frame.iloc[:, pos]
        if col != "geometry" and _is_text(series):
            fixed = series.map(lambda v: _redecode(v, enc))
            damaged_values += int(
                fixed.map(lambda v: isinstance(v, str) and "\ufffd" in v).sum()
            )
            frame[col] = fixed
    if renamed:
        info.warn(
            f"{len(renamed)} field names were cut in the middle of a character by the "
            f"tool that wrote the file; broken bytes dropped and duplicates numbered: "
            f"{'; '.join(renamed)}"
        )
    if damaged_values:
        info.warn(f"{damaged_values} values hold bytes that are not {enc}; shown as �")
    return frame


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def _redecode(value, enc):
    if not isinstance(value, str):
        return value
    return value.encode("latin-1").decode(enc, "replace")


def _finish(
    frame, info: SourceInfo, *, encoding=None, crs, near_lon, near_bounds, **_ignored
) -> Loaded:
    """Common steps after reading: placeholders, CRS, web-map offset, validity."""
    info.columns = [c for c in frame.columns if c != "geometry"]
    frame = report_missing(frame, info)
    _report_invalid(frame, info)
    frame = _to_storage_crs(frame, info, crs, near_lon, near_bounds)
    info.feature_count = len(frame)
    geoms = frame.geometry.values
    present = geoms[~shapely.is_missing(geoms)]
    names = sorted(
        {
            _TYPE_NAMES.get(int(t), str(t))
            for t in pd.unique(shapely.get_type_id(present))
        }
    )
    if len(names) and shapely.has_z(present).any():
        names = [f"{n} Z" for n in names]
    info.geometry_type = "/".join(names) if names else None
    frame.attrs["source_path"] = str(info.path)
    return Loaded(frame, info)


def _report_invalid(frame, info: SourceInfo) -> None:
    """List invalid polygons with GEOS's reason, in the file's own coordinates."""
    geoms = frame.geometry.values
    if not np.isin(shapely.get_type_id(geoms), (3, 6)).any():
        return
    bad = validate(frame)
    if not len(bad):
        return
    for r in bad.itertuples():
        info.geometry_issues.append(
            {
                "row": row_number(r.row, info),
                "name": r.name,
                "problem": r.problem,
                "reason": r.reason,
            }
        )
    listed = "; ".join(f"{r.name}: {r.reason}" for r in bad.head(6).itertuples())
    info.warn(
        f"{len(bad)} polygons are invalid ({listed}); they are drawn as read and can "
        "be repaired in 数据检查, which shows the area before and after"
    )


_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def _finite_bounds(frame: gpd.GeoDataFrame):
    """Bounds of the coordinates that are finite; None without any."""
    geoms = frame.geometry.values
    boxes = shapely.bounds(geoms)
    ok = np.isfinite(boxes).all(axis=1)
    if ok.all() or not ok.any():
        if not ok.any():
            return None
        return (*boxes[:, :2].min(axis=0), *boxes[:, 2:].max(axis=0))
    xy = shapely.get_coordinates(geoms)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not len(xy):
        return None
    return (*xy.min(axis=0), *xy.max(axis=0))


def _to_storage_crs(frame, info: SourceInfo, override, near_lon, near_bounds):
    bounds = _finite_bounds(frame)
    origin = webcrs.normalise_origin(override)
    if origin is None and override is None:
        origin, said = _declared_origin(frame, info, bounds)
        if origin:
            info.warn(
                f"the source says its points come from a Chinese web map ({said}); "
                f"they were converted from {webcrs.ORIGINS[origin][0]} to CGCS2000"
            )
    if origin is not None:
        return _from_web(frame, info, origin, bounds)
    if override is not None:
        try:
            source = CRS.from_user_input(override)
        except Exception as exc:
            raise CoordinateError(
                "the chosen CRS is not known",
                path=info.path,
                value=override,
                fix="give an EPSG code such as 4490 or 4546, or gcj02 / bd09",
            ) from exc
        info.crs, info.crs_declared = crsmod.describe(source), False
        info.crs_how = "chosen by the user"
        frame = frame.set_crs(source, allow_override=True)
    elif (
        frame.crs is not None
        and bounds is not None
        and (why := crsmod.contradiction(frame.crs, bounds))
    ):
        frame = _replace_contradicted(frame, info, why, bounds, near_lon, near_bounds)
    elif frame.crs is not None:
        info.crs, info.crs_declared = crsmod.describe(frame.crs), True
        info.crs_how = "declared by the file"
        _warn_legacy(frame.crs, info)
    elif bounds is None:
        info.crs, info.crs_declared = "EPSG:4490", False
        info.crs_how = "no coordinates to judge by"
        return frame.set_crs(crsmod.STORAGE_CRS)
    else:
        frame = _assume(frame, info, bounds, near_lon, near_bounds)
    if not frame.crs.equals(crsmod.STORAGE_CRS):
        frame = frame.to_crs(crsmod.STORAGE_CRS)
        _check_finite(frame, info)
    return frame


_ORIGIN_COLUMNS = ("来源", "坐标", "source", "crs", "底图", "地图", "拾取", "采集方式")


def _declared_origin(frame, info, bounds):
    """A web-map origin named by the file name, a column name, or a value in a
    column about the source (来源, 坐标系 …) of a layer in degrees."""
    if bounds is None or not (abs(bounds[0]) <= 180 and abs(bounds[3]) <= 90):
        return None, ""
    names = [info.path.name, info.layer or "", *map(str, frame.columns)]
    values = []
    for col in frame.columns:
        about_source = any(w in str(col).lower() for w in _ORIGIN_COLUMNS)
        if col != "geometry" and about_source and _is_text(frame[col]) and len(frame):
            values.extend(str(v) for v in frame[col].head(50) if isinstance(v, str))
    return webcrs.declared_origin(names, values[:400])


def _from_web(frame, info, origin, bounds):
    label = webcrs.ORIGINS[origin][0]
    if bounds is None:
        info.crs, info.crs_declared, info.crs_how = (
            "EPSG:4490",
            False,
            f"{label}: no points",
        )
        return frame.set_crs(crsmod.STORAGE_CRS, allow_override=True)
    if not (-180 <= bounds[0] <= 180 and -90 <= bounds[1] <= 90):
        raise CoordinateError(
            f"{label} coordinates must be degrees",
            path=info.path,
            value=tuple(round(v, 3) for v in bounds),
            fix="choose the CRS the coordinates were really written in",
        )
    inverse = webcrs.INVERSE[origin]
    frame = frame.copy()
    frame.geometry = shapely.transform(
        frame.geometry.values, lambda c: np.column_stack(inverse(c[:, 0], c[:, 1]))
    )
    info.origin = origin
    info.crs, info.crs_declared = "EPSG:4490 CGCS2000", False
    info.crs_how = (
        f"converted from {label} (web-map offset removed by iterative inverse, "
        "residual below 0.1 m)"
    )
    return frame.set_crs(crsmod.STORAGE_CRS, allow_override=True)


def _warn_legacy(source: CRS, info: SourceInfo) -> None:
    legacy = crsmod.legacy_datum(source)
    if legacy:
        info.warn(
            f"the data are on the {legacy} datum; PROJ applies no local shift to "
            "CGCS2000, so positions may be off by up to 100 m: ask the surveyors for "
            "CGCS2000 coordinates or for the seven shift parameters"
        )


def _prefer_cm(declared: CRS) -> float | None:
    fe_cm = crsmod.false_easting(declared)
    return fe_cm[1] if fe_cm else None


def _replace_contradicted(frame, info, why, bounds, near_lon, near_bounds):
    guesses = crsmod.infer_candidates(
        bounds, near_lon, near_bounds, prefer_cm=_prefer_cm(frame.crs)
    )
    info.crs_candidates = [g.as_dict() for g in guesses[:6]]
    if not guesses:
        raise CoordinateError(
            f"the declared CRS does not fit the coordinates: {why}",
            path=info.path,
            value=tuple(round(v, 3) for v in bounds),
            fix="choose the CRS the coordinates were really written in (图层属性 / --crs)",
        )
    best = guesses[0]
    frame = _apply_guess(frame, best)
    info.crs, info.crs_declared = best.label, False
    info.crs_how = f"assumed: {best.reason}; the file's declaration was rejected: {why}"
    info.warn(
        f"{why}. Using {best.label} instead ({best.reason}); confirm or choose "
        "another in 图层属性"
    )
    return frame


def _assume(frame, info, bounds, near_lon, near_bounds):
    guesses = crsmod.infer_candidates(bounds, near_lon, near_bounds)
    info.crs_candidates = [g.as_dict() for g in guesses[:6]]
    if not guesses:
        raise CoordinateError(
            "no CRS is declared and the coordinates fit none used in China",
            path=info.path,
            value=tuple(round(v, 3) for v in bounds),
            fix="add a .prj, or choose the CRS in 图层属性 / with --crs",
        )
    best = guesses[0]
    frame = _apply_guess(frame, best)
    info.crs, info.crs_declared = best.label, False
    others = "; ".join(g.label for g in guesses[1:4])
    info.crs_how = f"assumed: {best.reason}" + (
        f" (other candidates: {others})" if others else ""
    )
    if best.epsg == 4490:
        info.warn(
            f"坐标系未知: no CRS declared; the {best.reason}, so they are "
            "read as CGCS2000 (EPSG:4490; WGS84 differs by under a metre); if they "
            "were picked on Amap/Tencent or Baidu maps, choose GCJ-02 or BD-09 in "
            "图层属性"
        )
    else:
        info.warn(
            f"坐标系未知: no CRS declared; assuming {best.label} because "
            f"{best.reason}; confirm it or choose another in 图层属性"
        )
    return frame


def _apply_guess(frame, guess: crsmod.CrsGuess):
    if guess.swap_xy:
        frame = frame.copy()
        frame.geometry = shapely.transform(
            frame.geometry.values, lambda c: c[:, ::-1].copy()
        )
    return frame.set_crs(guess.crs, allow_override=True)


def _check_finite(frame, info: SourceInfo) -> None:
    geoms = frame.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if present.any() and not np.isfinite(shapely.bounds(geoms[present])).all():
        raise CoordinateError(
            "the coordinates cannot be converted to CGCS2000 (they give inf or NaN)",
            path=info.path,
            value=info.crs,
            fix="choose the CRS the coordinates were really written in",
        )


def _read_table(path, sheet, *, encoding, crs, near_lon, near_bounds) -> Loaded:
    if path.suffix.lower() in (".xlsx", ".xls"):
        frame, info = read_excel_table(path, sheet)
    else:
        frame, info = read_text_table(path, encoding)
    info.columns = list(frame.columns)
    info.feature_count = len(frame)
    x, y = coordinates(frame, info)
    if x is None:
        info.crs, info.crs_how = None, "no coordinate columns: joined to places by code"
        frame.attrs["source_path"] = str(path)
        return Loaded(frame, info)
    ok = np.isfinite(x) & np.isfinite(y)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    gdf = gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries(geoms, index=frame.index), crs=None
    )
    loaded = _finish(gdf, info, crs=crs, near_lon=near_lon, near_bounds=near_bounds)
    loaded.info.geometry_type = "Point"
    return loaded

"""Write layers: GeoPackage by default, Shapefile, GeoJSON, CSV and Excel.

Nothing is ever written over a file the data was read from, nor over any existing
file unless the caller says so. Files are written beside the target under a
temporary name and moved into place only when complete. Shapefile export writes a
.cpg and the matching language-driver byte, shortens field names to 10 bytes
without cutting a character, and writes the name mapping beside the .shp. CSV is
UTF-8 with a byte-order mark so that Excel on Chinese Windows opens it correctly.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from gisapp.data.encoding import LDID_FOR, normalise_name
from gisapp.errors import ExportError

log = logging.getLogger(__name__)

DRIVERS = {
    ".gpkg": "GPKG",
    ".shp": "ESRI Shapefile",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".csv": "CSV",
    ".xlsx": "Excel",
}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")
DBF_NAME_BYTES = 10


@dataclass
class WriteReport:
    """What was written, and every renaming or loss the user should know about."""

    path: Path
    driver: str
    fields: dict[str, str] = field(default_factory=dict)
    mapping_file: Path | None = None
    warnings: list[str] = field(default_factory=list)


def _fit(name: str, encoding: str, limit: int, from_end: bool = False) -> str:
    """The longest head (or tail) of ``name`` that fits ``limit`` bytes."""
    chars = list(name)
    out = ""
    for ch in reversed(chars) if from_end else chars:
        trial = ch + out if from_end else out + ch
        if len(trial.encode(encoding, "replace")) > limit:
            break
        out = trial
    return out


def short_field_names(
    columns, encoding: str = "utf-8", fixed: dict[str, str] | None = None
) -> dict[str, str]:
    """Unique .dbf field names of at most 10 bytes that never cut a character.

    A name that fits is kept. A longer one keeps its head; when two heads collide
    (建档立卡贫困户数 / 建档立卡贫困人口) the ending tells them apart (…户数 / …人口);
    a name still taken is numbered. ``fixed`` holds names the user chose.
    """
    encoding = normalise_name(encoding)
    fixed = dict(fixed or {})
    for src, name in fixed.items():
        if len(name.encode(encoding)) > DBF_NAME_BYTES:
            raise ExportError(
                "a chosen field name is longer than a shapefile allows (10 bytes)",
                value=f"{src} → {name}",
                fix="choose a shorter name (3 Chinese characters in UTF-8, 5 in GBK)",
            )
    out: dict[str, str] = {}
    taken = {n.lower() for n in fixed.values()}
    heads: dict[str, int] = {}
    cols = [c for c in columns if c != "geometry"]
    for c in cols:
        if c not in fixed:
            head = _fit(str(c), encoding, DBF_NAME_BYTES).lower()
            heads[head] = heads.get(head, 0) + 1
    for c in cols:
        if c in fixed:
            out[c] = fixed[c]
            continue
        name = str(c)
        if len(name.encode(encoding)) <= DBF_NAME_BYTES and name.lower() not in taken:
            short = name
        else:
            short = _fit(name, encoding, DBF_NAME_BYTES)
            if heads.get(short.lower(), 0) > 1 or short.lower() in taken:
                tail = _fit(name, encoding, DBF_NAME_BYTES, from_end=True)
                if tail.lower() not in taken:
                    short = tail
            n = 1
            base = short
            while short.lower() in taken or not short:
                n += 1
                suffix = f"_{n}"
                short = _fit(base, encoding, DBF_NAME_BYTES - len(suffix)) + suffix
        taken.add(short.lower())
        out[c] = short
    return out


def _resolve(path) -> Path:
    return Path(path).expanduser().resolve()


def _protect_sources(frame, path: Path, sources) -> None:
    inputs = [s for s in [frame.attrs.get("source_path"), *sources] if s]
    for src in inputs:
        src = _resolve(src)
        same = src == path
        if path.suffix.lower() == ".shp" or src.suffix.lower() == ".shp":
            same = same or src.with_suffix("") == path.with_suffix("")
        if same:
            raise ExportError(
                "the export would overwrite the file the data was read from",
                path=path,
                value=str(src),
                fix="choose another file name or folder; the source is never written",
            )


def write_layer(
    frame: pd.DataFrame,
    path,
    *,
    layer: str | None = None,
    encoding: str = "utf-8",
    field_names: dict[str, str] | None = None,
    overwrite: bool = False,
    sources=(),
) -> WriteReport:
    """Write a layer's frame to ``path``; the format follows the suffix.

    Parameters
    ----------
    frame
        A (Geo)DataFrame; ``frame.attrs["source_path"]`` names the file it came from.
    path
        Target; without a known suffix, ``.gpkg`` is added (GeoPackage is the default).
    layer
        Layer name inside a GeoPackage (the file stem when None).
    encoding
        Shapefile attribute encoding: ``utf-8`` (default), ``gbk`` or ``gb18030``.
    field_names
        Shapefile short names chosen by the user, ``{column: name}``.
    overwrite
        Replace an existing target (never a source file).
    sources
        More input paths that must not be written.

    Raises
    ------
    ExportError
        When the target is a source file, exists without ``overwrite``, holds
        web-map offset coordinates, or values cannot be written in ``encoding``.
    """
    path = _resolve(path)
    if path.suffix.lower() not in DRIVERS:
        path = path.with_name(path.name + ".gpkg")
    driver = DRIVERS[path.suffix.lower()]
    _protect_sources(frame, path, sources)
    if frame.attrs.get("offset"):
        raise ExportError(
            f"the coordinates carry the {frame.attrs['offset']} web-map offset and "
            "cannot be written as CGCS2000/WGS84",
            path=path,
            value=frame.attrs["offset"],
            fix="export the layer as read (CGCS2000); shift only for on-screen display",
        )
    if path.exists() and not overwrite:
        raise ExportError(
            "the file exists already",
            path=path,
            value=str(path),
            fix="choose another name, or confirm replacing it",
        )
    if not path.parent.exists():
        raise ExportError(
            "the folder does not exist",
            path=path,
            value=str(path.parent),
            fix="create the folder or choose another",
        )
    report = WriteReport(path=path, driver=driver)
    with tempfile.TemporaryDirectory(prefix=".gisapp-", dir=path.parent) as tmp:
        tmp_path = Path(tmp) / path.name
        if driver == "ESRI Shapefile":
            _write_shapefile(frame, tmp_path, encoding, field_names, report)
        elif driver == "CSV":
            _table(frame).to_csv(tmp_path, index=False, encoding="utf-8-sig")
        elif driver == "Excel":
            _table(frame, naive_times=True).to_excel(tmp_path, index=False)
        else:
            _write_ogr(frame, tmp_path, driver, layer or path.stem)
        for part in Path(tmp).iterdir():
            target = path.with_name(part.name)
            if target.exists() and target != path and not overwrite:
                _protect_sources(frame, target, sources)
            shutil.move(str(part), target)
    if report.mapping_file is not None:
        report.mapping_file = path.with_name(report.mapping_file.name)
    log.info("wrote %s (%s)", path, driver)
    return report


def _geo(frame) -> gpd.GeoDataFrame:
    if isinstance(frame, gpd.GeoDataFrame):
        return frame
    return gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4490")


def plain_columns(frame: gpd.GeoDataFrame, every_object: bool = False):
    """A copy OGR can write: lists, dicts and sets become text, and with
    ``every_object`` every column of mixed Python values does."""
    out = frame.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        s = out[col]
        if s.dtype == object and (
            every_object or s.map(lambda v: isinstance(v, (list, dict, set))).any()
        ):
            out[col] = s.map(lambda v: None if v is None else str(v))
    return out


def _mixed_multi(frame: gpd.GeoDataFrame) -> bool:
    types = set(frame.geometry.dropna().geom_type)
    return len({t.replace("Multi", "") for t in types}) == 1 and len(types) > 1


def _write_ogr(frame, path: Path, driver: str, layer: str) -> None:
    gdf = plain_columns(_geo(frame))
    try:
        pyogrio.write_dataframe(
            gdf, path, layer=layer, driver=driver, promote_to_multi=_mixed_multi(gdf)
        )
    except Exception as exc:
        raise ExportError(
            f"the layer cannot be written ({type(exc).__name__}: {exc})",
            path=path,
            fix="check the free disk space and that the folder is writable",
        ) from exc


def _unencodable(frame: pd.DataFrame, encoding: str) -> list[str]:
    found = []
    for col in frame.columns:
        if col == "geometry":
            continue
        for idx, value in frame[col].items():
            if isinstance(value, str):
                try:
                    value.encode(encoding)
                except UnicodeEncodeError as exc:
                    found.append(
                        f"row {idx}, {col}: {value[exc.start : exc.end]!r} in {value!r}"
                    )
    return found


def _write_shapefile(
    frame, path: Path, encoding: str, fixed, report: WriteReport
) -> None:
    encoding = normalise_name(encoding)
    if encoding not in LDID_FOR:
        raise ExportError(
            "shapefiles are written in UTF-8, GBK or GB18030 only",
            path=path,
            value=encoding,
            fix="choose UTF-8 (or GeoPackage, which has no such limits)",
        )
    gdf = plain_columns(_geo(frame))
    bad = _unencodable(gdf, encoding)
    if bad:
        raise ExportError(
            f"{len(bad)} values contain characters {encoding.upper()} cannot hold",
            path=path,
            value="; ".join(bad[:5]),
            fix="export as UTF-8 or GeoPackage, which keep every character",
        )
    names = short_field_names(gdf.columns, encoding, fixed)
    renamed = {k: v for k, v in names.items() if k != v}
    gdf = gdf.rename(columns=names)
    for col in gdf.columns:
        if pd.api.types.is_datetime64_any_dtype(gdf[col]) and getattr(
            gdf[col].dt, "tz", None
        ):
            gdf[col] = gdf[col].dt.tz_localize(None)
    cpg = {"utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}[encoding]
    try:
        pyogrio.write_dataframe(
            gdf,
            path,
            driver="ESRI Shapefile",
            encoding=cpg,
            promote_to_multi=_mixed_multi(gdf),
        )
    except Exception as exc:
        raise ExportError(
            f"the shapefile cannot be written ({type(exc).__name__}: {exc})",
            path=path,
            fix="export as GeoPackage instead",
        ) from exc
    path.with_suffix(".cpg").write_text(cpg, encoding="ascii")
    with path.with_suffix(".dbf").open("r+b") as fh:
        fh.seek(29)
        fh.write(bytes([LDID_FOR[encoding]]))
    report.fields = names
    if renamed:
        mapping = path.with_name(path.stem + ".fields.csv")
        pd.DataFrame(
            {"原字段名/field": list(names), "短字段名/short": list(names.values())}
        ).to_csv(mapping, index=False, encoding="utf-8-sig")
        report.mapping_file = mapping
        report.warnings.append(
            f"{len(renamed)} field names shortened to the shapefile limit of 10 bytes: "
            + "; ".join(f"{k} → {v}" for k, v in renamed.items())
            + f" (mapping in {mapping.name})"
        )


def _table(frame: pd.DataFrame, naive_times: bool = False) -> pd.DataFrame:
    """A frame without geometry: points as 经度/纬度, other shapes as WKT."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    if isinstance(frame, gpd.GeoDataFrame) and "geometry" in frame:
        geoms = frame.geometry.values
        is_point = shapely.get_type_id(geoms) == 0
        if is_point[~shapely.is_missing(geoms)].all():
            out["经度"] = shapely.get_x(geoms)
            out["纬度"] = shapely.get_y(geoms)
        else:
            out["WKT"] = shapely.to_wkt(geoms, rounding_precision=7)
    if naive_times:
        for col in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[col]) and getattr(
                out[col].dt, "tz", None
            ):
                out[col] = out[col].dt.tz_localize(None)
    return out


def save_prj(shp_path, crs) -> Path:
    """Record a CRS the user confirmed as a .prj beside a shapefile that has none.

    Only a missing .prj is ever written; the shapefile itself is not touched, and
    the next reading finds the CRS declared instead of asking again.
    """
    from pyproj import CRS

    shp = _resolve(shp_path)
    prj = shp.with_suffix(".prj")
    if prj.exists() or shp.with_suffix(".PRJ").exists():
        raise ExportError(
            "the shapefile has a .prj already; it is not replaced",
            path=prj,
            value=prj.name,
            fix="choose the CRS in 图层属性 for this project instead",
        )
    try:
        wkt = CRS.from_user_input(crs).to_wkt("WKT1_ESRI")
    except Exception as exc:
        raise ExportError(
            "the CRS cannot be written as a .prj",
            path=prj,
            value=crs,
            fix="give an EPSG code such as 4490 or 4546",
        ) from exc
    prj.write_text(wkt, encoding="ascii")
    return prj

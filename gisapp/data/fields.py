"""Recognise a layer kind and bring a file's columns to the kind's canonical fields."""

from __future__ import annotations

import logging
import re

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.data.source import SourceInfo
from gisapp.data.tables import to_number
from gisapp.model.kinds import LayerKind, all_kinds, parse_bool

log = logging.getLogger(__name__)


def _geom_family(geometry_type: str | None) -> str | None:
    if not geometry_type:
        return None
    first = geometry_type.split("/")[0]
    return first.replace("Multi", "").replace(" Z", "")


# Fields many kinds share; they alone do not tell which kind a file is.
GENERIC_FIELDS = {
    "code",
    "name",
    "source",
    "county",
    "county_code",
    "township",
    "township_code",
}


def recognise_kind(info: SourceInfo, columns, hint: str = "") -> tuple[str | None, str]:
    """The most likely layer kind for a file: ``(kind id or None, reason)``.

    Evidence: the geometry type must fit; words in the file or layer name; how many
    columns match the kind's fields. Without a name hint, the kind's key field, or
    two fields of its own (not names, codes or places), must be among the columns.
    A file with places that fits no kind becomes a reference layer (``other``); a
    table without places that fits none gives ``None``.
    """
    family = _geom_family(info.geometry_type)
    name = " ".join(filter(None, [info.path.stem, info.layer or "", hint])).lower()
    best, best_score, best_why = None, 0.0, "no layer kind fits"
    for kind in all_kinds().values():
        if kind.id == "other" or (family and family not in kind.geometry):
            continue
        matched = kind.map_columns(columns)
        named = [h for h in kind.hints if h.lower() in name]
        specific = set(matched.values()) - GENERIC_FIELDS
        if not named and kind.key not in matched.values() and len(specific) < 2:
            continue
        score = len(matched) + 3.0 * bool(named) + 0.1 * len(named)
        if score > best_score:
            best, best_score = kind.id, score
            parts = []
            if named:
                parts.append(f"name contains {named[0]!r}")
            if matched:
                parts.append(f"{len(matched)} columns match its fields")
            if family:
                parts.append(f"geometry {family}")
            best_why = ", ".join(parts)
    if best_score >= 2.0:
        return best, best_why
    if family:
        return "other", f"no layer kind fits ({best_why}): shown as a reference layer"
    return None, f"no layer kind fits well ({best_why})"


def _coerce(series: pd.Series, ftype: str, field) -> pd.Series:
    if ftype == "str":
        out = series.astype(object).where(series.notna(), None)
        return out.map(lambda v: None if v is None else _text(v))
    if ftype in ("int", "float"):
        num = series if pd.api.types.is_numeric_dtype(series) else to_number(series)
        num = num.astype(float)
        return num.round().astype("Int64") if ftype == "int" else num
    if ftype == "bool":
        return series.map(parse_bool).astype("boolean")
    if ftype == "enum":
        # Each distinct office value is looked up once: columns repeat few values.
        codes = {v: field.to_code(v) for v in pd.unique(series.dropna())}
        return series.map(lambda v: codes.get(v))
    if ftype == "date":
        return pd.to_datetime(series, errors="coerce")
    return series


def _text(value) -> str | None:
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


def _kept_name(col: str, field_name: str) -> str:
    """Where a mapped column's original text stays when some of it could not be read."""
    return col if col != field_name else f"{col}_原值"


def conform(
    frame: pd.DataFrame, kind: LayerKind, mapping: dict[str, str], info: SourceInfo
):
    """A copy of ``frame`` with every canonical field present and typed.

    Mapped columns are renamed; unmapped source columns are kept under their own
    names; values an enum field does not know are reported, never silently lost.
    """
    out = {}
    kept: dict[str, pd.Series] = {}
    for col, fname in mapping.items():
        field = kind.field(fname)
        values = _coerce(frame[col], field.type, field)
        source = frame[col]
        lost = source[values.isna().to_numpy() & source.notna().to_numpy()]
        lost = lost[lost.astype(str).str.strip() != ""]
        if len(lost):
            sample = ", ".join(sorted(set(map(str, lost)))[:5])
            what = "known" if field.type == "enum" else f"readable as {field.type}"
            fix = (
                f"add them as aliases in layers/{kind.id}.toml"
                if field.type == "enum"
                else "correct them in the source, or map the column to another field"
            )
            info.warn(
                f"column {col}: {len(lost)} values are not {what} {field.zh} values "
                f"({sample}); the original text is kept in column "
                f"{_kept_name(col, fname)}; {fix}"
            )
            kept[_kept_name(col, fname)] = source
        out[fname] = values
    for field in kind.fields:
        if field.name not in out:
            out[field.name] = pd.Series(
                [None] * len(frame), index=frame.index, dtype=object
            )
            if field.type in ("int",):
                out[field.name] = out[field.name].astype("Int64")
            elif field.type == "float":
                out[field.name] = out[field.name].astype(float)
            elif field.type == "bool":
                out[field.name] = out[field.name].astype("boolean")
    extra = [
        c
        for c in frame.columns
        if c not in mapping and c != "geometry" and c not in out
    ]
    data = pd.DataFrame(out, index=frame.index)
    for col in extra:
        data[col] = frame[col]
    for col, values in kept.items():
        data[col] = values
    if isinstance(frame, gpd.GeoDataFrame) and "geometry" in frame:
        return gpd.GeoDataFrame(data, geometry=frame.geometry.values, crs=frame.crs)
    return data


def normalise_code(value) -> str | None:
    """An administrative code as digits only ("420802100201.0" → "420802100201")."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = re.sub(r"\.0+$", "", str(value).strip())
    return text if text.isdigit() else (text or None)

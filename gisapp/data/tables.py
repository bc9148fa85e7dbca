"""Read tables (CSV, TXT, Excel) and find their coordinates, if any.

Text files are read with an explicitly detected encoding, never the platform's.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from gisapp.data.encoding import guess_bytes
from gisapp.data.source import SourceInfo
from gisapp.errors import ReadError

log = logging.getLogger(__name__)

LON_NAMES = ("经度", "东经", "lon", "lng", "long", "longitude", "x坐标", "x", "gps经度")
LAT_NAMES = ("纬度", "北纬", "lat", "latitude", "y坐标", "y", "gps纬度")


def _fold(name: str) -> str:
    return re.sub(r"[\s_()（）]", "", str(name)).lower()


def read_text_table(path: Path, encoding: str | None = None) -> tuple[pd.DataFrame, SourceInfo]:
    """A CSV or TXT file as strings, with its encoding and separator detected."""
    raw = path.read_bytes()
    info = SourceInfo(path=path, format="CSV")
    if encoding:
        enc, how = encoding, "chosen by the user"
    else:
        enc, how, others = guess_bytes(raw)
        if others:
            how += f" (other possible reading: {', '.join(others)})"
    try:
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadError(
            "the text cannot be decoded",
            path=path,
            value=enc,
            fix="choose another encoding (GBK, UTF-8) in the import dialog or with --encoding",
        ) from exc
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ReadError("the file is empty", path=path, fix="check that the right file was chosen")
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    info.encoding = "utf-8" if enc == "utf-8-sig" else enc
    info.encoding_how = how
    return frame, info


def read_excel_table(path: Path, sheet=None) -> tuple[pd.DataFrame, SourceInfo]:
    """The first (or named) sheet of an .xlsx or .xls file as strings."""
    info = SourceInfo(path=path, format="Excel")
    try:
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str)
    except Exception as exc:  # openpyxl and xlrd raise many kinds
        raise ReadError(
            f"the workbook cannot be read ({type(exc).__name__}: {exc})",
            path=path,
            fix="open it in Excel and save it again as .xlsx",
        ) from exc
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    info.encoding = "unicode"
    info.encoding_how = "Excel stores text as Unicode"
    info.layer = str(sheet) if sheet else None
    return frame, info


def find_coordinate_columns(columns) -> tuple[str | None, str | None]:
    """The longitude and latitude columns of a table, by name."""
    folded = {_fold(c): c for c in columns}
    lon = next((folded[n] for n in map(_fold, LON_NAMES) if n in folded), None)
    lat = next((folded[n] for n in map(_fold, LAT_NAMES) if n in folded), None)
    return lon, lat


def to_number(series: pd.Series) -> pd.Series:
    """Decimal numbers from text cells, full-width digits included; NaN otherwise."""
    table = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")
    cleaned = series.astype(str).str.translate(table).str.strip().str.replace(",", "")
    return pd.to_numeric(cleaned, errors="coerce")


def coordinates(frame: pd.DataFrame, info: SourceInfo):
    """Longitude and latitude arrays of a table, or ``(None, None)`` without them.

    Rows whose values are missing or not numbers get NaN and are reported.
    """
    lon_col, lat_col = find_coordinate_columns(frame.columns)
    if lon_col is None or lat_col is None:
        return None, None
    x = to_number(frame[lon_col]).to_numpy(dtype=float)
    y = to_number(frame[lat_col]).to_numpy(dtype=float)
    bad = np.flatnonzero(~(np.isfinite(x) & np.isfinite(y)))
    if len(bad):
        rows = ", ".join(str(i + 2) for i in bad[:10])
        info.warn(
            f"{len(bad)} rows have no usable coordinates in {lon_col}/{lat_col} "
            f"(rows {rows}{' …' if len(bad) > 10 else ''}); they are kept as attributes"
        )
    return x, y

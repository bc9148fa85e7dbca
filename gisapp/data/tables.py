"""Read tables (CSV, TXT, Excel) and find their coordinates, if any.

Text files are read with an explicitly detected encoding, never the platform's.
Coordinates may be decimal degrees or 度分秒 text in any common notation, in two
columns or one combined cell, sometimes with latitude and longitude swapped, or
Gauss-Krüger metres in X/Y columns. Rows whose coordinates cannot be read keep
their attributes and are listed by row number.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from gisapp.data.dms import AngleError, parse_angle, parse_pair
from gisapp.data.encoding import guess_bytes
from gisapp.data.source import SourceInfo
from gisapp.errors import ReadError

log = logging.getLogger(__name__)

LON_NAMES = (
    "经度", "东经", "lon", "lng", "long", "longitude", "gps经度", "经度坐标",
    "中心经度", "x经度", "经度e",
)  # fmt: skip
LAT_NAMES = (
    "纬度", "北纬", "lat", "latitude", "gps纬度", "纬度坐标", "中心纬度", "y纬度",
    "纬度n",
)  # fmt: skip
# Surveyors' X is the northing and Y the easting; the CRS detection sorts it out.
X_NAMES = ("x", "x坐标", "坐标x", "东坐标", "横坐标", "easting", "e坐标")
Y_NAMES = ("y", "y坐标", "坐标y", "北坐标", "纵坐标", "northing", "n坐标")
PAIR_NAMES = (
    "经纬度", "坐标", "位置", "位置坐标", "gps坐标", "gps", "经纬度坐标", "纬度经度",
    "经度纬度", "latlng", "latlon", "lnglat", "lonlat", "coordinates", "定位",
)  # fmt: skip
# Degrees inside China, generously; outside them a point is flagged, not placed.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)


def fold_name(name) -> str:
    """A column name folded for matching: case, spaces, brackets and their units."""
    text = str(name).strip().lower().lstrip("\ufeff")
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    return re.sub(r"[\s_\-·/：:、,，]", "", text)


def read_text_table(
    path: Path, encoding: str | None = None
) -> tuple[pd.DataFrame, SourceInfo]:
    """A CSV or TXT file as strings, with its encoding and separator detected."""
    raw = path.read_bytes()
    info = SourceInfo(path=path, format="CSV")
    others: list[str] = []
    if encoding:
        enc, how = encoding, "chosen by the user"
    else:
        enc, how, others = guess_bytes(raw)
    frame = parse_text(
        raw, enc, path, errors="replace" if "damaged" in how else "strict"
    )
    info.encoding = "utf-8" if enc == "utf-8-sig" else enc
    info.encoding_how = how
    info.encoding_alternatives = others
    if others:
        info.warn(
            f"the text also reads as {', '.join(others)}; using {info.encoding} "
            f"({how}); choose another encoding in the import dialog if names look wrong"
        )
    return frame, info


def parse_text(
    raw: bytes, encoding: str, path: Path, nrows: int | None = None, errors="strict"
) -> pd.DataFrame:
    """Decode and split a delimited text file; every cell is kept as text."""
    try:
        text = raw.decode(encoding, errors=errors)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadError(
            "the text cannot be decoded with this encoding",
            path=path,
            value=f"{encoding}: {exc}",
            fix="choose another encoding (GBK, UTF-8) in the import dialog or with "
            "--encoding",
        ) from exc
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ReadError(
            "the file is empty", path=path, fix="check that the right file was chosen"
        )
    sample = text[:20000]
    first = sample.splitlines()[0] if sample.splitlines() else ""
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    sep = max(counts, key=counts.get) if max(counts.values()) else ","
    if sep == "," and "，" in first and first.count("，") > first.count(","):
        sep = "，"
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            nrows=nrows,
            skipinitialspace=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise ReadError(
            f"the table cannot be split into columns ({exc})",
            path=path,
            value=repr(sep),
            fix="save it from Excel again as CSV, or check the quotes on that line",
        ) from exc
    frame.columns = _unique_columns(frame.columns)
    return frame


def _unique_columns(columns) -> list[str]:
    out: list[str] = []
    for col in columns:
        name = str(col).strip().lstrip("\ufeff") or "列"
        base, n = name, 1
        while name in out:
            n += 1
            name = f"{base}_{n}"
        out.append(name)
    return out


def _read_grid(path: Path, sheet) -> pd.DataFrame:
    """Every cell of a sheet as text; calamine (fast, .xlsx and .xls) first."""
    try:
        return pd.read_excel(
            path, sheet_name=sheet or 0, dtype=str, header=None, engine="calamine"
        )
    except ImportError:
        return pd.read_excel(path, sheet_name=sheet or 0, dtype=str, header=None)


def read_excel_table(path: Path, sheet=None) -> tuple[pd.DataFrame, SourceInfo]:
    """The first (or named) sheet of an .xlsx or .xls file as strings.

    A title row above the header (common in office sheets) is skipped; the row
    numbers in messages are the ones Excel shows.
    """
    info = SourceInfo(path=path, format="Excel")
    try:
        grid = _read_grid(path, sheet)
    except Exception as exc:  # openpyxl and xlrd raise many kinds
        raise ReadError(
            f"the workbook cannot be read ({type(exc).__name__}: {exc})",
            path=path,
            value=sheet,
            fix="open it in Excel and save it again as .xlsx",
        ) from exc
    grid = grid.dropna(how="all", axis=1)
    if grid.empty:
        raise ReadError(
            "the sheet is empty", path=path, value=sheet, fix="choose another sheet"
        )
    filled = grid.notna().sum(axis=1)
    wide = np.flatnonzero(filled.to_numpy() >= max(2, 0.6 * filled.max()))
    header_at = int(wide[0]) if len(wide) else int(np.flatnonzero(filled.to_numpy())[0])
    frame = grid.iloc[header_at + 1 :].copy()
    frame.columns = _unique_columns(grid.iloc[header_at].fillna("列"))
    frame = frame.dropna(how="all").fillna("")
    frame.index = frame.index + 1  # Excel's row numbers
    info.row_base = 0
    info.encoding = "unicode"
    info.encoding_how = "Excel stores text as Unicode"
    info.layer = str(sheet) if sheet else None
    return frame, info


def excel_sheets(path: Path) -> list[str]:
    """The sheet names of a workbook."""
    try:
        return [str(s) for s in pd.ExcelFile(path, engine="calamine").sheet_names]
    except Exception as exc:
        raise ReadError(
            f"the workbook cannot be opened ({type(exc).__name__}: {exc})",
            path=path,
            fix="open it in Excel and save it again as .xlsx",
        ) from exc


def _find(columns, names) -> str | None:
    folded = {fold_name(c): c for c in columns}
    for n in names:
        if fold_name(n) in folded:
            return folded[fold_name(n)]
    return None


def find_coordinate_columns(columns) -> tuple[str | None, str | None]:
    """The longitude and latitude (or X and Y) columns of a table, by name."""
    lon, lat = _find(columns, LON_NAMES), _find(columns, LAT_NAMES)
    if lon and lat:
        return lon, lat
    x, y = _find(columns, X_NAMES), _find(columns, Y_NAMES)
    if x and y:
        return x, y
    return None, None


def find_pair_column(columns) -> tuple[str | None, str]:
    """A column holding both values in one cell, and which comes first."""
    for col in columns:
        key = fold_name(str(col).replace(",", "").replace("，", ""))
        if key in map(fold_name, PAIR_NAMES) or key in ("纬度经度", "经度纬度"):
            raw = str(col)
            lat_first = raw.find("纬") >= 0 and (
                raw.find("经") < 0 or raw.find("纬") < raw.find("经")
            )
            lat_first = lat_first or raw.lower().startswith("lat")
            return col, "lat" if lat_first else "lon"
    return None, "lon"


def to_number(series: pd.Series) -> pd.Series:
    """Decimal numbers from text cells, full-width digits included; NaN otherwise."""
    table = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")
    cleaned = series.astype(str).str.translate(table).str.strip().str.replace(",", "")
    return pd.to_numeric(cleaned, errors="coerce")


def row_label(info: SourceInfo, index) -> str:
    """The row number a user sees for a frame index (header is row 1)."""
    base = getattr(info, "row_base", 2)
    try:
        return str(int(index) + base)
    except (TypeError, ValueError):
        return str(index)


def coordinates(frame: pd.DataFrame, info: SourceInfo):
    """Longitude and latitude arrays of a table, or ``(None, None)`` without them.

    Rows whose values are missing, unreadable, impossible or outside China get NaN;
    each is listed in ``info.row_issues`` with its row number and the reason.
    Whole columns of swapped latitude/longitude are swapped back and reported.
    """
    lon_col, lat_col = find_coordinate_columns(frame.columns)
    pair_col, first = (None, "lon")
    if lon_col is None:
        pair_col, first = find_pair_column(frame.columns)
        if pair_col is None:
            return None, None
    n = len(frame)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    problems: dict[int, str] = {}
    for i, idx in enumerate(frame.index):
        try:
            if pair_col is not None:
                cell = frame.at[idx, pair_col]
                if _blank(cell):
                    raise AngleError("empty")
                x[i], y[i] = parse_pair(cell, first)
            else:
                a, b = frame.at[idx, lon_col], frame.at[idx, lat_col]
                if _blank(a) and _blank(b):
                    raise AngleError("empty")
                x[i], ax = parse_angle(a)
                y[i], bx = parse_angle(b)
                if ax == "lat" and bx == "lon":
                    x[i], y[i] = y[i], x[i]
        except AngleError as exc:
            x[i] = y[i] = np.nan
            problems[i] = "no coordinates" if str(exc) == "empty" else str(exc)
    names = f"{pair_col}" if pair_col else f"{lon_col}/{lat_col}"
    ok = np.isfinite(x) & np.isfinite(y)
    metres = ok.any() and np.nanmedian(np.abs(np.r_[x[ok], y[ok]])) > 1000
    if not metres:
        _check_degrees(x, y, ok, problems, info, names)
    for i, why in sorted(problems.items()):
        info.row_issues.append((row_label(info, frame.index[i]), why))
    if problems:
        listed = ", ".join(f"{r} ({w})" for r, w in info.row_issues[:8])
        info.warn(
            f"{len(problems)} rows have no usable coordinates in {names}: rows {listed}"
            f"{' …' if len(problems) > 8 else ''}; they are kept as attributes without "
            "a place"
        )
    return x, y


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _check_degrees(x, y, ok, problems, info, names) -> None:
    lon_ok = (x >= CHINA_LON[0]) & (x <= CHINA_LON[1])
    lat_ok = (y >= CHINA_LAT[0]) & (y <= CHINA_LAT[1])
    swapped = ok & ~lon_ok & ~lat_ok & (y >= CHINA_LON[0]) & (y <= CHINA_LON[1])
    swapped &= (x >= CHINA_LAT[0]) & (x <= CHINA_LAT[1])
    if swapped.any():
        x[swapped], y[swapped] = y[swapped].copy(), x[swapped].copy()
        rows = np.flatnonzero(swapped)
        info.warn(
            f"{len(rows)} rows have latitude and longitude swapped in {names} "
            "(a latitude cannot exceed 54° in China, a longitude cannot be below 73°); "
            "they were swapped back"
        )
        lon_ok = (x >= CHINA_LON[0]) & (x <= CHINA_LON[1])
        lat_ok = (y >= CHINA_LAT[0]) & (y <= CHINA_LAT[1])
    for i in np.flatnonzero(ok & ~(lon_ok & lat_ok)):
        if abs(x[i]) > 180 or abs(y[i]) > 90:
            why = f"impossible coordinates (经度 {x[i]:g}, 纬度 {y[i]:g})"
        else:
            why = f"outside China (经度 {x[i]:g}, 纬度 {y[i]:g})"
        problems[int(i)] = why
        x[i] = y[i] = np.nan

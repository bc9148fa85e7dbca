"""Attribute columns as strict-JSON columns for the web map.

Every value a page shows passes through here: numpy and pandas scalars become plain
numbers, dates ``YYYY-MM-DD``, times ISO 8601 in Beijing time (``+08:00``), booleans
1/0 (shown as 是/否), and NaN, infinity, ``None``, ``NaT`` and ``pd.NA`` become
``null`` (shown as 无数据). The page never receives a value JSON cannot parse
strictly, and it writes every value as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal

import numpy as np
import pandas as pd

BEIJING = dt.timezone(dt.timedelta(hours=8))

#: Column type tags understood by the page: number, text, bool, date, time, enum.
NUMBER, TEXT, BOOL, DATE, TIME, ENUM = "n", "s", "b", "d", "t", "e"


def is_missing(value) -> bool:
    """Whether a cell holds no value (None, NaN, NaT, pd.NA, infinity)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, (float, np.floating)):
        return not math.isfinite(float(value))
    if isinstance(value, Decimal):
        return not value.is_finite()
    return False


def time_text(value) -> str | None:
    """A timestamp as ISO 8601 in Beijing time; naive times are taken as Beijing."""
    if is_missing(value):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(BEIJING)
    else:
        stamp = stamp.tz_convert(BEIJING)
    return stamp.isoformat(timespec="seconds")


def date_text(value) -> str | None:
    """A date (or a timestamp at midnight) as ``YYYY-MM-DD``."""
    if is_missing(value):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return pd.Timestamp(value).date().isoformat()


def plain(value):
    """One cell as a JSON-safe Python value (``None`` when missing)."""
    if is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating, Decimal)):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if isinstance(value, (pd.Timestamp, dt.datetime, np.datetime64)):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is None and stamp == stamp.normalize():
            return date_text(stamp)
        return time_text(stamp)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(plain(v)) for v in value if not is_missing(v))
    return str(value)


def _number(value):
    if is_missing(value):
        return None
    number = float(value)
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return float(f"{number:.6g}") if abs(number) < 1e15 else number


def _numbers(series: pd.Series) -> list:
    """A numeric column as ints where whole, else floats to 6 significant digits."""
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    finite = np.isfinite(values)
    whole = finite & (np.abs(values) < 2**53)
    whole[whole] = values[whole] == np.floor(values[whole])
    out = np.full(len(values), None, dtype=object)
    if whole.any():
        out[whole] = values[whole].astype(np.int64).tolist()
    rest = finite & ~whole
    if rest.any():
        vals = values[rest]
        digits = 5 - np.floor(np.log10(np.abs(vals))).astype(np.int64)
        digits = np.clip(digits, -15, 15)
        scale = np.power(10.0, digits)
        out[rest] = (np.round(vals * scale) / scale).tolist()
    return out.tolist()


def _cells(series: pd.Series) -> list:
    """Cells as plain values; text passes through without a per-cell conversion."""
    values = series.tolist()
    return [v if type(v) is str else plain(v) for v in values]


def has_values(series: pd.Series) -> bool:
    """Whether a column holds at least one value worth showing."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return bool(series.notna().any())
    if pd.api.types.is_numeric_dtype(dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return bool(np.isfinite(values).any())
    present = series[series.notna()]
    return any(not is_missing(v) for v in present.tolist())


def encode_column(series: pd.Series, enum_labels: dict | None = None) -> dict:
    """A column as ``{"t": tag, "v": values}``, strings dictionary-coded when repeated.

    Parameters
    ----------
    series : pandas.Series
        The column, of any dtype.
    enum_labels : dict, optional
        Codes of an enum field mapped to their Chinese labels; the page shows the
        label.

    Returns
    -------
    dict
        ``t`` is the type tag; ``v`` the values (``null`` when missing); for
        dictionary-coded text ``k`` holds the distinct strings and ``v`` indexes.
    """
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        values = series.tolist()
        return {
            "t": BOOL,
            "v": [None if is_missing(v) else int(bool(v)) for v in values],
        }
    if pd.api.types.is_numeric_dtype(dtype):
        return {"t": NUMBER, "v": _numbers(series)}
    if isinstance(dtype, pd.DatetimeTZDtype):
        return {"t": TIME, "v": [time_text(v) for v in series.tolist()]}
    if pd.api.types.is_datetime64_dtype(dtype):
        stamps = series.dropna()
        if len(stamps) and (stamps == stamps.dt.normalize()).all():
            return {"t": DATE, "v": [date_text(v) for v in series.tolist()]}
        return {"t": TIME, "v": [time_text(v) for v in series.tolist()]}
    cleaned = _cells(series)
    kinds = {type(v) for v in cleaned if v is not None}
    if kinds == {bool}:
        return {"t": BOOL, "v": [None if v is None else int(v) for v in cleaned]}
    if kinds and kinds <= {int, float}:
        return {"t": NUMBER, "v": [_number(v) for v in cleaned]}
    text = [None if v is None else str(v) for v in cleaned]
    if enum_labels:
        text = [None if v is None else str(enum_labels.get(v, v)) for v in text]
    tag = ENUM if enum_labels else TEXT
    distinct = sorted({v for v in text if v is not None})
    if len(text) >= 8 and len(distinct) * 3 < len(text):
        index = {v: i for i, v in enumerate(distinct)}
        return {
            "t": tag,
            "k": distinct,
            "v": [None if v is None else index[v] for v in text],
        }
    return {"t": tag, "v": text}


def _refuse_constant(name: str):
    raise ValueError(f"non-standard JSON constant {name}")


def dumps_strict(payload) -> str:
    """Compact JSON that a strict parser accepts and a ``<script>`` cannot end.

    ``<``, ``>``, ``&`` and the two JavaScript line separators are written as
    ``\\uXXXX`` escapes, so no attribute can close the script element that holds
    the data. Chinese text stays readable UTF-8.
    """
    text = json.dumps(
        payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def loads_strict(text: str):
    """Parse JSON, refusing NaN and Infinity (what the page's parser accepts)."""
    return json.loads(text, parse_constant=_refuse_constant)

"""What the import dialog shows before a file joins the project.

:func:`preview` reads the file once and returns plain data: the first rows as
decoded, the encoding with every other possible reading side by side, the CRS with
its candidates, the feature count, the proposed layer kind and column mapping
(a remembered mapping wins), and every warning. :func:`preview_encodings` gives
the first rows under each encoding the bytes allow.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import shapely

from gisapp.data.encoding import (
    decodes,
    detect_dbf_encoding,
    find_dbf,
    guess_bytes,
)
from gisapp.data.fields import recognise_kind
from gisapp.data.mappings import recall_entry, source_key
from gisapp.data.readers import list_layers, read_source
from gisapp.data.tables import parse_text
from gisapp.model.kinds import all_kinds

log = logging.getLogger(__name__)

_CANDIDATES = ("utf-8", "gbk", "gb18030")


def _rows(frame: pd.DataFrame, n: int) -> list[dict]:
    head = frame.head(n)
    out = []
    for _, row in head.iterrows():
        item = {}
        for col, value in row.items():
            if col == "geometry":
                item[col] = (
                    None
                    if value is None
                    else shapely.to_wkt(value, rounding_precision=6)[:80]
                )
            elif value is None or (isinstance(value, float) and value != value):
                item[col] = None
            elif isinstance(value, np.generic):
                item[col] = value.item()  # numpy scalars as plain Python values
            else:
                item[col] = (
                    value if isinstance(value, (int, float, str, bool)) else str(value)
                )
        out.append(item)
    return out


def _add(out: list, encoding: str, rows: list[dict]) -> None:
    """Add a reading unless an earlier encoding gave the very same text."""
    if all(rows != other for _, other in out):
        out.append((encoding, rows))


def preview_encodings(path, rows: int = 5) -> list[tuple[str, list[dict]]]:
    """The first rows of a shapefile or text table under each possible encoding.

    The detected encoding comes first; another appears only when the bytes decode
    under it without error. Formats that store Unicode give one entry.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    out: list[tuple[str, list[dict]]] = []
    if suffix == ".shp":
        enc, _, others = detect_dbf_encoding(path)
        dbf = find_dbf(path)
        raw = dbf.read_bytes() if dbf else b""
        order = [e for e in dict.fromkeys([enc, *others, *_CANDIDATES]) if e]
        for e in order:
            if e != enc and not decodes(raw[32:], e):
                continue
            try:
                frame = pyogrio.read_dataframe(
                    path, encoding=e, max_features=rows, read_geometry=False
                )
            except Exception as exc:  # a reading GDAL refuses is simply not offered
                log.debug("no %s reading of %s: %s", e, path, exc)
                continue
            _add(out, e, _rows(frame, rows))
        return out
    if suffix in (".csv", ".txt"):
        raw = path.read_bytes()
        head = raw[:65536]
        if len(raw) > len(head):
            head = head[: head.rfind(b"\n") + 1] or head
        enc, _, others = guess_bytes(head)
        for e in dict.fromkeys([enc, *others, *_CANDIDATES]):
            if e != enc and not decodes(head, e):
                continue
            try:
                frame = parse_text(head, e, path, nrows=rows)
            except Exception as exc:
                log.debug("no %s reading of %s: %s", e, path, exc)
                continue
            _add(out, "utf-8" if e == "utf-8-sig" else e, _rows(frame, rows))
        return out
    loaded = read_source(path)[0]
    return [(loaded.info.encoding or "utf-8", _rows(loaded.frame, rows))]


def preview(
    path,
    *,
    layer: str | None = None,
    encoding: str | None = None,
    crs=None,
    near_lon: float | None = None,
    near_bounds=None,
    rows: int = 10,
    config_dir=None,
) -> dict:
    """Everything the import dialog shows for one layer of a file.

    Returns
    -------
    dict
        ``path``, ``format``, ``layers``, ``layer``, ``columns``, ``rows`` (first
        rows decoded), ``encoding``, ``encoding_how``, ``encoding_alternatives``
        (list of ``{"encoding", "rows"}``), ``crs``, ``crs_declared``, ``crs_how``,
        ``crs_candidates``, ``feature_count``, ``geometry_type``, ``kind``,
        ``kind_how``, ``kinds`` (all kinds, for the chooser), ``mapping``,
        ``mapping_remembered``, ``source_key``, ``warnings``, ``row_issues``,
        ``geometry_issues``.

    Raises
    ------
    GisAppError
        When the file cannot be read; the message names file, problem and fix.
    """
    path = Path(path)
    layers = list_layers(path)
    chosen = layer if layer is not None else layers[0]
    loaded = read_source(
        path,
        chosen,
        encoding=encoding,
        crs=crs,
        near_lon=near_lon,
        near_bounds=near_bounds,
    )[0]
    info = loaded.info
    key = source_key(path, info.columns)
    remembered = recall_entry(key, config_dir)
    kind_id, kind_how = recognise_kind(info, info.columns, hint=str(chosen or ""))
    if remembered and remembered.get("kind"):
        kind_id, kind_how = remembered["kind"], "remembered from the last import"
    mapping = {}
    if kind_id in all_kinds():
        mapping = all_kinds()[kind_id].map_columns(info.columns)
    if remembered and remembered.get("mapping"):
        mapping = {c: f for c, f in remembered["mapping"].items() if c in info.columns}
    alternatives = []
    if encoding is None and path.suffix.lower() in (".shp", ".csv", ".txt"):
        readings = preview_encodings(path, min(rows, 5))
        shown = [r for e, r in readings if e == info.encoding][:1]
        # Only readings that differ from the one used are worth showing.
        alternatives = [
            {"encoding": e, "rows": r}
            for e, r in readings
            if e != info.encoding and r not in shown
        ]
    result = info.as_dict()
    result.update(
        layers=layers,
        layer=chosen,
        rows=_rows(loaded.frame, rows),
        encoding_alternatives=alternatives,
        kind=kind_id,
        kind_how=kind_how,
        kinds={k.id: k.zh for k in all_kinds().values()},
        mapping=mapping,
        mapping_remembered=bool(remembered),
        source_key=key,
    )
    if remembered:
        result["remembered"] = {k: v for k, v in remembered.items() if k != "mapping"}
    return result

"""A project saved as one GeoPackage: its layers plus a table of project settings.

Saving writes a new file beside the target and renames it over the target only
when the new file is complete, so a crash or a full disk never leaves half a
project and never damages the previous save.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
from dataclasses import asdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from gisapp.data.fields import conform
from gisapp.data.source import SourceInfo
from gisapp.data.writers import plain_columns
from gisapp.errors import ProjectError
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.periods import History, Period, freeze_states
from gisapp.model.project import Project
from gisapp.model.style import Style

log = logging.getLogger(__name__)

META_TABLE = "gisapp_project"
KEY_COLUMN = "__key__"
FORMAT_VERSION = 1


def is_project_file(path) -> bool:
    """Whether ``path`` is a GeoPackage written by :func:`save_project`."""
    path = Path(path)
    if path.suffix.lower() != ".gpkg" or not path.is_file():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            row = con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name=?",
                (META_TABLE,),
            ).fetchone()
    except sqlite3.Error:
        return False
    return row is not None


def _table_name(index: int, layer: Layer) -> str:
    return f"layer_{index:02d}_{layer.kind.id}"


def _meta(project: Project, tables: list[str]) -> dict:
    return {
        "format": FORMAT_VERSION,
        "title": project.title,
        "subtitle": project.subtitle,
        "office": project.office,
        "rules": project.rules,
        "layers": [
            {
                "table": table,
                "name": layer.name,
                "kind": layer.kind.id,
                "visible": layer.visible,
                "opacity": layer.opacity,
                "columns": [c for c in layer.frame.columns if c != "geometry"],
                "source": layer.info.as_dict(),
                **({"style": asdict(layer.style)} if layer.style else {}),
            }
            for table, layer in zip(tables, project.layers, strict=True)
        ],
    }


def save_project(project: Project, path, progress=None) -> Path:
    """Write the project to ``path`` (a .gpkg) through a temporary file.

    Parameters
    ----------
    project : Project
        What to save; its ``path`` is not changed here.
    path : path-like
        The GeoPackage to create or replace.
    progress : callable, optional
        ``progress(share, text)`` after each layer; may raise to stop.

    Returns
    -------
    Path
        The saved file.
    """
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise ProjectError(
            "a project is saved as a GeoPackage",
            path=path,
            fix="use a name ending in .gpkg",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.stem}-", suffix=".gpkg", dir=path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        tables = _write_layers(project, tmp, progress)
        meta = _meta(project, tables)
        meta["periods"] = _write_history(tmp, project.history)
        meta["period_shown"] = project.period
        _write_meta(tmp, meta)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    log.debug("saved %d layers to %s", len(project.layers), path)
    return path


def _write_layers(project: Project, target: Path, progress) -> list[str]:
    tables = []
    total = max(len(project.layers), 1)
    for index, layer in enumerate(project.layers):
        table = _table_name(index, layer)
        frame = plain_columns(layer.frame, every_object=True)
        has_geom = frame.geometry.notna().any()
        pyogrio.write_dataframe(
            frame,
            target,
            layer=table,
            driver="GPKG",
            geometry_type=None if has_geom else "Unknown",
            promote_to_multi=False,
        )
        tables.append(table)
        if progress is not None:
            progress((index + 1) / total, layer.name)
    if not tables:
        empty = gpd.GeoDataFrame({"note": []}, geometry=[], crs="EPSG:4490")
        pyogrio.write_dataframe(empty, target, layer="empty", driver="GPKG")
    return tables


def _write_meta(target: Path, meta: dict) -> None:
    with sqlite3.connect(target) as con:
        con.execute(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
        con.execute(
            f"INSERT INTO {META_TABLE} VALUES ('project', ?)",
            (json.dumps(meta, ensure_ascii=False),),
        )
    con.close()


def _plain(value):
    """A value SQLite or JSON can hold: numbers, text, booleans; others as text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _cells(series: pd.Series) -> list:
    """A state column as SQLite values. Typed columns store their values (missing
    as NULL); a column of mixed Python values stores each as JSON, so True, 1,
    NaN and None all come back as they were."""
    values = series.tolist()
    if series.dtype == object:
        return [json.dumps(_plain(v), ensure_ascii=False) for v in values]
    out = []
    for v in values:
        v = _plain(v)
        out.append(None if isinstance(v, float) and v != v else v)
    return out


def _write_history(target: Path, history: History) -> list[dict]:
    """Each period's state of each kind as a plain table; the list for the settings.

    The tables keep the key (village code, road segment, row) in ``__key__`` and
    the settings record each column's type, so a reopened project has the same
    periods, value for value.
    """
    entries = []
    with sqlite3.connect(target) as con:
        for p_index, period in enumerate(history.periods):
            states = []
            for k_index, (kind_id, state) in enumerate(sorted(period.states.items())):
                table = f"period_{p_index:02d}_{k_index:02d}"
                columns = [KEY_COLUMN, *[f"c{i}" for i in range(state.shape[1])]]
                data = [_cells(state.index.to_series())]
                data += [_cells(state.iloc[:, i]) for i in range(state.shape[1])]
                rows = list(zip(*data, strict=True))
                con.execute(
                    f"CREATE TABLE {table} ({', '.join(f'{c}' for c in columns)})"
                )
                marks = ", ".join("?" * len(columns))
                con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
                states.append(
                    {
                        "kind": kind_id,
                        "table": table,
                        "key": state.index.name,
                        "key_dtype": str(state.index.dtype),
                        "columns": [str(c) for c in state.columns],
                        "dtypes": [str(t) for t in state.dtypes],
                    }
                )
            entries.append({"name": period.name, "note": period.note, "states": states})
    con.close()
    return entries


def _restore_dtype(series: pd.Series, dtype: str) -> pd.Series:
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        log.warning("a period column kept as text: %s (%s)", series.name, dtype)
        return series.astype(object)


def _read_history(path: Path, entries: list[dict]) -> History:
    history = History()
    if not entries:
        return history
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        for entry in entries:
            states = {}
            for spec in entry["states"]:
                cursor = con.execute(f"SELECT * FROM {spec['table']}")
                rows = cursor.fetchall()
                names = [KEY_COLUMN, *spec["columns"]]
                frame = pd.DataFrame(rows, columns=names, dtype=object)
                keys = frame.pop(KEY_COLUMN)
                if spec["key_dtype"] == "object":
                    keys = pd.Series([json.loads(v) for v in keys], dtype=object)
                keys = _restore_dtype(keys, spec["key_dtype"])
                for col, dtype in zip(spec["columns"], spec["dtypes"], strict=True):
                    if dtype == "object":
                        values = [json.loads(v) for v in frame[col]]
                        frame[col] = pd.Series(values, index=frame.index, dtype=object)
                    else:
                        frame[col] = _restore_dtype(frame[col], dtype)
                frame.index = pd.Index(keys, name=spec["key"])
                states[spec["kind"]] = frame
            history.periods.append(
                Period(str(entry["name"]), freeze_states(states), entry.get("note", ""))
            )
    con.close()
    history.periods.sort(key=lambda p: p.sort_key)
    return history


def _read_meta(path: Path) -> dict:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            row = con.execute(
                f"SELECT value FROM {META_TABLE} WHERE key='project'"
            ).fetchone()
        con.close()
    except sqlite3.Error as exc:
        raise ProjectError(
            f"the project file cannot be read ({exc})",
            path=path,
            fix="open the last autosave or an older copy",
        ) from exc
    if row is None:
        raise ProjectError(
            "the project file has no settings", path=path, fix="re-save it"
        )
    return json.loads(row[0])


def _source_info(raw: dict, path: Path) -> SourceInfo:
    info = SourceInfo(
        path=Path(raw.get("path") or path), format=raw.get("format", "GPKG")
    )
    for key, value in raw.items():
        if key != "path" and hasattr(info, key):
            setattr(info, key, value)
    return info


def load_saved_project(path, progress=None) -> Project:
    """A project from a GeoPackage written by :func:`save_project`."""
    path = Path(path)
    meta = _read_meta(path)
    project = Project(
        title=meta.get("title", ""),
        subtitle=meta.get("subtitle", ""),
        office=meta.get("office", ""),
        rules=meta.get("rules"),
        path=path,
    )
    # Files saved before layers had their own styles keep them by kind.
    by_kind = {kind: Style(**raw) for kind, raw in meta.get("styles", {}).items()}
    entries = meta.get("layers", [])
    for index, entry in enumerate(entries):
        kind = get_kind(entry["kind"])
        frame = pyogrio.read_dataframe(path, layer=entry["table"])
        if frame.crs is None:
            frame = frame.set_crs("EPSG:4490")
        info = _source_info(entry.get("source", {}), path)
        mapping = {f: f for f in kind.field_names if f in frame.columns}
        frame = conform(frame, kind, mapping, info)
        order = [c for c in entry.get("columns", []) if c in frame.columns]
        rest = [c for c in frame.columns if c not in order]
        frame = frame[order + rest]
        layer = Layer(name=entry["name"], kind=kind, frame=frame, info=info)
        layer.visible = bool(entry.get("visible", True))
        layer.opacity = float(entry.get("opacity", 1.0))
        own = entry.get("style")
        layer.style = Style(**own) if own else by_kind.get(kind.id)
        project.add(layer)
        if progress is not None:
            progress((index + 1) / max(len(entries), 1), layer.name)
    project.history = _read_history(path, meta.get("periods", []))
    shown = meta.get("period_shown")
    project.period = shown if shown in project.history.names() else None
    return project

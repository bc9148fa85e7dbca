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
import pyogrio

from gisapp.data.fields import conform
from gisapp.data.source import SourceInfo
from gisapp.errors import ProjectError
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.project import Project
from gisapp.model.style import Style, reset_styles, set_style, style_overrides

log = logging.getLogger(__name__)

META_TABLE = "gisapp_project"
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


def _writable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy that GeoPackage can hold: text for mixed or odd columns."""
    out = frame.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        series = out[col]
        if series.dtype == object:
            out[col] = series.map(lambda v: None if v is None else str(v))
    return out


def _meta(project: Project, tables: list[str]) -> dict:
    return {
        "format": FORMAT_VERSION,
        "title": project.title,
        "subtitle": project.subtitle,
        "office": project.office,
        "rules": project.rules,
        "styles": {kind: asdict(style) for kind, style in style_overrides().items()},
        "layers": [
            {
                "table": table,
                "name": layer.name,
                "kind": layer.kind.id,
                "visible": layer.visible,
                "opacity": layer.opacity,
                "columns": [c for c in layer.frame.columns if c != "geometry"],
                "source": layer.info.as_dict(),
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
        _write_meta(tmp, _meta(project, tables))
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
        frame = _writable(layer.frame)
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
    reset_styles()
    for raw in meta.get("styles", {}).values():
        set_style(Style(**raw))
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
        project.add(layer)
        if progress is not None:
            progress((index + 1) / max(len(entries), 1), layer.name)
    return project

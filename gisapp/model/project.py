"""A project: its layers, title and settings, loaded from a project file or files.

``project.toml`` lists layer files relative to itself, each with its kind. A folder
or a list of files is assembled into a project by recognising each file's kind.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from gisapp.data.crosscheck import offset_messages, trusted_area, zone_was_guessed
from gisapp.data.crs import metric_crs_for
from gisapp.data.fields import conform, normalise_code, recognise_kind
from gisapp.data.geometry import row_number
from gisapp.data.join import join_villages
from gisapp.data.readers import SUFFIXES, Loaded, read_source
from gisapp.errors import GisAppError, ProjectError, ReadError
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.periods import History, parse_period
from gisapp.tomlfile import SAVE_AS_UTF8, load_toml

log = logging.getLogger(__name__)

DEFAULT_TITLE = "精准脱贫作战图"


@dataclass
class Project:
    """Everything the app shows, checks and exports."""

    title: str = DEFAULT_TITLE
    subtitle: str = ""
    office: str = ""
    rules: str | None = None
    path: Path | None = None
    layers: list[Layer] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    history: History = field(default_factory=History)
    sources: list[Path] = field(default_factory=list)
    # The period whose state the layers hold (None: not known, or no periods).
    period: str | None = None

    def layers_of(self, kind_id: str) -> list[Layer]:
        return [lyr for lyr in self.layers if lyr.kind.id == kind_id]

    def first(self, kind_id: str) -> Layer | None:
        found = self.layers_of(kind_id)
        return found[0] if found else None

    def frame_of(self, kind_id: str) -> gpd.GeoDataFrame:
        """All features of a kind across its layers, as one frame."""
        found = [lyr.frame for lyr in self.layers_of(kind_id)]
        if not found:
            kind = get_kind(kind_id)
            return gpd.GeoDataFrame(
                {f: [] for f in kind.field_names}, geometry=[], crs="EPSG:4490"
            )
        if len(found) == 1:
            return found[0]
        return gpd.GeoDataFrame(pd.concat(found, ignore_index=True), crs="EPSG:4490")

    @property
    def credits(self) -> list[str]:
        """Credits the sources' licences ask for, once each, for every map's notes."""
        return list(
            dict.fromkeys(lyr.info.credit for lyr in self.layers if lyr.info.credit)
        )

    @property
    def has_generated_data(self) -> bool:
        return any(lyr.is_generated for lyr in self.layers)

    def bounds(self, visible_only: bool = False) -> tuple[float, float, float, float]:
        """Extent in degrees of every layer with places; Jingmen when empty."""
        boxes = []
        for lyr in self.layers:
            if visible_only and not lyr.visible:
                continue
            if lyr.has_geometry:
                geoms = lyr.frame.geometry
                geoms = geoms[geoms.notna() & ~geoms.is_empty]
                if len(geoms):
                    boxes.append(geoms.total_bounds)
        if not boxes:
            return (111.8, 30.3, 113.5, 31.7)
        arr = np.array(boxes)
        return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())

    def focus_bounds(self) -> tuple[float, float, float, float]:
        """Extent of the area the project is about: its city or county boundary,
        else its villages, else every layer. Rivers and lakes that run far beyond
        the area do not count."""
        for kinds in (("city",), ("county",), ("village", "township")):
            boxes = []
            for lyr in self.layers:
                if lyr.kind.id not in kinds or not lyr.has_geometry:
                    continue
                if kinds == ("city",) and len(lyr.frame) > 1:
                    continue
                geoms = lyr.frame.geometry
                geoms = geoms[geoms.notna() & ~geoms.is_empty]
                if len(geoms):
                    boxes.append(geoms.total_bounds)
            if boxes:
                arr = np.array(boxes)
                return (
                    arr[:, 0].min(),
                    arr[:, 1].min(),
                    arr[:, 2].max(),
                    arr[:, 3].max(),
                )
        return self.bounds()

    @property
    def metric_crs(self) -> CRS:
        """The CGCS2000 Gauss-Krüger zone in which this project is drawn and measured."""
        minx, _, maxx, _ = self.focus_bounds()
        return metric_crs_for((minx + maxx) / 2)

    def add(self, layer: Layer) -> None:
        self.layers.append(layer)

    def remove(self, layer: Layer) -> None:
        self.layers.remove(layer)


OSM_CREDIT = "© OpenStreetMap contributors (ODbL)"
_OSM_NAME = re.compile(r"(^|[^a-z])osm([^a-z]|$)|openstreetmap", re.IGNORECASE)


def source_credit(info) -> str:
    """The credit a source's licence asks every map to print (OpenStreetMap's ODbL)."""
    names = f"{info.path.name} {info.layer or ''}"
    if _OSM_NAME.search(names) or "osm_id" in info.columns:
        return OSM_CREDIT
    return ""


def display_name(source_name: str, kind) -> str:
    """A layer's name as the user reads it: a Latin-only source name (``rivers``)
    gets the kind's Chinese name in front, so legends and panels read in Chinese."""
    if source_name.isascii():
        return f"{kind.zh}({source_name})"
    return source_name


def make_layer(
    loaded: Loaded,
    kind_id: str | None = None,
    name: str | None = None,
    mapping: dict[str, str] | None = None,
) -> Layer:
    """Wrap a read frame as a layer of a kind (recognised when not given).

    ``mapping`` ({column: field}) is the one the user confirmed in the import
    dialog; without it, columns are matched by name and alias.
    """
    info = loaded.info
    if kind_id is None:
        kind_id, why = recognise_kind(info, info.columns)
        if kind_id is None:
            raise ReadError(
                f"cannot tell which kind of layer this is: {why}",
                path=info.path,
                value=", ".join(info.columns[:8]),
                fix="choose the layer kind in the import dialog or in project.toml",
            )
        info.kind_how = why
    else:
        info.kind_how = "given in the project file"
    kind = get_kind(kind_id)
    if mapping is None:
        mapping = kind.map_columns(info.columns)
    else:
        mapping = {c: f for c, f in mapping.items() if c in info.columns and f}
    info.kind, info.mapping = kind.id, mapping
    frame = loaded.frame
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4490")
    frame = conform(frame, kind, mapping, info)
    for code_field in ("code", "township_code", "county_code"):
        if (
            code_field in frame and kind.field(code_field).type == "str"
            if code_field in kind.field_names
            else False
        ):
            frame[code_field] = frame[code_field].map(normalise_code)
    info.credit = info.credit or source_credit(info)
    label = name or display_name(info.layer or info.path.stem, kind)
    return Layer(name=label, kind=kind, frame=frame, info=info)


def join_by_code(target: Layer, table: Layer) -> tuple[int, list[str]]:
    """Fill a layer's fields from a table without places, matching on ``code``.

    Returns how many rows matched and the codes that matched no feature.
    """
    key = target.kind.key
    left = target.frame
    right = table.frame.drop(columns="geometry", errors="ignore")
    right = right[right[key].notna()].drop_duplicates(key, keep="last").set_index(key)
    index = left[key]
    matched = index.isin(right.index)
    unmatched = sorted(set(right.index) - set(index.dropna()))
    for col in right.columns:
        values = right[col]
        if values.isna().all():
            continue
        if col not in left:
            left[col] = pd.Series(
                [None] * len(left), index=left.index, dtype=values.dtype
            )
        new = index.map(values)
        take = matched & new.notna()
        left.loc[take, col] = new[take]
    target.changed()
    return int(matched.sum()), unmatched


def _entry_layers(entry: dict, project_file: Path, near_lon) -> list[Layer]:
    """The layers of one ``[[layers]]`` entry; errors name the project file and entry."""
    try:
        return _layer_entry(entry, project_file.parent, near_lon)
    except ProjectError as exc:
        if exc.path is not None:
            raise
        raise ProjectError(
            f"[[layers]] path = {entry.get('path')!r}: {exc.problem}",
            path=project_file,
            value=exc.value,
            fix=exc.fix,
        ) from exc


def _layer_entry(entry: dict, base: Path, near_lon: float | None) -> list[Layer]:
    path = (base / entry["path"]).resolve()
    loaded = read_source(
        path,
        entry.get("layer"),
        encoding=entry.get("encoding"),
        crs=entry.get("crs"),
        near_lon=near_lon,
    )
    layers = [make_layer(item, entry.get("kind"), entry.get("name")) for item in loaded]
    for layer in layers:
        layer.info.credit = entry.get("credit", layer.info.credit)
    return layers


def load_project(path) -> Project:
    """A project from a project file, a folder of layer files, or a list of files."""
    if isinstance(path, (list, tuple)):
        return assemble([Path(p) for p in path])
    path = Path(path)
    if path.is_dir():
        toml = path / "project.toml"
        if toml.exists():
            return load_project_file(toml)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        if not files:
            raise ProjectError(
                "the folder holds no layer files",
                path=path,
                fix=f"put files ending in {', '.join(sorted(SUFFIXES))} in it",
            )
        return assemble(files)
    if path.suffix.lower() == ".toml":
        return load_project_file(path)
    return assemble([path])


PROJECT_TABLES = {
    "project": "[project]",
    "layers": "[[layers]]",
    "periods": "[[periods]]",
}


def load_project_file(path: Path) -> Project:
    if not path.exists():
        raise ProjectError(
            "the project file does not exist",
            path=path,
            value=str(path.absolute()),
            fix="check the path and the file name (project.toml)",
        )
    raw, encoding = load_toml(path, "the project file", ProjectError)
    unknown = _unknown_tables(raw)
    if not raw.get("layers"):
        raise _no_layers(path, raw, unknown)
    meta = raw.get("project", {})
    project = Project(
        title=meta.get("title", DEFAULT_TITLE),
        subtitle=meta.get("subtitle", ""),
        office=meta.get("office", ""),
        rules=meta.get("rules"),
        path=path,
        sources=[path]
        + [
            (path.parent / e["path"]).resolve()
            for e in raw.get("layers", [])
            if "path" in e
        ]
        + [
            (path.parent / e["path"]).resolve()
            for e in raw.get("periods", [])
            if "path" in e
        ],
    )
    if encoding != "utf-8":
        label = "GBK (GB18030)" if encoding == "gb18030" else encoding.upper()
        project.messages.append(
            f"{path.name}: 项目文件不是 UTF-8,已按 {label} 读取 "
            f"(the project file was read as {label} text); to avoid this, {SAVE_AS_UTF8}"
        )
    project.messages += [
        f"{path.name}: 已忽略 {table} (not a part of a project file)"
        for table in unknown
    ]
    near_lon = meta.get("near_lon")
    joins: list[tuple[Layer, str]] = []
    for entry in raw.get("layers", []):
        if "path" not in entry:
            raise ProjectError(
                "a [[layers]] entry has no path",
                path=path,
                value=entry,
                fix='add path = "…"',
            )
        for layer in _entry_layers(entry, path, near_lon):
            layer.visible = bool(entry.get("visible", True))
            if entry.get("join"):
                joins.append((layer, entry["join"]))
            else:
                project.add(layer)
    for table, kind_id in joins:
        _apply_join(project, table, kind_id)
    _load_periods(project, raw, path, meta)
    return project


def _no_layers(path: Path, raw: dict, unknown: list[str]) -> ProjectError:
    """The error for a project file without layers, naming what it holds instead."""
    found = [PROJECT_TABLES[k] for k in raw if k in PROJECT_TABLES]
    meant = [u.split(":")[0] for u in unknown if u.endswith("[[layers]]?")]
    fix = 'add a [[layers]] table for each layer file, with path = "…" and kind = "…"'
    if meant:
        fix = f"write [[layers]] instead of {', '.join(meant)}"
    return ProjectError(
        "the project file lists no [[layers]]",
        path=path,
        value="; ".join(unknown + found) or "(empty file)",
        fix=fix,
    )


def _unknown_tables(raw: dict) -> list[str]:
    """Top-level tables and keys a project file does not have, each with the
    known table it was probably meant to be."""
    out = []
    for key, value in raw.items():
        if key in PROJECT_TABLES:
            continue
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            written = f"[[{key}]]"
        else:
            written = f"[{key}]" if isinstance(value, dict) else f"{key} = …"
        close = difflib.get_close_matches(key.lower(), PROJECT_TABLES, n=1, cutoff=0.6)
        if close:
            written += f": did you mean {PROJECT_TABLES[close[0]]}?"
        out.append(written)
    return out


def _load_periods(project: Project, raw: dict, path: Path, meta: dict) -> None:
    """The project's layers as loaded are period ``[project] period``; each
    ``[[periods]]`` entry is a later list joined by code onto the period before.
    Entries sharing a name (a village list and a road list of one year) make one
    period."""
    entries = raw.get("periods", [])
    if not entries and "period" not in meta:
        return
    base = meta.get("period")
    if base is None:
        base = parse_period(str(entries[0].get("name", "")))[0] - 1
    project.history.snapshot(project, str(base))
    project.period = str(base)
    for entry in entries:
        if "name" not in entry or "path" not in entry:
            raise ProjectError(
                "a [[periods]] entry needs a name and a path",
                path=path,
                value=entry,
                fix='write name = "2016" and path = "periods/2016.xlsx"',
            )
        kind_id = entry.get("kind", "village")
        for table in _layer_entry({**entry, "kind": kind_id}, path.parent, None):
            _check_period_list(table, entry["name"])
            amend = str(entry["name"]) in project.history.names()
            project.messages += _add_list(
                project.history, str(entry["name"]), table, amend=amend
            )


def _check_period_list(table: Layer, period) -> None:
    """A ``[[periods]]`` list must hold the code its rows are joined by."""
    try:
        check_join_key(table)
    except ReadError as exc:
        raise ReadError(
            f"[[periods]] name = {str(period)!r}: {exc.problem}",
            path=exc.path,
            value=exc.value,
            fix=exc.fix,
        ) from None


# A list's own row numbers: not an attribute of the place, not kept in a period.
ROW_NUMBERS = {"序号", "序", "no", "no.", "#"}


def _add_list(history, name: str, table: Layer, base=None, amend=False) -> list[str]:
    """Put one list into period ``name``; what the user should know about it:
    codes that match no place, places it names otherwise, columns that are not
    fields of its kind."""
    notes: list[str] = []
    numbers = [c for c in table.frame.columns if str(c).strip().lower() in ROW_NUMBERS]
    _, unmatched = history.add_from_table(
        name,
        table.frame.drop(columns=numbers),
        table.kind.id,
        base=base,
        amend=amend,
        notes=notes,
    )
    file = table.info.path.name
    if unmatched:
        notes.insert(
            0,
            f"时期 {name} 有 {len(unmatched)} 个代码无对应地点"
            f"(如 {', '.join(unmatched[:5])}),请核对代码",
        )
    unused = [
        c
        for c in table.info.columns
        if c not in table.info.mapping and c not in numbers
    ]
    if unused:
        notes.append(
            f"列 {'、'.join(map(str, unused[:8]))} 不是{table.kind.zh}的标准字段,"
            "已作为附加列保存,不参与缺口核查;如是标准字段,请按图层类型的别名改列名"
            "后重新导入"
        )
    return [f"{file}: {note}" for note in notes]


def period_table(loaded: Loaded, kind_id: str | None = None) -> Layer:
    """One read table of an updated list as a layer of ``kind_id`` (recognised
    when None), checked to hold the code its rows are joined by."""
    table = make_layer(loaded, kind_id)
    check_join_key(table)
    return table


def check_join_key(table: Layer) -> None:
    """Refuse a list whose rows cannot be joined: its key column (村代码 …) is
    missing or has no value in any row."""
    key = table.kind.key
    if key in table.frame and table.frame[key].notna().any():
        return
    zh = table.kind.field(key).zh
    raise ReadError(
        f"the list has no {zh} column to join by",
        path=table.info.path,
        value=", ".join(map(str, table.info.columns[:8])),
        fix=f"add the {zh} column, or name the column as in the layer kinds' aliases",
    )


def add_period_from_lists(
    project: Project, name: str, tables: list[Layer], base: str | None = None
) -> list[str]:
    """A new period ``name``: period ``base`` (default the latest) updated from
    the lists, all into that one period. Returns messages on codes that matched
    no place. Nothing changes when a list cannot be joined."""
    name = str(name)
    if name in project.history.names():
        raise ProjectError(
            "a period of that name exists already; earlier periods are kept unchanged",
            value=name,
            fix="give the new period another name, e.g. the next year or quarter",
        )
    saved = list(project.history.periods)
    messages = []
    try:
        for i, table in enumerate(tables):
            messages += _add_list(project.history, name, table, base, amend=i > 0)
    except Exception:
        project.history.periods[:] = saved
        raise
    return messages


def _apply_join(project: Project, table: Layer, kind_id: str) -> None:
    target = project.first(kind_id)
    if target is None:
        project.messages.append(
            f"{table.info.path.name}: 没有可按代码关联的{get_kind(kind_id).zh}图层 "
            f"(no {kind_id} layer to join its rows to by code); "
            "请先加入带位置的图层"
        )
        return
    by_name = (
        _codes_from_names(project, table, target) if kind_id == "village" else set()
    )
    count, unmatched = join_by_code(target, table)
    text = f"{table.info.path.name}: {_join_words(target, count, by_name)}"
    if unmatched:
        text += f";{len(unmatched)} 个代码无对应要素(如 {', '.join(unmatched[:5])})"
    project.messages.append(text)


def _join_words(target: Layer, count: int, by_name: set) -> str:
    """How a table's rows were joined to ``target``: by code, by name, or both."""
    named = int(target.frame[target.kind.key].isin(by_name).sum()) if by_name else 0
    if not named:
        return f"按代码关联到「{target.name}」{count} 行"
    if named == count:
        return f"无代码,按乡镇内村名关联到「{target.name}」{count} 行"
    return (
        f"关联到「{target.name}」{count} 行({count - named} 行按代码,"
        f"{named} 行无代码、按乡镇内村名)"
    )


def _codes_from_names(project: Project, table: Layer, target: Layer) -> set:
    """Give rows without a village code the code of the village of that name in
    their township; name the ambiguous and unmatched rows. Returns the codes
    given by name."""
    frame = table.frame
    if "name" not in frame or not (frame["code"].isna() & frame["name"].notna()).any():
        return set()
    towns = [c for c in ("township_code", "township") if c in frame]
    town = next((c for c in towns if frame[c].notna().any()), None)
    labels = [row_number(i, table.info) for i in frame.index]
    matched, report = join_villages(
        frame,
        target.frame,
        code_col="code",
        name_col="name",
        township_col=town,
        row_labels=labels,
    )
    missing = frame["code"].isna() & matched["code"].notna()
    frame.loc[missing, "code"] = matched.loc[missing, "code"]
    text = f"{table.info.path.name}: {int(missing.sum())} 行无代码,按乡镇内村名匹配"
    if report.ambiguous:
        rows = ", ".join(r["row"] for r in report.ambiguous[:8])
        text += f";{len(report.ambiguous)} 个村名对应多个村(第 {rows} 行),请补充乡镇"
    if report.unmatched:
        rows = ", ".join(r["row"] for r in report.unmatched[:8])
        text += f";{len(report.unmatched)} 行找不到对应的村(第 {rows} 行)"
    project.messages.append(text)
    return set(frame.loc[missing, "code"]) - set(frame.loc[~missing, "code"].dropna())


def _default_title(project: Project) -> str:
    """The battle map's title from the place the layers cover: the city, else a county."""
    for kind_id in ("city", "county"):
        names = [
            n
            for lyr in project.layers_of(kind_id)
            if lyr.name in (kind_id, lyr.info.path.stem) or len(lyr.frame) == 1
            for n in lyr.frame["name"].dropna().unique()
        ]
        if len(names) == 1:
            return f"{names[0]}{DEFAULT_TITLE}"
    return DEFAULT_TITLE


def assemble(paths: list[Path]) -> Project:
    """A project from loose files, each recognised as a layer kind.

    Tables without places join the village layer by code. A file that cannot be
    read is reported in ``messages`` and the rest still load.
    """
    project = Project(sources=[Path(p) for p in paths])
    tables: list[Layer] = []
    read: list[tuple[Path, list[Loaded]]] = []
    failures: list[GisAppError] = []
    for path in paths:
        try:
            read.append((path, read_source(path)))
        except GisAppError as exc:
            failures.append(exc)
            project.messages.append(exc.message())
    # Plain Gauss-Krüger eastings fit every zone: read them again near the layers
    # whose CRS is declared.
    area = trusted_area([item for _, items in read for item in items])
    for path, items in read:
        try:
            if area is not None and any(zone_was_guessed(i.info) for i in items):
                items = read_source(path, near_bounds=area)
            for loaded in items:
                layer = make_layer(loaded)
                if not layer.has_geometry:
                    tables.append(layer)
                else:
                    project.add(layer)
        except GisAppError as exc:
            failures.append(exc)
            project.messages.append(exc.message())
    project.messages.extend(offset_messages(project.layers))
    for table in tables:
        _apply_join(project, table, table.kind.id)
    project.title = _default_title(project)
    if not project.layers:
        if len(failures) == 1 and len(paths) == 1:
            raise failures[0]
        problems = [f"{e.path.name if e.path else ''}: {e.problem}" for e in failures]
        problems += [f"{t.info.path.name}: 没有坐标/no places" for t in tables]
        raise ProjectError(
            "none of the files could be used as a map layer",
            value="; ".join(problems[:4]),
            fix="add files with places (GeoPackage, Shapefile, GeoJSON, KML, "
            "or a table with 经度/纬度 columns)",
        )
    return project

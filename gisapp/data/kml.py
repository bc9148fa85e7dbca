"""Read KML and KMZ as Google Earth and 两步路 write them.

Every Folder becomes a layer named by its path (``通村道路/待硬化路段``) with the path
also in a ``folder`` column; empty parent folders give no layer. Placemark name and
description are kept; ExtendedData keeps its Chinese names exactly (typed
``SchemaData`` and untyped ``Data`` alike), and a name that would collide with
another column is numbered and reported. Altitudes are kept as Z only in layers
where some altitude is not zero.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from gisapp.data.encoding import guess_bytes
from gisapp.data.source import SourceInfo
from gisapp.errors import ReadError

log = logging.getLogger(__name__)

_FAMILY = {"Point": "点", "LineString": "线", "Polygon": "面"}
_BASE_COLUMNS = ("name", "description", "folder")


def _tag(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _child(el, name):
    for c in el:
        if _tag(c) == name:
            return c
    return None


def _children(el, name):
    return [c for c in el if _tag(c) == name]


def _text(el, name) -> str | None:
    c = _child(el, name)
    if c is None or c.text is None:
        return None
    return c.text.strip()


def kml_bytes(path: Path) -> bytes:
    """The KML document of a .kml or .kmz file."""
    if path.suffix.lower() != ".kmz":
        return path.read_bytes()
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".kml")]
            if not names:
                raise ReadError(
                    "the KMZ holds no .kml document",
                    path=path,
                    fix="export it again from Google Earth or 两步路",
                )
            name = "doc.kml" if "doc.kml" in names else names[0]
            return zf.read(name)
    except zipfile.BadZipFile as exc:
        raise ReadError(
            "the KMZ is not a valid zip archive",
            path=path,
            value=str(exc),
            fix="check that it was fully copied",
        ) from exc


def _parse(path: Path) -> ET.Element:
    raw = kml_bytes(path)
    try:
        return ET.fromstring(raw)
    except ET.ParseError as first:
        enc, _, _ = guess_bytes(raw)
        text = raw.decode(enc.replace("-sig", ""), "replace").lstrip("\ufeff")
        text = re.sub(r"^<\?xml[^>]*\?>", "", text.lstrip())
        try:
            return ET.fromstring(text)
        except ET.ParseError:
            raise ReadError(
                "the KML is not well-formed XML",
                path=path,
                value=str(first),
                fix="open it in Google Earth and save it again",
            ) from first


@dataclass
class _Feature:
    folder: str
    props: dict
    geom: object
    family: str


@dataclass
class _State:
    schemas: dict = field(default_factory=dict)
    features: list = field(default_factory=list)
    renamed: set = field(default_factory=set)


def _coords(text: str | None) -> list[tuple[float, ...]]:
    if not text:
        return []
    out = []
    for token in text.replace("\n", " ").split():
        parts = [float(p) for p in token.split(",") if p != ""]
        if len(parts) >= 2:
            out.append(
                tuple(parts[:3]) if len(parts) >= 3 else (parts[0], parts[1], 0.0)
            )
    return out


def _geometry(el):
    """A shapely geometry (with Z) from a KML geometry element, or None."""
    tag = _tag(el)
    if tag == "Point":
        pts = _coords(_text(el, "coordinates"))
        return shapely.Point(pts[0]) if pts else None
    if tag in ("LineString", "LinearRing"):
        pts = _coords(_text(el, "coordinates"))
        return shapely.LineString(pts) if len(pts) >= 2 else None
    if tag == "Polygon":
        outer = _child(el, "outerBoundaryIs")
        ring = _child(outer, "LinearRing") if outer is not None else None
        shell = _coords(_text(ring, "coordinates")) if ring is not None else []
        if len(shell) < 3:
            return None
        holes = []
        for inner in _children(el, "innerBoundaryIs"):
            for r in _children(inner, "LinearRing"):
                pts = _coords(_text(r, "coordinates"))
                if len(pts) >= 3:
                    holes.append(pts)
        return shapely.Polygon(shell, holes)
    if tag == "Track":
        pts = []
        for c in el:
            if _tag(c) == "coord" and c.text:
                vals = [float(v) for v in c.text.split()]
                if len(vals) >= 2:
                    pts.append((vals[0], vals[1], vals[2] if len(vals) > 2 else 0.0))
        return shapely.LineString(pts) if len(pts) >= 2 else None
    if tag in ("MultiGeometry", "MultiTrack"):
        parts = [g for g in (_geometry(c) for c in el) if g is not None]
        if not parts:
            return None
        kinds = {p.geom_type for p in parts}
        if kinds == {"Point"}:
            return shapely.MultiPoint(parts)
        if kinds == {"LineString"}:
            return shapely.MultiLineString(parts)
        if kinds == {"Polygon"}:
            return shapely.MultiPolygon(parts)
        return shapely.GeometryCollection(parts)
    return None


_GEOM_TAGS = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
    "Track",
    "MultiTrack",
)


def _placemark(el, folder: str, state: _State) -> None:
    props: dict = {"name": _text(el, "name"), "description": _text(el, "description")}
    ext = _child(el, "ExtendedData")
    if ext is not None:
        for sd in _children(ext, "SchemaData"):
            types = state.schemas.get(sd.get("schemaUrl", "").lstrip("#"), {})
            for d in _children(sd, "SimpleData"):
                key = d.get("name") or "字段"
                _put(props, key, _typed(d.text, types.get(key)), state)
        for d in _children(ext, "Data"):
            key = d.get("name") or d.get("displayName") or "字段"
            _put(props, key, _text(d, "value"), state)
    geom = None
    for c in el:
        if _tag(c) in _GEOM_TAGS:
            geom = _geometry(c)
            break
    family = "None"
    if geom is not None:
        family = geom.geom_type.replace("Multi", "")
        if family == "GeometryCollection":
            family = "Mixed"
    state.features.append(_Feature(folder, props, geom, family))


def _put(props: dict, key: str, value, state: _State) -> None:
    name, n = key, 1
    while name in props or name in _BASE_COLUMNS[2:]:
        n += 1
        name = f"{key}_{n}"
    if name != key:
        state.renamed.add(f"{key} → {name}")
    props[name] = value


def _typed(text, kind):
    if text is None:
        return None
    text = text.strip()
    if kind in ("int", "uint", "short", "ushort"):
        try:
            return int(text)
        except ValueError:
            return text
    if kind in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            return text
    return text


def _walk(el, path: list[str], state: _State) -> None:
    for c in el:
        tag = _tag(c)
        if tag == "Schema":
            sid = c.get("id") or c.get("name") or ""
            state.schemas[sid] = {
                f.get("name"): (f.get("type") or "string").lower()
                for f in _children(c, "SimpleField")
            }
        elif tag == "Folder":
            _walk(c, [*path, _text(c, "name") or "未命名文件夹"], state)
        elif tag == "Document":
            _walk(c, path, state)
        elif tag == "Placemark":
            _placemark(c, "/".join(path), state)


def _collect(path: Path) -> tuple[_State, str]:
    root = _parse(path)
    state = _State()
    _walk(root, [], state)
    doc = None
    for el in root.iter():
        if _tag(el) == "Document":
            doc = _text(el, "name")
            break
    return state, doc or path.stem


def _layer_name(folder: str, family: str, mixed: bool, default: str) -> str:
    name = folder or default
    return f"{name}·{_FAMILY.get(family, family)}" if mixed else name


def _groups(state: _State, default: str) -> dict[str, list[_Feature]]:
    by_folder: dict[str, dict[str, list]] = {}
    for f in state.features:
        by_folder.setdefault(f.folder, {}).setdefault(f.family, []).append(f)
    out: dict[str, list[_Feature]] = {}
    for folder, fams in by_folder.items():
        real = {k: v for k, v in fams.items() if k != "None"}
        empty = fams.get("None", [])
        if len(real) <= 1:
            out[_layer_name(folder, "", False, default)] = [
                *sum(real.values(), []),
                *empty,
            ]
        else:
            for fam, feats in real.items():
                out[_layer_name(folder, fam, True, default)] = feats
            if empty:
                out[_layer_name(folder, "无几何", True, default)] = empty
    return out


def kml_layers(path: Path) -> list[str]:
    """The layers of a KML/KMZ: one per folder (and geometry family) with placemarks."""
    state, doc = _collect(path)
    return list(_groups(state, doc))


def read_kml(
    path: Path, layer: str | None = None
) -> list[tuple[gpd.GeoDataFrame, SourceInfo]]:
    """Frames (EPSG:4326) and source facts of a KML/KMZ, one per folder."""
    state, doc = _collect(path)
    groups = _groups(state, doc)
    if not groups:
        raise ReadError(
            "the KML holds no placemarks",
            path=path,
            fix="check that the right file was exported",
        )
    if layer is not None and layer not in groups:
        raise ReadError(
            "the KML has no such folder",
            path=path,
            value=layer,
            fix=f"choose one of {', '.join(groups)}",
        )
    fmt = "KMZ" if path.suffix.lower() == ".kmz" else "KML"
    out = []
    for name, feats in groups.items():
        if layer is not None and name != layer:
            continue
        rows = [{**f.props, "folder": f.folder or doc} for f in feats]
        frame = pd.DataFrame(rows)
        front = [c for c in _BASE_COLUMNS if c in frame.columns]
        frame = frame[front + [c for c in frame.columns if c not in front]]
        geoms = [f.geom for f in feats]
        present = [g for g in geoms if g is not None]
        if present and not any(
            abs(z) > 0 for z in shapely.get_coordinates(present, include_z=True)[:, 2]
        ):
            geoms = [None if g is None else shapely.force_2d(g) for g in geoms]
        gdf = gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")
        info = SourceInfo(path=path, format=fmt, layer=name)
        info.encoding, info.encoding_how = (
            "utf-8",
            "KML is XML; its declaration names the encoding",
        )
        if state.renamed:
            info.warn(
                "ExtendedData names that collide with other columns were numbered: "
                + "; ".join(sorted(state.renamed))
            )
        out.append((gdf, info))
    return out

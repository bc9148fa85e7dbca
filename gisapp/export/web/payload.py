"""A project layer as the data the web page draws: geometry, columns, style, legend."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.export.web import geometry as geo
from gisapp.export.web.values import dumps_strict, encode_column, has_values
from gisapp.model.kinds import LayerKind
from gisapp.model.style import Style, _category_key, layer_style, status_colours

log = logging.getLogger(__name__)

#: Screen pixels per millimetre of the wall map's symbol sizes.
PX_PER_MM = 3.78

GROUPS = {
    "city": "行政区划",
    "county": "行政区划",
    "township": "行政区划",
    "village": "村庄与搬迁",
    "relocation_site": "村庄与搬迁",
    "road": "交通",
    "bridge": "交通",
    "water_works": "饮水",
    "water_pipe": "饮水",
    "river": "水系",
    "lake": "水系",
    "power_line": "电力",
    "substation": "电力",
    "other": "参考图层",
}
GROUP_ORDER = ["村庄与搬迁", "交通", "饮水", "电力", "水系", "行政区划", "参考图层"]

#: Screen pixels per point of the wall map's label sizes, and the pixel range kept:
#: labels sized for paper read small on a screen.
PX_PER_PT = 1.5
LABEL_PX = (11.0, 22.0)

#: Which labels are placed first (smaller first), as on the printed map; a village
#: with a large gap goes half a rank ahead, one that is not poor after all others.
LABEL_RANK = {
    "village": 0,
    "township": 1,
    "county": 2,
    "relocation_site": 3,
    "river": 4,
}
OTHER_RANK = 5

#: Zoom from which a kind's labels are shown: counties and townships at the city's
#: view (about zoom 9), villages once a county fills the screen.
LABEL_MIN_ZOOM = {
    "county": 7.0,
    "township": 8.5,
    "river": 9.0,
    "village": 10.5,
    "relocation_site": 11.0,
}
OTHER_MIN_ZOOM = 11.5

_DASH = {
    "dash": "6 4",
    "dot": "1.5 3",
    "dashdot": "8 3 1.5 3",
    "dashdotdot": "8 3 1.5 3 1.5 3",
}
_HIDDEN = {"geometry"}


def _colour(value, default="#333333") -> tuple[str, float]:
    """``#rrggbb`` and an opacity from ``#rrggbb`` or ``#rrggbbaa``."""
    text = str(value or default)
    if len(text) == 9 and text.startswith("#"):
        return text[:7], int(text[7:], 16) / 255
    return text, 1.0


def page_symbol(symbol: dict, family: str) -> dict:
    """A wall-map symbol (mm, hex colours) as page units for one geometry family."""
    out: dict = {}
    if family == geo.POINT:
        fill, fill_a = _colour(symbol.get("fill"), "#888888")
        stroke, stroke_a = _colour(symbol.get("stroke"), "#333333")
        out = {
            "shape": symbol.get("shape", "circle"),
            "r": round(max(symbol.get("size_mm", 2.0) * PX_PER_MM / 2, 2.5), 1),
            "fill": fill,
            "fo": round(fill_a, 2),
            "color": stroke,
            "o": round(stroke_a, 2),
            "w": round(max(symbol.get("stroke_mm", 0.2) * PX_PER_MM, 0.5), 2),
        }
    elif family == geo.LINE:
        stroke, stroke_a = _colour(symbol.get("stroke") or symbol.get("outline"))
        out = {
            "color": stroke,
            "o": round(stroke_a, 2),
            "w": round(
                max(
                    symbol.get("stroke_mm", symbol.get("outline_mm", 0.3)) * PX_PER_MM,
                    1.0,
                ),
                2,
            ),
        }
    else:
        fill, fill_a = _colour(symbol.get("fill"), "#00000000")
        line = symbol.get("outline") or symbol.get("stroke") or "#555555"
        stroke, stroke_a = _colour(line)
        width = symbol.get("outline_mm", symbol.get("stroke_mm", 0.2))
        if "outline" not in symbol and "shape" in symbol:
            # A point style applied to areas (villages drawn as polygons).
            fill_a, width = min(fill_a, 0.75), 0.25
            stroke, stroke_a = "#ffffff", 1.0
        out = {
            "fill": fill,
            "fo": round(fill_a, 2),
            "color": stroke,
            "o": round(stroke_a, 2),
            "w": round(max(width * PX_PER_MM, 0.5), 2),
        }
        if "shape" in symbol:  # drawn as this marker where smaller than it
            out["marker"] = page_symbol(symbol, geo.POINT)
    dash = symbol.get("dash")
    if dash in _DASH and family != geo.POINT:
        out["dash"] = _DASH[dash]
    return out


def label_style(spec: dict | None, kind: str, columns) -> dict | None:
    """How the page labels a layer, from its style's ``label`` table.

    Parameters
    ----------
    spec : dict or None
        The style's ``label`` table: ``field``, ``size_pt``, ``bold``, ``italic``,
        ``color`` and ``only`` (a column that must be true for a label).
    kind : str
        The layer's kind, which sets the rank and the zoom the labels start at.
    columns : collection of str
        The columns the page holds for the layer.

    Returns
    -------
    dict or None
        ``field``, ``px`` (font size in pixels), ``bold``, ``italic``, ``color``,
        ``only``, ``rank`` and ``minZoom``; ``None`` when the style has no label or
        the page lacks its field or its ``only`` column.
    """
    if not spec or spec.get("field") not in columns:
        return None
    only = spec.get("only") or None
    if only is not None and only not in columns:
        return None
    size = float(spec.get("size_pt", 8)) * PX_PER_PT
    color, _ = _colour(spec.get("color"), "#222222")
    return {
        "field": spec["field"],
        "px": round(min(max(size, LABEL_PX[0]), LABEL_PX[1]), 1),
        "bold": bool(spec.get("bold")),
        "italic": bool(spec.get("italic")),
        "color": color,
        "only": only,
        "rank": LABEL_RANK.get(kind, OTHER_RANK),
        "minZoom": LABEL_MIN_ZOOM.get(kind, OTHER_MIN_ZOOM),
    }


def _field_labels(kind: LayerKind) -> dict[str, tuple[str, dict | None]]:
    labels = {}
    for f in kind.fields:
        enum = {code: zh for code, (zh, _) in f.values.items()} if f.values else None
        labels[f.name] = (f.zh, enum)
    return labels


def _popup_columns(frame: pd.DataFrame, kind: LayerKind) -> list[str]:
    """Canonical fields first, then the source's columns; empty columns left out."""
    canonical = [f for f in kind.field_names if f in frame.columns]
    others = [c for c in frame.columns if c not in canonical and c not in _HIDDEN]
    keep = []
    for column in canonical + others:
        if str(column).startswith("_"):
            continue
        if not has_values(frame[column]):
            continue
        keep.append(column)
    return keep


@dataclass
class LayerData:
    """A layer's page data; geometry is re-encoded at each simplification level."""

    id: str
    name: str
    kind: LayerKind
    style: Style
    frame: gpd.GeoDataFrame
    visible: bool
    searchable: bool = False
    parts: dict = field(default_factory=dict)
    level: tuple[float, int] = (0.0, 6)
    _static: dict | None = None
    _static_size: int = 0
    _parts_size: int = 0

    @property
    def drawable(self) -> int:
        fam = geo.families(self.frame.geometry.values)
        return int((fam != "").sum())

    def static(self) -> dict:
        """Everything but geometry: columns, style, legend (computed once)."""
        if self._static is None:
            self._static = self._build_static()
            self._static_size = len(dumps_strict(self._static).encode("utf-8"))
        return self._static

    def _build_static(self) -> dict:
        frame = self.frame
        labels = _field_labels(self.kind)
        columns = _popup_columns(frame, self.kind)
        fields, cols = [], {}
        for column in columns:
            zh, enum = labels.get(column, (str(column), None))
            encoded = encode_column(frame[column], enum)
            fields.append({"n": str(column), "zh": zh, "t": encoded["t"]})
            cols[str(column)] = encoded
        style = self.style
        present = set()
        cats: list = []
        category = None
        if style.category_field and style.category_field in frame.columns:
            keys = [_category_key(v) for v in frame[style.category_field].tolist()]
            order = list(style.categories)
            index = {k: i for i, k in enumerate(order)}
            category = [index.get(k, -1) for k in keys]
            present = {k for k in keys if k in index}
            cats = order
        fams = sorted(set(geo.families(frame.geometry.values)) - {""})
        symbols = {}
        for fam in fams:
            symbols[fam] = {
                "base": page_symbol(style.symbol, fam),
                "cats": [page_symbol(style.symbol_for(k), fam) for k in cats],
            }
        legend = []
        if category is not None and present:
            for key in cats:
                if key in present:
                    legend.append(
                        {
                            "label": style.categories[key].get("zh", key),
                            "cat": cats.index(key),
                        }
                    )
            if any(i < 0 for i in category):
                legend.append({"label": "其他", "cat": -1})
        else:
            legend.append(
                {
                    "label": self.kind.zh if self.name == self.kind.id else self.name,
                    "cat": -1,
                }
            )
        label_field = style.label.get("field", "name") if style.label else "name"
        if label_field not in cols:
            label_field = (
                "name" if "name" in cols else (fields[0]["n"] if fields else None)
            )
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.id,
            "kindZh": self.kind.zh,
            "group": GROUPS.get(self.kind.id, "参考图层"),
            "order": self.style.order,
            "visible": self.visible,
            "search": self.searchable,
            "count": len(frame),
            "fields": fields,
            "cols": cols,
            "label": label_field,
            "labelStyle": label_style(style.label, self.kind.id, cols),
            "catField": style.category_field if category is not None else None,
            "cat": category,
            "symbols": symbols,
            "legend": legend,
        }

    def encode(self, metres: float, decimals: int, gcj02: bool) -> None:
        """Encode the geometry at a simplification level."""
        geoms = self.frame.geometry.values
        geoms = np.asarray(geoms, dtype=object)
        fams = geo.families(geoms)
        self.parts = {}
        for fam in (geo.AREA, geo.LINE, geo.POINT):
            rows = np.flatnonzero(fams == fam)
            if not len(rows):
                continue
            simple = geo.simplify(geoms[rows], fam, metres)
            encoded = geo.encode(simple, fam, decimals, gcj02)
            part = encoded.as_json()
            if len(rows) != len(geoms):
                part["rows"] = rows.tolist()
            self.parts[fam] = part
        self.level = (metres, decimals)
        # Digits and punctuation only: characters are bytes.
        self._parts_size = len(dumps_strict(list(self.parts.values())))

    def as_json(self) -> dict:
        return {**self.static(), "parts": list(self.parts.values())}

    def size(self) -> int:
        """Bytes this layer adds to the page."""
        self.static()
        return self._static_size + self._parts_size

    @property
    def vertices(self) -> int:
        return sum(len(p["c"]) // 2 for p in self.parts.values())

    @property
    def simplifiable(self) -> bool:
        return any(f != geo.POINT for f in self.parts)


def status_legend() -> dict:
    return {
        k: {"zh": v["zh"], "color": v["color"]} for k, v in status_colours().items()
    }


def layer_data(layer, frame: gpd.GeoDataFrame, searchable: bool) -> LayerData:
    return LayerData(
        id=layer.id,
        name=layer.name,
        kind=layer.kind,
        style=layer_style(layer),
        frame=frame,
        visible=bool(layer.visible),
        searchable=searchable,
    )

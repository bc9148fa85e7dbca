"""Styles declared as data in the top-level ``styles/`` folder.

A style gives a base symbol for a layer kind, optional categories on one field that
override it, and a label. Colours are hex strings (#rrggbb or #rrggbbaa). A layer
may carry its own style (chosen in the style editor, saved with the project); it is
drawn in that one, other layers of its kind keep the kind's.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gisapp.paths import STYLES_DIR


@dataclass(frozen=True)
class Style:
    kind: str
    order: int
    symbol: dict
    category_field: str | None = None
    categories: dict = field(default_factory=dict)
    label: dict = field(default_factory=dict)

    def symbol_for(self, value) -> dict:
        """The symbol of a feature whose category field holds ``value``."""
        if self.category_field is None:
            return self.symbol
        key = _category_key(value)
        if key in self.categories:
            return {**self.symbol, **self.categories[key]}
        return self.symbol

    def legend(self, present=None) -> list[tuple[str, dict]]:
        """Legend rows ``(label, symbol)``, only for categories in ``present``."""
        if self.category_field is None:
            return [("", self.symbol)]
        keys = [k for k in self.categories if present is None or k in present]
        return [(self.categories[k].get("zh", k), self.symbol_for(k)) for k in keys]


def _category_key(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        if value != value:  # NaN, pandas NA raises TypeError
            return ""
    except TypeError:
        return ""
    return str(value)


def category_keys(series) -> set[str]:
    """The category keys present in a column."""
    return {_category_key(v) for v in series.tolist()}


@cache
def load_styles(folder: Path = STYLES_DIR) -> dict[str, Style]:
    styles = {}
    for path in sorted(folder.glob("*.toml")):
        if path.stem == "status":
            continue
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
        cats = raw.get("categories", {})
        styles[raw["kind"]] = Style(
            kind=raw["kind"],
            order=int(raw.get("order", 50)),
            symbol=raw.get("symbol", {}),
            category_field=cats.get("field"),
            categories=cats.get("values", {}),
            label=raw.get("label", {}),
        )
    return styles


@cache
def status_colours(folder: Path = STYLES_DIR) -> dict[str, dict]:
    """Gap status (red, yellow, green, none) → colour and names."""
    with (folder / "status.toml").open("rb") as fh:
        return tomllib.load(fh)["status"]


def style_for(kind_id: str) -> Style:
    """The style of a layer kind, as declared in ``styles/``."""
    styles = load_styles()
    if kind_id in styles:
        return styles[kind_id]
    return Style(
        kind=kind_id, order=50, symbol={"stroke": "#333333", "fill": "#cccccc"}
    )


def layer_style(layer) -> Style:
    """The style a layer is drawn in: its own when it has one, else its kind's."""
    if layer.style is not None:
        return layer.style
    return style_for(layer.kind.id)

"""Print layouts: page sizes and the placement of every item on a sheet.

A layout is a TOML file in ``styles/layouts/`` (or anywhere the user keeps a
copy): the page it was drawn for, then one ``[[item]]`` per box with its type
and rectangle in millimetres from the top-left corner of that page. On another
page size or orientation the rectangles are scaled with the page and text sizes
with its diagonal, so one layout serves A0 to A4.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from gisapp.errors import ExportError
from gisapp.paths import STYLES_DIR
from gisapp.tomlfile import read_toml

log = logging.getLogger(__name__)

LAYOUTS_DIR = STYLES_DIR / "layouts"

#: ISO 216 sizes, portrait, millimetres.
PAGE_SIZES = {
    "A0": (841.0, 1189.0),
    "A1": (594.0, 841.0),
    "A2": (420.0, 594.0),
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
}

ITEM_TYPES = {
    "title",
    "subtitle",
    "text",
    "classification",
    "map",
    "legend",
    "inset",
    "township_table",
    "exit_chart",
    "unit_table",
    "village_cards",
    "village_card",
    "notes",
    "sample_note",
}


def page_size_mm(page, orientation: str = "landscape") -> tuple[float, float]:
    """Width and height in millimetres of ``A0``–``A4``, ``"W×H"`` or a pair.

    Parameters
    ----------
    page : str or tuple of float
        A paper name, a custom size such as ``"1000x700"`` (millimetres), or a pair.
    orientation : str
        ``landscape`` (wider than tall) or ``portrait``; ignored for custom sizes.
    """
    if isinstance(page, (tuple, list)):
        w, h = (float(v) for v in page)
        return w, h
    text = str(page).strip().upper()
    if text in PAGE_SIZES:
        w, h = PAGE_SIZES[text]
        if orientation not in ("landscape", "portrait"):
            raise ExportError(
                "unknown page orientation",
                value=orientation,
                fix="use landscape or portrait",
            )
        return (h, w) if orientation == "landscape" else (w, h)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[X×*]\s*(\d+(?:\.\d+)?)(?:\s*MM)?", text)
    if m:
        w, h = float(m.group(1)), float(m.group(2))
        if not (20 <= w <= 5000 and 20 <= h <= 5000):
            raise ExportError(
                "custom page size out of range",
                value=page,
                fix="use 20 to 5000 mm per side",
            )
        return w, h
    raise ExportError(
        "unknown page size",
        value=page,
        fix="use A0, A1, A2, A3, A4 or a custom size such as 1000x700 (mm)",
    )


@dataclass(frozen=True)
class Item:
    """One box of a layout: type, rectangle (mm) and its settings."""

    type: str
    rect: tuple[float, float, float, float]
    options: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.options.get(key, default)


@dataclass(frozen=True)
class Layout:
    """A page and the items on it."""

    name: str
    width_mm: float
    height_mm: float
    items: tuple[Item, ...]
    texts: dict = field(default_factory=dict)
    extent: str = "focus"
    path: Path | None = None

    def items_of(self, type_: str) -> list[Item]:
        return [it for it in self.items if it.type == type_]

    def first(self, type_: str) -> Item | None:
        found = self.items_of(type_)
        return found[0] if found else None

    def fitted(self, width_mm: float, height_mm: float) -> Layout:
        """This layout on a page of another size: boxes scaled, texts by the diagonal."""
        sx = width_mm / self.width_mm
        sy = height_mm / self.height_mm
        if abs(sx - 1) < 1e-9 and abs(sy - 1) < 1e-9:
            return self
        # Text follows the page less than boxes do: an A3 copy of an A1 map keeps
        # its text readable (√ of the diagonal ratio: 0.71 instead of 0.5).
        st = math.sqrt(
            math.hypot(width_mm, height_mm) / math.hypot(self.width_mm, self.height_mm)
        )
        items = []
        for it in self.items:
            x, y, w, h = it.rect
            opts = dict(it.options)
            for key, value in it.options.items():
                if key.endswith("_pt") and isinstance(value, (int, float)):
                    opts[key] = value * st
            opts["text_scale"] = it.options.get("text_scale", 1.0) * st
            items.append(
                replace(it, rect=(x * sx, y * sy, w * sx, h * sy), options=opts)
            )
        return replace(self, width_mm=width_mm, height_mm=height_mm, items=tuple(items))


def list_layouts(folder: Path = LAYOUTS_DIR) -> list[str]:
    """Names of the layouts shipped with the application."""
    return sorted(p.stem for p in folder.glob("*.toml"))


def load_layout(name_or_path="city", orientation: str | None = None) -> Layout:
    """A layout by name (``city``, ``county``, ``township``) or from a TOML file.

    With ``orientation``, a sibling file ``<name>-portrait.toml`` or
    ``<name>-landscape.toml`` is preferred when the layout was drawn the other way.
    """
    path = Path(name_or_path)
    if path.suffix.lower() != ".toml":
        path = LAYOUTS_DIR / f"{name_or_path}.toml"
    if orientation:
        variant = path.with_name(f"{path.stem}-{orientation}.toml")
        if variant.exists():
            path = variant
    if not path.exists():
        raise ExportError(
            "the layout file does not exist",
            path=path,
            fix=f"use one of {', '.join(list_layouts())} or the path of a copied layout file",
        )
    raw = read_toml(path, "the layout file", ExportError)
    page = raw.get("page", {})
    try:
        width, height = page_size_mm(
            page.get("size", "A1"), page.get("orientation", "landscape")
        )
    except ExportError as exc:
        raise ExportError(
            exc.problem, path=path, value=exc.value, fix=exc.fix
        ) from None
    items = []
    for n, spec in enumerate(raw.get("item", []), start=1):
        kind = spec.get("type")
        if kind not in ITEM_TYPES:
            raise ExportError(
                f"item {n} has an unknown type",
                path=path,
                value=kind,
                fix=f"use one of {', '.join(sorted(ITEM_TYPES))}",
            )
        rect = spec.get("rect")
        if not (
            isinstance(rect, list)
            and len(rect) == 4
            and all(isinstance(v, (int, float)) for v in rect)
        ):
            raise ExportError(
                f"item {n} ({kind}) needs rect = [x, y, width, height] in millimetres",
                path=path,
                value=rect,
                fix="give four numbers, e.g. rect = [12, 40, 600, 540]",
            )
        x, y, w, h = (float(v) for v in rect)
        if (
            w <= 0
            or h <= 0
            or x < 0
            or y < 0
            or x + w > width + 0.01
            or y + h > height + 0.01
        ):
            raise ExportError(
                f"item {n} ({kind}) does not lie on the {width:g}×{height:g} mm page",
                path=path,
                value=rect,
                fix="keep x + width and y + height within the page",
            )
        opts = {k: v for k, v in spec.items() if k not in ("type", "rect")}
        items.append(Item(kind, (x, y, w, h), opts))
    if not any(it.type == "map" for it in items):
        raise ExportError(
            "the layout has no map item",
            path=path,
            fix='add an [[item]] with type = "map"',
        )
    return Layout(
        name=raw.get("name", path.stem),
        width_mm=width,
        height_mm=height,
        items=tuple(items),
        texts=raw.get("texts", {}),
        extent=raw.get("extent", "focus"),
        path=path,
    )

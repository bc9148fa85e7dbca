"""Layer kinds declared as data in the top-level ``layers/`` folder.

A kind says which geometry a layer has, which canonical fields it carries, their
types and Chinese names, and the column names office files use for each field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gisapp.errors import ProjectError
from gisapp.paths import LAYERS_DIR

TYPES = ("str", "int", "float", "bool", "enum", "date")
_TRUE = {
    "是",
    "有",
    "已",
    "已完成",
    "完成",
    "达标",
    "通",
    "true",
    "yes",
    "y",
    "1",
    "t",
    "√",
    "✓",
}
_FALSE = {
    "否",
    "无",
    "未",
    "未完成",
    "不达标",
    "不通",
    "false",
    "no",
    "n",
    "0",
    "f",
    "×",
    "✗",
}


def _squash(text: str) -> str:
    """Fold a column or value name for matching: case, spaces, brackets, units."""
    text = str(text).strip().lower()
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    return re.sub(r"[\s_\-·/：:]", "", text)


@dataclass(frozen=True)
class Field:
    """One canonical field of a layer kind."""

    name: str
    type: str
    zh: str
    aliases: tuple[str, ...] = ()
    unit: str = ""
    values: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def matches(self, column: str) -> bool:
        """Whether an office column name means this field."""
        key = _squash(column)
        names = (self.name, self.zh, *self.aliases)
        return any(key == _squash(n) for n in names if n)

    def value_zh(self, code) -> str:
        """Chinese label of an enum code (the code itself when unknown)."""
        if code in self.values:
            return self.values[code][0]
        return "" if code is None else str(code)

    def to_code(self, raw):
        """Map an office value of an enum field to its canonical code, or None."""
        if raw is None:
            return None
        key = _squash(raw)
        if not key:
            return None
        for code, (zh, aliases) in self.values.items():
            if key in {_squash(code), _squash(zh), *(_squash(a) for a in aliases)}:
                return code
        return None


def parse_bool(raw):
    """Read a yes/no cell as office files write it; None when it says neither."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        if raw != raw:  # NaN
            return None
        return bool(raw)
    key = str(raw).strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


@dataclass(frozen=True)
class LayerKind:
    """What a layer of one kind holds; read from ``layers/<id>.toml``."""

    id: str
    zh: str
    en: str
    geometry: tuple[str, ...]
    fields: tuple[Field, ...]
    hints: tuple[str, ...] = ()
    key: str = "name"
    internal: bool = False

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"layer kind {self.id!r} has no field {name!r}")

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def accepts(self, geom_type: str) -> bool:
        """Whether a geometry type (Multi- and Z variants included) fits the kind."""
        base = geom_type.replace("Multi", "").replace(" Z", "").replace("25D", "")
        return base in self.geometry

    def map_columns(self, columns) -> dict[str, str]:
        """Match source columns to canonical fields: ``{column: field}``.

        A canonical name wins over an alias, and each field takes one column.
        """
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        for exact in (True, False):
            for f in self.fields:
                if f.name in taken:
                    continue
                for col in columns:
                    if col in mapping:
                        continue
                    hit = col == f.name if exact else f.matches(col)
                    if hit:
                        mapping[col] = f.name
                        taken.add(f.name)
                        break
        return mapping


def _load(path: Path) -> LayerKind:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    fields = []
    for f in raw.get("fields", []):
        if f["type"] not in TYPES:
            raise ProjectError(
                f"unknown field type in layer kind {raw['id']}",
                path=path,
                value=f["type"],
                fix=f"use one of {', '.join(TYPES)}",
            )
        values = {
            code: (spec["zh"], tuple(spec.get("aliases", ())))
            for code, spec in f.get("values", {}).items()
        }
        fields.append(
            Field(
                name=f["name"],
                type=f["type"],
                zh=f["zh"],
                aliases=tuple(f.get("aliases", ())),
                unit=f.get("unit", ""),
                values=values,
            )
        )
    return LayerKind(
        id=raw["id"],
        zh=raw["zh"],
        en=raw.get("en", raw["id"]),
        geometry=tuple(raw["geometry"]),
        fields=tuple(fields),
        hints=tuple(raw.get("hints", ())),
        key=raw.get("key", "name"),
        internal=bool(raw.get("internal", False)),
    )


@cache
def all_kinds(folder: Path = LAYERS_DIR) -> dict[str, LayerKind]:
    """Every layer kind declared in the folder, by id."""
    kinds = {}
    for path in sorted(folder.glob("*.toml")):
        kind = _load(path)
        kinds[kind.id] = kind
    if not kinds:
        raise ProjectError(
            "no layer kinds found", path=folder, fix="reinstall the application"
        )
    return kinds


def get_kind(kind_id: str) -> LayerKind:
    """The layer kind with this id; a clear error for an unknown one."""
    kinds = all_kinds()
    if kind_id not in kinds:
        raise ProjectError(
            "unknown layer kind",
            value=kind_id,
            fix="use one of "
            + ", ".join(sorted(k for k, v in kinds.items() if not v.internal)),
        )
    return kinds[kind_id]

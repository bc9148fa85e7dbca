"""Names as the office writes them: short township names, village labels."""

from __future__ import annotations

TOWNSHIP_SUFFIXES = ("管理委员会", "办事处", "街道", "镇", "乡")


def short_township(name: str) -> str:
    """A township name without its suffix: 栗溪镇 → 栗溪."""
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def village_label(short: str) -> str:
    """The display name of a village committee from its short name: 七面山 → 七面山村."""
    return short if short.endswith("村") else short + "村"

"""Reading back what the web map wrote: its embedded data and the URLs it would load."""

from __future__ import annotations

import re
from pathlib import Path

from gisapp.export.web.values import loads_strict

_DATA = re.compile(
    r'<script type="application/json" id="gisapp-data">(.*?)</script>', re.S
)
# What a browser fetches by itself: src attributes, <link href>, CSS url() and @import
# (a link the reader may click, <a href>, is not fetched).
_LOADED = re.compile(
    r"""(?:\bsrc\s*=\s*["']?|<link\b[^>]*?\bhref\s*=\s*["']?|url\(\s*["']?"""
    r"""|@import\s+["']?)(https?:[^"')\s>]+)""",
    re.I,
)


def page_data(path: Path) -> dict:
    """The page's data, parsed strictly (NaN or Infinity raise)."""
    html = Path(path).read_text(encoding="utf-8")
    found = _DATA.findall(html)
    assert len(found) == 1, "the page must hold exactly one data element"
    return loads_strict(found[0])


def loaded_urls(path: Path) -> list[str]:
    """Every http(s) address the page's markup or styles would fetch on opening."""
    return _LOADED.findall(Path(path).read_text(encoding="utf-8"))


def layer(data: dict, name: str) -> dict:
    for item in data["layers"]:
        if item["name"] == name:
            return item
    raise KeyError(name)


def column(layer_json: dict, field: str) -> list:
    """A column's values as the page reads them (dictionary codes resolved)."""
    col = layer_json["cols"][field]
    if "k" in col:
        return [None if v is None else col["k"][v] for v in col["v"]]
    return list(col["v"])

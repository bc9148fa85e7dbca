"""Scripts and styles inlined into the web map, read from installed packages.

Leaflet 1.9.4 comes from the ``js_lib_leaflet`` package (a dependency); its images
are written into its stylesheet as data URIs. The page's own script and style sit
beside this module. Nothing is fetched from a network and nothing is copied into
the repository.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib import resources

from gisapp.errors import ExportError

_LEAFLET = ("js_lib_leaflet", "static/js_lib_leaflet")
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)


def _leaflet_file(name: str):
    package, folder = _LEAFLET
    try:
        root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise ExportError(
            "the Leaflet package is not installed",
            value=package,
            fix="install the application's dependencies again (django-js-lib-leaflet)",
        ) from exc
    path = root
    # one step at a time: a frozen build's namespace path takes one name per call
    for part in (*folder.split("/"), *name.split("/")):
        path = path.joinpath(part)
    if not path.is_file():
        raise ExportError(
            "a Leaflet file is missing from its package",
            value=name,
            fix="reinstall django-js-lib-leaflet",
        )
    return path


@cache
def leaflet_js() -> str:
    text = _leaflet_file("leaflet.js").read_text(encoding="utf-8")
    return _SOURCE_MAP.sub("", text)


@cache
def leaflet_css() -> str:
    """Leaflet's stylesheet with every ``url(images/…)`` as a data URI."""
    text = _leaflet_file("leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        name = match.group(1)
        data = _leaflet_file(f"images/{name}").read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    return re.sub(r"url\(\s*['\"]?images/([\w.\-]+\.png)['\"]?\s*\)", inline, text)


@cache
def page_file(name: str) -> str:
    """The page's own script or style, shipped beside this module."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def script_safe(code: str) -> str:
    """Code that cannot end the ``<script>``/``<style>`` element it is placed in."""
    return re.sub(r"</(script|style)", r"<\\/\1", code, flags=re.IGNORECASE)

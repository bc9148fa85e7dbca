"""The web page: folium's map with Leaflet, the page's code and the data inlined."""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

import folium
from jinja2 import Template

from gisapp.errors import ExportError
from gisapp.export.web import assets
from gisapp.export.web.values import dumps_strict

_HEAD = "<!--gisapp:head-->"
_BODY = "<!--gisapp:body-->"


def build_page(payload: dict, title: str) -> str:
    """The whole HTML page for the payload, with nothing left to fetch.

    folium lays out the map and its start-up script; its CDN assets are dropped,
    and Leaflet, the page's code and the data go in where folium left markers. They
    are put in after folium's template has run, so no attribute is ever read as
    template code.
    """
    lat = (payload["bounds"][0][0] + payload["bounds"][1][0]) / 2
    lon = (payload["bounds"][0][1] + payload["bounds"][1][1]) / 2
    fmap = folium.Map(
        location=[lat, lon],
        zoom_start=9,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,
        zoom_control=True,
    )
    # folium's defaults load from CDNs; Leaflet is inlined instead and the rest unused.
    fmap.default_js = []
    fmap.default_css = []
    root = fmap.get_root()
    root.header.add_child(folium.Element(_HEAD), name="gisapp_head", index=0)
    root.html.add_child(folium.Element(_BODY), name="gisapp_body")
    start = folium.MacroElement()
    start._template = Template(
        "{% macro script(this, kwargs) %}"
        "window.gisappStart({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )
    fmap.add_child(start, name="gisapp_start")
    page = root.render()
    head = "\n".join(
        [
            f"<title>{html.escape(title)}</title>",
            '<meta name="generator" content="gisapp">',
            f"<style>{assets.script_safe(assets.leaflet_css())}</style>",
            f"<style>{assets.script_safe(assets.page_file('webmap.css'))}</style>",
            f"<script>{assets.script_safe(assets.leaflet_js())}</script>",
            f"<script>{assets.script_safe(assets.page_file('webmap.js'))}</script>",
        ]
    )
    data = dumps_strict(payload)
    body = f'<script type="application/json" id="gisapp-data">{data}</script>'
    if page.count(_HEAD) != 1 or page.count(_BODY) != 1:
        raise ExportError(
            "the web page template changed shape",
            value=folium.__version__,
            fix="install the folium version named in the application's dependencies",
        )
    head_at = page.index(_HEAD)
    page = page[:head_at] + head + page[head_at + len(_HEAD) :]
    body_at = page.index(_BODY)
    return page[:body_at] + body + page[body_at + len(_BODY) :]


def write_page(path: Path, text: str) -> None:
    """Write through a temporary file, so a failure leaves any old file as it was."""
    fd, tmp = tempfile.mkstemp(prefix=".webmap-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        # The temporary file is private; a map is meant to be shared like any file.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

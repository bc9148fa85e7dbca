"""Optional online basemaps for the web map.

None is the default: the city's own boundaries are the base and the page needs no
network. Tianditu is served in CGCS2000 with no offset; a web map is Web Mercator,
so its ``_w`` tile sets are used, and a ``_c`` (geographic) choice is switched to
the matching ``_w`` set with a note. A basemap in GCJ-02 (most Chinese commercial
maps) makes the page shift the data for display only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from gisapp.errors import ExportError

log = logging.getLogger(__name__)

_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/DataServer?T={layer}&x={x}&y={y}&l={z}&tk={tk}"
)
_OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_GAODE = (
    "https://webrd0{s}.is.autonavi.com/appmaptile"
    "?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
)
_TDT_SETS = {"vec": "cva", "img": "cia", "ter": "cta"}


@dataclass
class Basemap:
    """Tile layers drawn under the data, with their attribution."""

    name: str
    urls: list[str]
    attribution: str
    subdomains: str = ""
    gcj02: bool = False
    max_zoom: int = 18
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "urls": self.urls,
            "attribution": self.attribution,
            "subdomains": self.subdomains,
            "maxZoom": self.max_zoom,
        }


def _tianditu(spec: dict) -> Basemap:
    key = str(spec.get("key") or spec.get("tk") or "").strip()
    if not key:
        raise ExportError(
            "a Tianditu basemap needs the office's Tianditu key",
            value=spec,
            fix="enter the key (tk) in the basemap settings, or use no basemap",
        )
    if not re.fullmatch(r"[0-9A-Za-z]+", key):
        raise ExportError(
            "the Tianditu key holds characters a key cannot have",
            value=key,
            fix="copy the key again from the Tianditu console",
        )
    layers = spec.get("layers") or ["vec_w", "cva_w"]
    notes = []
    chosen = []
    for layer in layers:
        base, _, matrix = str(layer).partition("_")
        if matrix == "c":
            notes.append(
                f"天地图 {layer} 为经纬度瓦片，网页地图为球面墨卡托，已改用 {base}_w"
            )
            log.warning("Tianditu %s is a geographic tile set; using %s_w", layer, base)
        if base not in _TDT_SETS and base not in _TDT_SETS.values():
            raise ExportError(
                "unknown Tianditu tile set",
                value=layer,
                fix="use vec_w/cva_w, img_w/cia_w or ter_w/cta_w",
            )
        name = f"{base}_w"
        if name not in chosen:
            chosen.append(name)
    urls = [
        _TIANDITU.format(s="{s}", layer=n, x="{x}", y="{y}", z="{z}", tk=key)
        for n in chosen
    ]
    return Basemap(
        name="天地图",
        urls=urls,
        attribution="天地图 © 国家地理信息公共服务平台",
        subdomains="01234567",
        notes=notes,
    )


def resolve_basemap(basemap) -> Basemap | None:
    """A basemap from what the caller gave.

    Parameters
    ----------
    basemap : None, str, dict or Basemap
        ``None``: no basemap. ``"osm"``: OpenStreetMap. ``"gaode"``: Gaode (in
        GCJ-02, so the data are shifted to sit on it). ``"tianditu:KEY"`` or
        ``{"type": "tianditu", "key": ..., "layers": [...]}``: Tianditu.
        ``{"type": "xyz", "url": ..., "attribution": ..., "gcj02": bool}``: any
        tile server, such as an intranet one.
    """
    if basemap is None or isinstance(basemap, Basemap):
        return basemap
    if isinstance(basemap, str):
        text = basemap.strip()
        if text.lower() in ("", "none"):
            return None
        if text.lower() in ("osm", "openstreetmap"):
            basemap = {"type": "osm"}
        elif text.lower() in ("gaode", "amap", "高德"):
            basemap = {"type": "gaode"}
        elif text.lower().startswith("tianditu"):
            basemap = {"type": "tianditu", "key": text.partition(":")[2]}
        elif text.startswith(("http://", "https://")):
            basemap = {"type": "xyz", "url": text}
        else:
            raise ExportError(
                "unknown basemap",
                value=text,
                fix="use none, osm, gaode, tianditu:KEY or a tile URL with {z}/{x}/{y}",
            )
    kind = str(basemap.get("type", "xyz")).lower()
    if kind == "osm":
        return Basemap(
            "OpenStreetMap", [_OSM], "© OpenStreetMap contributors", max_zoom=19
        )
    if kind == "tianditu":
        return _tianditu(basemap)
    if kind in ("gaode", "amap"):
        return Basemap(
            "高德地图", [_GAODE], "© 高德地图", subdomains="1234", gcj02=True
        )
    url = str(basemap.get("url", ""))
    if not (url.startswith(("http://", "https://")) and "{z}" in url and "{x}" in url):
        raise ExportError(
            "a tile basemap needs an http(s) URL with {z}, {x} and {y}",
            value=url,
            fix="give the tile server's address, e.g. http://server/tiles/{z}/{x}/{y}.png",
        )
    return Basemap(
        name=str(basemap.get("name", "底图")),
        urls=[url],
        attribution=str(basemap.get("attribution", "")),
        subdomains=str(basemap.get("subdomains", "")),
        gcj02=bool(basemap.get("gcj02", False)),
    )

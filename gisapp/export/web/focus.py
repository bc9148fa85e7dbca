"""The area a web map is about, and the view it opens at.

Real boundary data come with their neighbours (the counties round Jingmen, the other
cities of Hubei); the page veils everything outside the project's own area, as the
printed wall map does, and opens on it. The area is a layer of the page: its single
feature city layer, else its county layer. Its outline is that layer's geometry,
already in the page and simplified with it, so the veil adds nothing to the file and
meets the drawn boundary exactly.
"""

from __future__ import annotations

import numpy as np
import shapely

from gisapp.export.web import geometry as geo
from gisapp.export.web.payload import LayerData


def _areas(layer: LayerData):
    geoms = np.asarray(layer.frame.geometry.values, dtype=object)
    return geoms[geo.families(geoms) == geo.AREA]


def _extent(geoms) -> float:
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return (maxx - minx) * (maxy - miny)


def focus_layer(layers: list[LayerData]) -> LayerData | None:
    """The layer that outlines the project's own area, or None.

    A city layer of one area feature (the smallest, when there are several), as
    ``Project.focus_bounds`` takes first; else, as the printed map's city area,
    the county layer with the fewest areas: the project's own counties rather
    than the neighbours drawn round them.
    """
    cities = [lyr for lyr in layers if lyr.kind.id == "city" and len(_areas(lyr)) == 1]
    if cities:
        return min(cities, key=lambda lyr: _extent(_areas(lyr)))
    counties = [lyr for lyr in layers if lyr.kind.id == "county" and len(_areas(lyr))]
    if counties:
        return min(counties, key=lambda lyr: (len(_areas(lyr)), _extent(_areas(lyr))))
    return None


def area_json(layer: LayerData | None) -> dict | None:
    """What the page needs to veil round the area: its layer and name."""
    if layer is None:
        return None
    names = [
        str(n) for n in layer.frame.get("name", []) if isinstance(n, str) and n.strip()
    ]
    return {"layer": layer.id, "name": names[0] if len(names) == 1 else layer.name}


def view_bounds(layers: list[LayerData], area: LayerData | None) -> list | None:
    """The extent to open at, ``[[south, west], [north, east]]``.

    The area when there is one, else the villages, else every layer.
    """
    chosen = [area] if area is not None else []
    if not chosen:
        chosen = [lyr for lyr in layers if lyr.kind.id == "village"]
    boxes = []
    for lyr in chosen or layers:
        geoms = np.asarray(lyr.frame.geometry.values, dtype=object)
        geoms = geoms[geo.families(geoms) != ""]
        if len(geoms):
            boxes.append(shapely.total_bounds(geoms))
    if not boxes:
        return None
    box = np.array(boxes)
    minx, miny = box[:, 0].min(), box[:, 1].min()
    maxx, maxy = box[:, 2].max(), box[:, 3].max()
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]

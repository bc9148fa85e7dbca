"""Checks across the layers of one import: the project's area for choosing a
Gauss-Krüger zone, and web-map offsets against trusted layers.

A plain Gauss-Krüger easting fits every zone; the layers whose CRS was declared
tell where the project is. A layer that sits a web-map offset away from a trusted
layer is named in a message so the user can declare its origin; nothing is moved
without that.
"""

from __future__ import annotations

import logging

import numpy as np

from gisapp.data import webcrs
from gisapp.data.geometry import extent

log = logging.getLogger(__name__)

# Kinds whose outlines are trusted references (official boundaries).
TRUSTED_KINDS = ("city", "county", "township")


def zone_was_guessed(info) -> bool:
    """Whether a layer's CRS was assumed from eastings without a zone number."""
    return not info.crs_declared and "without zone number" in (info.crs_how or "")


def trusted_area(loaded_items) -> tuple[float, float, float, float] | None:
    """The lon/lat box of all layers whose place is certain: a declared CRS, or
    degrees, which fit only one place (None if there are none)."""
    boxes = []
    for item in loaded_items:
        info = item.info
        certain = info.crs_declared or "coordinates are degrees" in (info.crs_how or "")
        if certain and item.has_geometry:
            box = extent(item.frame)
            if box is not None:
                boxes.append(box)
    if not boxes:
        return None
    arr = np.array(boxes)
    return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())


def offset_messages(layers) -> list[str]:
    """Messages for layers that look shifted by GCJ-02 or BD-09 against a trusted
    boundary layer; ``layers`` are :class:`~gisapp.model.layer.Layer` objects."""
    trusted = [
        lyr for lyr in layers if lyr.kind.id in TRUSTED_KINDS and lyr.info.crs_declared
    ]
    out = []
    for lyr in layers:
        if lyr.info.origin or not lyr.has_geometry:
            continue
        for ref in trusted:
            if ref is lyr:
                continue
            finding = webcrs.detect_layer_offset(lyr.frame, ref.frame)
            if finding.origin:
                out.append(
                    f"{lyr.info.path.name}: {finding.reason} ({ref.name}); the layer "
                    f"looks like {finding.label} from a Chinese web map: choose "
                    f"{finding.label} as its coordinate system in 图层属性 to correct it"
                )
                break
    return out

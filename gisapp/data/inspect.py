"""What the app reads from a file, as plain data for ``inspect`` and the import dialog."""

from __future__ import annotations

import numpy as np

from gisapp.data.fields import recognise_kind
from gisapp.data.readers import read_source
from gisapp.model.kinds import get_kind


def inspect_file(path, layer=None, encoding=None, crs=None) -> dict:
    """Format, layers, encoding, CRS, count, extent, fields and kind of a file."""
    loaded = read_source(path, layer, encoding=encoding, crs=crs)
    layers = []
    for item in loaded:
        info = item.info
        kind_id, why = recognise_kind(info, info.columns)
        info.kind, info.kind_how = kind_id, why
        if kind_id:
            info.mapping = get_kind(kind_id).map_columns(info.columns)
        entry = info.as_dict()
        entry["extent"] = None
        if item.has_geometry:
            geoms = item.frame.geometry
            geoms = geoms[geoms.notna() & ~geoms.is_empty]
            if len(geoms):
                entry["extent"] = [float(v) for v in np.asarray(geoms.total_bounds)]
        layers.append(entry)
    first = loaded[0].info
    return {"path": str(first.path), "format": first.format, "layers": layers}

"""What the app reads from a file, as plain data for ``inspect`` and the import dialog."""

from __future__ import annotations

import numpy as np

from gisapp.data.fields import conform, recognise_kind
from gisapp.data.geometry import find_overlaps
from gisapp.data.readers import read_source
from gisapp.model.kinds import get_kind


def inspect_file(path, layer=None, encoding=None, crs=None) -> dict:
    """Format, layers, encoding, CRS, count, extent, fields and kind of a file."""
    # A shapefile without its .dbf is read all the same: inspect says what is missing.
    loaded = read_source(
        path, layer, encoding=encoding, crs=crs, require_attributes=False
    )
    layers = []
    for item in loaded:
        info = item.info
        kind_id, why = recognise_kind(info, info.columns)
        info.kind, info.kind_how = kind_id, why
        if kind_id:
            kind = get_kind(kind_id)
            info.mapping = kind.map_columns(info.columns)
            conform(item.frame, kind, info.mapping, info)  # reports unreadable values
        _warn_unusable(item, kind_id)
        _warn_overlaps(item)
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


def _warn_unusable(item, kind_id) -> None:
    """Say what keeps a file off the map: no .dbf, one column, no places or codes."""
    info = item.info
    if info.format == "Shapefile" and info.encoding is None:
        info.warn(
            "the .dbf file is missing, so the features have no attributes; "
            "copy the .dbf (and .shx, .prj, .cpg) that belong with the .shp"
        )
    if info.format in ("CSV", "Excel") and len(info.columns) < 2:
        info.warn(
            f"only one column was found ({', '.join(map(str, info.columns))}); "
            "is this a table? Save it from Excel as CSV, or choose the separator"
        )
    if not item.has_geometry:
        key = get_kind(kind_id).key if kind_id else None
        if key is None or key not in info.mapping.values():
            info.warn(
                "no coordinate columns (经度/纬度) and no village code column: the rows "
                "cannot be placed on the map; add coordinates or the 12-digit 村代码"
            )
        else:
            info.warn(
                "no coordinate columns: the rows are joined by code to the villages "
                "of the project they are added to"
            )


def _warn_overlaps(item, min_area_m2: float = 100.0, most: int = 5) -> None:
    """Name polygons of one layer that overlap each other (village boundaries must not)."""
    if not item.has_geometry or "Polygon" not in str(item.info.geometry_type):
        return
    geoms = item.frame.geometry
    frame = item.frame[geoms.notna() & ~geoms.is_empty]
    if len(frame) < 2 or len(frame) > 20_000:
        return
    pairs = find_overlaps(frame, min_area_m2)
    for row in pairs.head(most).itertuples(index=False):
        item.info.warn(
            f"{row.name_a} and {row.name_b} overlap by {row.overlap_m2:,.0f} m²; "
            "boundaries of neighbours should only touch: correct them in the source"
        )
    if len(pairs) > most:
        item.info.warn(f"{len(pairs) - most} more overlapping pairs")

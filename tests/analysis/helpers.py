"""Build small projects in code for the gap-engine tests.

Coordinates are given in metres of CGCS2000 3° Gauss-Krüger CM 114°E (EPSG:4547),
the zone the project picks for Jingmen, so that distances in a test can be
worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from gisapp.data.source import SourceInfo
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.project import Project

METRIC = "EPSG:4547"
# A point in the middle of Jingmen, in EPSG:4547 metres.
X0, Y0 = 370_000.0, 3_430_000.0

_TYPES = {"int": "Int64", "float": "float64", "bool": "boolean", "str": object}


def layer(
    kind_id: str, rows: list[dict], geoms: list, name: str | None = None
) -> Layer:
    """A layer of a kind from rows of canonical fields and metric geometries."""
    kind = get_kind(kind_id)
    data = pd.DataFrame(rows, index=range(len(geoms)))
    for f in kind.fields:
        if f.name not in data:
            data[f.name] = None
        data[f.name] = data[f.name].astype(_TYPES.get(f.type, object))
    frame = gpd.GeoDataFrame(data, geometry=list(geoms), crs=METRIC).to_crs("EPSG:4490")
    info = SourceInfo(path=Path(f"{kind_id}.gpkg"), format="GPKG", kind=kind_id)
    return Layer(name=name or kind.zh, kind=kind, frame=frame, info=info)


def project(*layers: Layer, rules: str | None = None) -> Project:
    proj = Project(title="测试", rules=rules)
    for lyr in layers:
        proj.add(lyr)
    return proj

"""Turn the generator's metric tables into layer frames in the storage CRS.

Every frame carries the canonical fields of its layer kind, in the kind's order,
with ``source`` set to the generated-data mark; helper columns are dropped.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.model.kinds import get_kind
from gisapp.model.layer import GENERATED_SOURCE
from gisapp.sample.inputs import METRIC, STORAGE

DECIMALS = 7  # about a centimetre in degrees


def layer_frame(
    table: pd.DataFrame, kind_id: str, metric: bool = True, only=None
) -> gpd.GeoDataFrame:
    """A frame of one layer kind from ``table`` (with a ``geometry`` column).

    ``only`` limits the fields written (``source`` is always written); by default
    every canonical field of the kind is present.
    """
    kind = get_kind(kind_id)
    data = {}
    for field in kind.fields:
        if only is not None and field.name not in only and field.name != "source":
            continue
        if field.name == "source":
            data["source"] = [GENERATED_SOURCE] * len(table)
            continue
        values = (
            table[field.name] if field.name in table else pd.Series([None] * len(table))
        )
        data[field.name] = _typed(values.reset_index(drop=True), field.type)
    geoms = gpd.GeoSeries(list(table["geometry"]), crs=METRIC if metric else STORAGE)
    if metric:
        geoms = geoms.to_crs(STORAGE)
    geoms = gpd.GeoSeries(_rounded(geoms.values), crs=STORAGE)
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry=geoms, crs=STORAGE)


def _typed(values: pd.Series, ftype: str) -> pd.Series:
    if ftype == "int":
        return pd.array(values, dtype="Int64")
    if ftype == "float":
        return values.astype(float)
    if ftype == "bool":
        return values.astype("boolean")
    return values.astype(object).where(values.notna(), None)


def _rounded(geoms) -> np.ndarray:
    """Coordinates rounded the same way everywhere, so shared nodes stay shared."""
    return shapely.transform(np.asarray(geoms), lambda xy: np.round(xy, DECIMALS))

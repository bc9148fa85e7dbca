"""Gather what the gap engine reads from a project, in the project's metric CRS.

Layers of one kind are stacked; each row remembers its layer and position so
that results can be written back (``GapReport.annotate``).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.model.kinds import get_kind
from gisapp.model.project import Project

LAYER_COL = "_layer"
ROW_COL = "_row"


@dataclass
class Gathered:
    """All features of one kind: attributes and metric geometries, row-aligned."""

    frame: pd.DataFrame
    geoms: np.ndarray

    @property
    def xy(self) -> np.ndarray:
        """A representative point per feature in metres (NaN when it has none)."""
        return points_xy(self.geoms)

    def __len__(self) -> int:
        return len(self.frame)


def points_xy(geoms: np.ndarray) -> np.ndarray:
    out = np.full((len(geoms), 2), np.nan)
    if not len(geoms):
        return out
    geoms = np.asarray(geoms, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if ok.any():
        pts = shapely.point_on_surface(geoms[ok])
        out[ok] = shapely.get_coordinates(pts)
    return out


def gather(project: Project, kind_id: str) -> Gathered:
    """Every feature of ``kind_id`` with its canonical fields and metric geometry."""
    crs = project.metric_crs
    frames, geoms = [], []
    for layer in project.layers_of(kind_id):
        frame = pd.DataFrame(layer.frame.drop(columns="geometry", errors="ignore"))
        frame[LAYER_COL] = layer.id
        frame[ROW_COL] = np.arange(len(frame))
        frames.append(frame.reset_index(drop=True))
        if layer.has_geometry:
            geoms.append(np.asarray(layer.projected(crs).values, dtype=object))
        else:
            geoms.append(np.full(len(frame), None, dtype=object))
    if not frames:
        kind = get_kind(kind_id)
        empty = pd.DataFrame({f: pd.Series(dtype=object) for f in kind.field_names})
        empty[LAYER_COL] = pd.Series(dtype=object)
        empty[ROW_COL] = pd.Series(dtype=int)
        return Gathered(empty, np.empty(0, dtype=object))
    frame = pd.concat(frames, ignore_index=True)
    kind = get_kind(kind_id)
    for name in kind.field_names:
        if name not in frame:
            frame[name] = None
    return Gathered(frame, np.concatenate(geoms))


def boundary_of(project: Project, city_code: str | None = None):
    """The city boundary as lines in metres (counties when there is no city).

    When the layer holds several cities, the one with ``city_code`` is taken.
    """
    for kind_id in ("city", "county"):
        found = gather(project, kind_id)
        if not len(found):
            continue
        keep = ~shapely.is_missing(found.geoms)
        codes = found.frame["code"].astype(str).to_numpy()
        if city_code and kind_id == "city" and (codes == city_code).any():
            keep &= codes == city_code
        elif city_code and kind_id == "county":
            mine = np.char.startswith(codes.astype(str), city_code[:4])
            keep &= mine if mine.any() else True
        geoms = found.geoms[keep]
        if len(geoms):
            return shapely.boundary(shapely.union_all(shapely.make_valid(geoms)))
    return None


def water_bodies(project: Project) -> np.ndarray:
    """Rivers and lakes in metres."""
    parts = [gather(project, "river").geoms, gather(project, "lake").geoms]
    geoms = np.concatenate(parts) if parts else np.empty(0, dtype=object)
    return geoms[~shapely.is_missing(geoms)] if len(geoms) else geoms


def to_frame(gathered: Gathered) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(gathered.frame, geometry=list(gathered.geoms))

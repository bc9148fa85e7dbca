"""A layer of a project: features of one kind, in the storage CRS, with their source."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import geopandas as gpd
from pyproj import CRS

from gisapp.data.source import SourceInfo
from gisapp.model.kinds import LayerKind
from gisapp.model.style import Style

GENERATED_SOURCE = "示例数据(程序生成)"
_ids = itertools.count(1)


@dataclass(eq=False)
class Layer:
    """Features of one layer kind, canonical fields first, geometry in EPSG:4490.

    ``style`` is the layer's own style, chosen in the style editor; without one the
    layer is drawn in its kind's style from ``styles/``.
    """

    name: str
    kind: LayerKind
    frame: gpd.GeoDataFrame
    info: SourceInfo
    visible: bool = True
    opacity: float = 1.0
    id: str = field(default_factory=lambda: f"L{next(_ids)}")
    _projected: dict = field(default_factory=dict, repr=False)
    version: int = 0
    style: Style | None = field(default=None, repr=False)

    @property
    def is_generated(self) -> bool:
        """Whether any feature was made by the sample generator, not surveyed."""
        if "source" not in self.frame:
            return False
        return bool((self.frame["source"] == GENERATED_SOURCE).any())

    @property
    def has_geometry(self) -> bool:
        return "geometry" in self.frame and self.frame.geometry.notna().any()

    def projected(self, crs: CRS) -> gpd.GeoSeries:
        """The geometries in a metric CRS, computed once per CRS."""
        key = crs.to_wkt()
        if key not in self._projected:
            self._projected[key] = self.frame.geometry.to_crs(crs)
        return self._projected[key]

    def touch(self) -> None:
        """Note that attributes changed, so views drawn from them are redone."""
        self.version += 1

    def changed(self) -> None:
        """Forget derived geometry after the frame was edited."""
        self._projected.clear()
        self.version += 1

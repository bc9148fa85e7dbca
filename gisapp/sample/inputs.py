"""The real public inputs of the sample project and where to find them.

The generator places its layers on real boundaries, seats, code lists and rivers.
Those files ship with the sample project (``sample_data/jingmen/real``); a build
can also read them from the shared data folder beside the repository.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from gisapp.data.crs import metric_crs_for
from gisapp.errors import ReadError
from gisapp.paths import ROOT, SAMPLE_DIR

log = logging.getLogger(__name__)

REAL_FILES = (
    "boundaries_cgcs2000.gpkg",
    "hydro_1to4m.gpkg",
    "township_seats.geojson",
    "townships.csv",
    "villages_nbs2023.csv",
)
STORAGE = "EPSG:4490"
METRIC = metric_crs_for(112.65)
ENV_VAR = "GISAPP_SHARED"  # the shared folder, holding data/jingmen


def default_real_dir() -> Path:
    """The first folder holding every real input file.

    Looks in the shipped sample project, then ``$GISAPP_SHARED/data/jingmen``, then the
    shared data folder beside the repository.

    Raises
    ------
    ReadError
        When no folder holds all the files.
    """
    candidates = [SAMPLE_DIR / "jingmen" / "real"]
    if os.environ.get(ENV_VAR):
        candidates.append(Path(os.environ[ENV_VAR]) / "data" / "jingmen")
    candidates.append(ROOT.parent / "shared" / "data" / "jingmen")
    for folder in candidates:
        if all((folder / name).is_file() for name in REAL_FILES):
            return folder
    raise ReadError(
        "the real input files of the sample project are missing",
        path=candidates[0],
        value=", ".join(REAL_FILES),
        fix=f"restore sample_data/jingmen/real from the repository or set {ENV_VAR}",
    )


@dataclass
class RealData:
    """The real layers, in storage degrees and in the metric CRS."""

    folder: Path
    city: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    seats: gpd.GeoDataFrame
    townships: pd.DataFrame
    villages: pd.DataFrame
    rivers: gpd.GeoDataFrame
    lakes: gpd.GeoDataFrame

    def county_shape(self, county_code: str, metric: bool = True):
        """The polygon of one county, in metres or degrees."""
        frame = self.counties.to_crs(METRIC) if metric else self.counties
        row = frame[frame["adcode"] == county_code]
        return row.geometry.iloc[0]

    @cached_property
    def water_m(self):
        """Lakes and the double-line Han river inside the city, in metres."""
        city = self.city.to_crs(METRIC).geometry.iloc[0].buffer(5000)
        lakes = self.lakes.to_crs(METRIC).geometry.values
        return shapely.intersection(shapely.union_all(lakes), city)


def read_real(folder: Path | None = None) -> RealData:
    """Read the real inputs from ``folder`` (found by :func:`default_real_dir`)."""
    folder = Path(folder) if folder is not None else default_real_dir()
    missing = [n for n in REAL_FILES if not (folder / n).is_file()]
    if missing:
        raise ReadError(
            "a real input file of the sample project is missing",
            path=folder / missing[0],
            fix="copy it from the shared data folder",
        )
    boundaries = folder / "boundaries_cgcs2000.gpkg"
    hydro = folder / "hydro_1to4m.gpkg"
    seats = gpd.read_file(folder / "township_seats.geojson").to_crs(STORAGE)
    text = {"dtype": str, "encoding": "utf-8", "keep_default_na": False}
    log.debug("reading the real inputs from %s", folder)
    return RealData(
        folder=folder,
        city=gpd.read_file(boundaries, layer="city").to_crs(STORAGE),
        counties=gpd.read_file(boundaries, layer="county").to_crs(STORAGE),
        seats=seats,
        townships=pd.read_csv(folder / "townships.csv", **text),
        villages=pd.read_csv(folder / "villages_nbs2023.csv", **text),
        rivers=gpd.read_file(hydro, layer="rivers").set_crs(
            STORAGE, allow_override=True
        ),
        lakes=gpd.read_file(hydro, layer="lakes").set_crs(STORAGE, allow_override=True),
    )

"""Build the sample project of Jingmen: real layers plus generated ones.

The same seed always gives the same attributes and places. Everything generated
is marked ``source = 示例数据(程序生成)`` so every map that shows it says so.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.errors import ProjectError
from gisapp.sample import (
    crossings,
    history,
    hydro,
    places,
    registry,
    roads,
    utilities,
)
from gisapp.sample.frames import layer_frame
from gisapp.sample.inputs import METRIC, REAL_FILES, RealData, read_real
from gisapp.sample.names import village_label
from gisapp.sample.write import MARK, write_project

log = logging.getLogger(__name__)


@dataclass
class SampleLayers:
    """The generated layers (storage CRS) and the registry table."""

    layers: dict[str, gpd.GeoDataFrame]
    registry: pd.DataFrame
    facts: dict = field(default_factory=dict)


def generate_sample(real: RealData, seed: int = 2016) -> SampleLayers:
    """Every generated layer of the sample project, from the real inputs.

    Parameters
    ----------
    real
        The real boundaries, seats, code lists and water (:func:`read_real`).
    seed
        Seed of the generator.

    Returns
    -------
    SampleLayers
        Layers in EPSG:4490 keyed by their layer name in ``generated.gpkg``, the
        registry (canonical field names, one row per village) and a few facts.
    """
    rng = np.random.default_rng(seed)
    targets = registry.Targets()
    table = places.rural_villages(real)
    seats = places.place_seats(real, table, rng)
    villages = places.place_villages(real, table, seats, rng)
    villages["label"] = villages["short_name"].map(village_label)

    poor_towns = registry.pick_poor_townships(seats, villages, rng, targets)
    poor = registry.choose_poor_villages(villages, seats, poor_towns, rng, targets)
    reg, gaps = registry.registry(villages, poor, rng, targets)

    city = real.city.to_crs(METRIC).geometry.iloc[0]
    water = real.water_m
    streams = hydro.make_streams(city, water, seats, rng)
    road_gap = gaps[:, registry.GAPS.index("road")]
    network = roads.build_roads(seats, villages, road_gap, poor, water, streams, rng)
    flagged = np.where(gaps[:, registry.GAPS.index("bridge")], 2, np.where(poor, 1, 0))
    dangerous_routes = crossings.mark_dangerous(
        network.edges, network.bridges, len(seats), flagged, rng
    )

    land = utilities.Land(real.counties.to_crs(METRIC).geometry.values, water)
    works, pipes = utilities.water_supply(seats, villages, reg, network, land, rng)
    subs, lines = utilities.power_grid(seats, villages, reg, network, land, rng)
    sites = utilities.relocation_sites(
        seats, villages, reg, poor_towns, targets.priority_township, land, rng
    )

    layers = {
        "villages": _village_points(villages, poor),
        "township_seats": _generated_seats(seats),
        "roads": layer_frame(network.roads, "road"),
        "bridges": layer_frame(network.bridges, "bridge"),
        "rivers": layer_frame(streams, "river"),
        "water_works": layer_frame(works, "water_works"),
        "water_pipes": layer_frame(pipes, "water_pipe"),
        "power_lines": layer_frame(lines, "power_line"),
        "substations": layer_frame(subs, "substation"),
        "relocation_sites": layer_frame(sites, "relocation_site"),
    }
    reg = _registry_table(villages, reg)
    facts = {
        "poor_townships": [seats.set_index("code").at[c, "name"] for c in poor_towns],
        "villages_with_dangerous_bridge": dangerous_routes,
        "gap_counts": np.bincount(gaps[poor].sum(axis=1)).tolist(),
    }
    log.info("sample generated: %s", {k: len(v) for k, v in layers.items()})
    return SampleLayers(layers=layers, registry=reg, facts=facts)


def _village_points(villages: pd.DataFrame, poor: np.ndarray) -> gpd.GeoDataFrame:
    table = pd.DataFrame(
        {
            "code": villages["nbs2023_code"],
            "name": villages["label"],
            "township": villages["township_name"],
            "township_code": villages["township_code"],
            "county": villages["county_name"],
            "county_code": villages["county_code"],
            "is_poor": poor,
            "geometry": gpd.points_from_xy(villages["x"], villages["y"]),
        }
    )
    return layer_frame(table, "village", only=list(table.columns))


def _generated_seats(seats: pd.DataFrame) -> gpd.GeoDataFrame:
    made = seats[~seats["known"]]
    table = made.assign(geometry=gpd.points_from_xy(made["x"], made["y"]))
    only = ["code", "name", "county", "county_code"]
    return layer_frame(table.reset_index(drop=True), "township", only=only)


def _registry_table(villages: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    out = reg.copy()
    out.insert(1, "name", villages["label"].to_numpy())
    out.insert(2, "township", villages["township_name"].to_numpy())
    out.insert(3, "township_code", villages["township_code"].to_numpy())
    out.insert(4, "county", villages["county_name"].to_numpy())
    out.insert(5, "county_code", villages["county_code"].to_numpy())
    return out


def build_sample(out_dir: Path, seed: int = 2016, real_dir: Path | None = None) -> Path:
    """Write the whole sample project into ``out_dir``; return its project file.

    Parameters
    ----------
    out_dir
        Folder of the project; made if missing. Files the generator made before
        are replaced; a folder holding someone else's project is refused.
    seed
        Seed of the generator: the same seed gives the same attributes.
    real_dir
        Folder of the real input files (default: :func:`inputs.default_real_dir`).

    Raises
    ------
    ProjectError
        When ``out_dir`` holds a project the generator did not write.
    """
    out_dir = Path(out_dir)
    check_target(out_dir)
    real = read_real(real_dir)
    sample = generate_sample(real, seed)
    real_out = out_dir / "real"
    real_out.mkdir(parents=True, exist_ok=True)
    if real.folder.resolve() != real_out.resolve():
        for name in REAL_FILES:
            shutil.copyfile(real.folder / name, real_out / name)
    toml = write_project(out_dir, sample, seed)
    lists = history.make_history(
        sample.registry, sample.layers["roads"], sample.layers["bridges"], seed
    )
    history.add_to_project(toml, history.write_history(out_dir, lists))
    return toml


def check_target(out_dir: Path) -> None:
    """Refuse a path that is a file or a folder holding someone else's project."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ProjectError(
            "the output path is a file, not a folder",
            path=out_dir,
            fix="give a folder for the sample project",
        )
    toml = out_dir / "project.toml"
    if toml.exists() and MARK not in toml.read_text(encoding="utf-8"):
        raise ProjectError(
            "the folder already holds a project that the sample generator did not write",
            path=toml,
            fix="choose an empty folder for the sample project",
        )

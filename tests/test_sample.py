"""The sample project of Jingmen: what a planning officer opens first.

Numbers checked here come from the decision (210 poor villages in 10 poor
townships, 219,282 registered poor people, about 70 villages leaving the list a
year) and from the official code list (1,346 village committees, counted by hand
from the 村委会 rows of villages_nbs2023.csv).
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gisapp.data.readers import read_source
from gisapp.errors import ProjectError
from gisapp.model.layer import GENERATED_SOURCE
from gisapp.model.project import load_project, make_layer
from gisapp.paths import SAMPLE_PROJECT
from gisapp.sample import build_sample, generate_network
from gisapp.sample.__main__ import main as sample_main
from gisapp.sample.write import GPKG, REGISTRY, REGISTRY_HEADERS

SAMPLE = SAMPLE_PROJECT.parent
VILLAGE_COMMITTEES = 1346
POOR_VILLAGES = 210
POOR_TOWNSHIPS = 10
POOR_PEOPLE = 219_282
CHAIHU = "420881110"


@pytest.fixture(scope="module")
def project():
    return load_project(SAMPLE_PROJECT)


@pytest.fixture(scope="module")
def villages(project):
    return project.first("village").frame


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """The sample built again from the shipped real files."""
    out = tmp_path_factory.mktemp("sample")
    return build_sample(out, seed=2016).parent


def test_project_file_reads_with_title_and_named_layers(project):
    assert project.title == "荆门市精准脱贫挂图作战图"
    assert project.office == "荆门市扶贫开发领导小组办公室"
    assert project.rules == "jingmen-2016"
    names = {layer.name for layer in project.layers}
    for name in (
        "市界",
        "县市区界",
        "乡镇驻地",
        "行政村",
        "道路",
        "桥梁",
        "河流",
        "湖泊水库",
        "供水工程",
        "供水管网",
        "电力线路",
        "变电站",
        "搬迁安置点",
    ):
        assert name in names
    assert any("1346 行" in m and "按代码关联" in m for m in project.messages), (
        project.messages
    )
    assert project.has_generated_data


def test_every_registry_column_maps_to_a_village_field():
    loaded = read_source(SAMPLE / REGISTRY)[0]
    layer = make_layer(loaded, "village")
    unmapped = set(loaded.info.columns) - set(layer.info.mapping)
    assert unmapped == {"序号"}
    assert set(layer.info.mapping.values()) == set(REGISTRY_HEADERS)


def test_all_village_committees_with_real_codes_and_names(villages):
    codes = pd.read_csv(
        SAMPLE / "real" / "villages_nbs2023.csv", dtype=str, encoding="utf-8"
    )
    committees = codes[codes["kind"] == "村委会"]
    assert len(committees) == VILLAGE_COMMITTEES
    assert len(villages) == VILLAGE_COMMITTEES
    assert set(villages["code"]) == set(committees["nbs2023_code"])
    by_code = committees.set_index("nbs2023_code")
    short = by_code.loc[villages["code"], "short_name"].to_numpy()
    assert all(
        name.startswith(s) for name, s in zip(villages["name"], short, strict=True)
    )
    assert (
        villages["township_code"].to_numpy()
        == by_code.loc[villages["code"], "township_code"].to_numpy()
    ).all()


def test_poor_villages_townships_and_people_meet_the_decision(villages):
    poor = villages[villages["is_poor"].fillna(False).astype(bool)]
    assert len(poor) == POOR_VILLAGES
    assert poor["township_code"].nunique() == POOR_TOWNSHIPS
    assert CHAIHU in set(poor["township_code"])
    assert int(villages["poor_people"].sum()) == POOR_PEOPLE
    assert poor["exit_year"].value_counts().to_dict() == {2016: 70, 2017: 70, 2018: 70}
    assert villages.loc[~villages["is_poor"].astype(bool), "exit_year"].isna().all()
    assert (villages["poor_people"] <= villages["population"]).all()
    assert (villages["poor_households"] <= villages["households"]).all()
    assert poor["responsible_unit"].notna().all()


def test_registry_fields_are_filled_for_every_village(villages):
    for name in (
        "households",
        "population",
        "poor_people",
        "collective_income",
        "income_per_person",
        "safe_water_pct",
        "power_living_upgraded",
        "power_production_upgraded",
        "has_clinic",
        "has_fibre",
        "has_bus",
        "dangerous_houses",
        "relocation_households",
    ):
        assert villages[name].notna().all(), name


def test_poor_villages_lack_some_things_not_all(villages):
    poor = villages[villages["is_poor"].astype(bool)]
    gaps = (
        (poor["collective_income"] < 5).astype(int)
        + (poor["safe_water_pct"] < 100).astype(int)
        + (~poor["power_living_upgraded"].astype(bool)).astype(int)
        + (~poor["power_production_upgraded"].astype(bool)).astype(int)
        + (~poor["has_clinic"].astype(bool)).astype(int)
        + (~poor["has_fibre"].astype(bool)).astype(int)
        + (~poor["has_bus"].astype(bool)).astype(int)
        + (poor["dangerous_houses"] > 0).astype(int)
    )
    assert 10 <= (gaps == 0).sum() <= 60
    assert (gaps >= 1).sum() >= 140
    assert 5 <= (gaps >= 5).sum() <= 40


def test_every_village_lies_inside_its_county(villages, project):
    counties = project.first("county").frame.set_index("code")
    for code, group in villages.groupby("county_code"):
        shape = counties.geometry[code]
        xy = shapely.get_coordinates(group.geometry.values)
        assert shapely.contains_xy(shape, xy[:, 0], xy[:, 1]).all(), code


def test_villages_cluster_around_their_seat(villages, project):
    seats = pd.concat([lyr.frame for lyr in project.layers_of("township")])
    seat_xy = dict(
        zip(
            seats["code"],
            zip(seats.geometry.x, seats.geometry.y, strict=True),
            strict=True,
        )
    )
    d = np.array(
        [
            np.hypot(p.x - seat_xy[t][0], p.y - seat_xy[t][1])
            for p, t in zip(villages.geometry, villages["township_code"], strict=True)
        ]
    )
    assert np.median(d) < 0.1  # degrees, about 10 km
    # Spaced like real villages: never on top of each other, never on a grid.
    xy = shapely.get_coordinates(villages.to_crs(4547).geometry.values)
    gap = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(gap, np.inf)
    nearest = gap.min(axis=1)
    assert nearest.min() > 500
    assert nearest.std() / nearest.mean() > 0.15


def test_every_generated_feature_is_marked(project):
    for layer in project.layers:
        path = layer.info.path.name
        if path == GPKG:
            assert (layer.frame["source"] == GENERATED_SOURCE).all(), layer.name
        else:
            assert not layer.is_generated, layer.name


def test_roads_have_every_class_surface_and_a_bridge_on_each_crossing(project):
    roads = project.first("road").frame
    bridges = project.first("bridge").frame
    assert set(roads["road_class"]) >= {
        "county",
        "township",
        "village",
        "group",
        "production",
    }
    assert set(roads["surface"]) == {"asphalt", "cement", "gravel", "earth"}
    assert (roads["level"] == 1).sum() == len(bridges)
    assert set(bridges["condition_class"]) == {1, 2, 3, 4, 5}
    assert 5 <= (bridges["condition_class"] >= 4).sum() <= 40
    assert set(bridges["road_code"]) <= set(roads["code"])
    pattern = re.compile(r"^(X\d{3}|Y\d{3}|C\d{12}(-[ZST]\d+)?)$")
    assert roads["code"].map(lambda c: bool(pattern.match(c))).all()


def test_chainage_runs_on_along_each_route(project):
    roads = project.first("road").frame
    assert (roads["end_km"] > roads["start_km"]).all()
    for _, route in roads.sort_values("start_km").groupby("code"):
        assert route["start_km"].iloc[0] == 0
        assert np.allclose(
            route["start_km"].to_numpy()[1:],
            route["end_km"].to_numpy()[:-1],
            atol=0.002,
        )


def test_relocation_sites_stand_in_poor_townships(project, villages):
    sites = project.first("relocation_site").frame
    poor_towns = set(villages.loc[villages["is_poor"].astype(bool), "township"])
    assert set(sites["township"]) <= poor_towns
    assert set(sites["site_type"]) == {"grouped", "scattered"}
    assert (sites["occupied_households"] <= sites["capacity_households"]).all()
    chaihu = sites[sites["township"] == "柴湖镇"]
    assert chaihu["capacity_households"].max() >= 1000


def test_power_and_water_follow_the_registry(project, villages):
    lines = project.first("power_line").frame
    assert (~lines["upgraded"].astype(bool)).sum() > 0
    assert set(lines["voltage_kv"]) == {10.0, 35.0, 110.0}
    subs = project.first("substation").frame
    assert set(subs["voltage_kv"]) == {35.0, 110.0}
    works = project.first("water_works").frame
    assert {"plant", "scheme"} <= set(works["works_type"])
    short = (villages["safe_water_pct"] < 100).sum()
    assert (
        short > 0
        and (works["works_type"].isin(["well", "cistern", "spring"])).sum() > 0
    )


def test_a_fresh_build_equals_the_shipped_sample(fresh):
    for layer, _ in pyogrio.list_layers(SAMPLE / GPKG):
        shipped = pyogrio.read_dataframe(SAMPLE / GPKG, layer=layer)
        again = pyogrio.read_dataframe(fresh / GPKG, layer=layer)
        pd.testing.assert_frame_equal(
            shipped.drop(columns="geometry"), again.drop(columns="geometry")
        )
        a = shapely.get_coordinates(shipped.geometry.values)
        b = shapely.get_coordinates(again.geometry.values)
        assert a.shape == b.shape and np.allclose(a, b, atol=1e-6), layer
    shipped = pd.read_excel(SAMPLE / REGISTRY, dtype=str)
    again = pd.read_excel(fresh / REGISTRY, dtype=str)
    pd.testing.assert_frame_equal(shipped, again)
    assert (fresh / "project.toml").read_text("utf-8") == SAMPLE_PROJECT.read_text(
        "utf-8"
    )
    for name in ("boundaries_cgcs2000.gpkg", "villages_nbs2023.csv", "SOURCES.md"):
        assert (fresh / "real" / name).read_bytes() == (
            SAMPLE / "real" / name
        ).read_bytes()


def test_build_refuses_a_folder_with_another_project(tmp_path):
    toml = tmp_path / "project.toml"
    toml.write_text('[project]\ntitle = "我的项目"\n', encoding="utf-8")
    with pytest.raises(ProjectError, match="did not write"):
        build_sample(tmp_path)
    assert toml.read_text(encoding="utf-8") == '[project]\ntitle = "我的项目"\n'
    assert sample_main([str(tmp_path)]) == 1
    assert sample_main([str(tmp_path), "--villages", "10", "--segments", "50"]) == 1
    assert toml.read_text(encoding="utf-8") == '[project]\ntitle = "我的项目"\n'


def test_build_refuses_a_file_as_output(tmp_path):
    target = tmp_path / "报表.xlsx"
    target.write_bytes(b"office data")
    with pytest.raises(ProjectError, match="is a file"):
        build_sample(target)
    assert target.read_bytes() == b"office data"


def test_benchmark_network_has_the_sizes_asked_for():
    layers = generate_network(300, 5000, seed=3)
    assert len(layers["villages"]) == 300
    assert len(layers["roads"]) == 5000
    for name, frame in layers.items():
        assert frame.crs.to_epsg() == 4490, name
        assert (frame["source"] == GENERATED_SOURCE).all(), name
    roads = layers["roads"]
    assert (roads["level"] == 1).sum() > 0 and len(layers["bridges"]) >= (
        roads["level"] == 1
    ).sum()
    assert set(roads["road_class"]) == {
        "county",
        "township",
        "village",
        "group",
        "production",
    }
    again = generate_network(300, 5000, seed=3)
    pd.testing.assert_frame_equal(
        layers["roads"].drop(columns="geometry"),
        again["roads"].drop(columns="geometry"),
    )
    other = generate_network(300, 5000, seed=4)
    assert not other["villages"]["households"].equals(layers["villages"]["households"])


def test_benchmark_set_written_by_the_command_loads(tmp_path):
    assert sample_main([str(tmp_path), "--villages", "120", "--segments", "1500"]) == 0
    bench = load_project(tmp_path / "project.toml")
    assert len(bench.first("road").frame) == 1500
    assert len(bench.first("village").frame) == 120
    assert isinstance(bench.first("bridge").frame, gpd.GeoDataFrame)


def test_generated_layers_are_recognised_without_the_project_file():
    loose = load_project([SAMPLE / GPKG, SAMPLE / REGISTRY])
    kinds = {layer.info.layer: layer.kind.id for layer in loose.layers}
    assert kinds == {
        "villages": "village",
        "township_seats": "township",
        "roads": "road",
        "bridges": "bridge",
        "rivers": "river",
        "water_works": "water_works",
        "water_pipes": "water_pipe",
        "power_lines": "power_line",
        "substations": "substation",
        "relocation_sites": "relocation_site",
    }
    assert int(loose.first("village").frame["poor_people"].sum()) == POOR_PEOPLE

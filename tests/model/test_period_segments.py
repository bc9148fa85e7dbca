"""Road segments across periods: matched by route code and start chainage; lists
of one year (villages and roads) make one period."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from gisapp.analysis.transitions import transitions
from gisapp.data.fields import conform
from gisapp.data.source import SourceInfo
from gisapp.errors import ProjectError
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.periods import History, state_key
from gisapp.model.project import Project, load_project


def _layer(kind_id, rows, geoms) -> Layer:
    kind = get_kind(kind_id)
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:4490")
    info = SourceInfo(path=Path(f"{kind_id}.gpkg"), format="test")
    mapping = {c: c for c in frame.columns if c in kind.field_names}
    return Layer(kind_id, kind, conform(frame, kind, mapping, info), info)


def _roads() -> Layer:
    return _layer(
        "road",
        [
            {"code": "C001", "start_km": 0.0, "end_km": 1.2, "surface": "earth"},
            {"code": "C001", "start_km": 1.2, "end_km": 2.0, "surface": "gravel"},
            {"code": "Y002", "start_km": 0.0, "end_km": 3.5, "surface": "cement"},
        ],
        [
            LineString([(112.0, 31.0), (112.01, 31.0)]),
            LineString([(112.01, 31.0), (112.02, 31.0)]),
            LineString([(112.0, 31.1), (112.03, 31.1)]),
        ],
    )


def test_segments_keyed_by_route_and_chainage():
    keys = state_key(_roads().frame, "road")
    assert keys.name == "segment"
    assert list(keys) == ["C001+0.000", "C001+1.200", "Y002+0.000"]


def test_a_road_list_hardens_the_segment_it_names():
    project = Project(layers=[_roads()])
    history = History()
    history.snapshot(project, "2015")
    hardened = pd.DataFrame(
        {"code": ["C001"], "start_km": [1.2], "surface": ["cement"]}
    )
    history.add_from_table("2016", hardened, "road")
    change = transitions(history.get("2015"), history.get("2016"))
    assert change.of("road_hardened")["key"].tolist() == ["C001+1.200"]
    history.apply(project, "2016")
    assert project.first("road").frame["surface"].tolist() == [
        "earth",
        "cement",
        "cement",
    ]
    with pytest.raises(ProjectError, match="start chainage"):
        history.add_from_table("2017", pd.DataFrame({"code": ["C001"]}), "road")


def test_lists_of_one_year_make_one_period(tmp_path):
    roads = _roads().frame.drop(columns=["source"], errors="ignore")
    roads.to_file(tmp_path / "roads.geojson", driver="GeoJSON")
    villages = gpd.GeoDataFrame(
        {"村代码": ["420881110201"], "村名": ["双河村"], "贫困村": ["是"]},
        geometry=[Point(112.0, 31.0)],
        crs="EPSG:4490",
    )
    villages.to_file(tmp_path / "villages.geojson", driver="GeoJSON")
    pd.DataFrame({"村代码": ["420881110201"], "是否出列": ["是"]}).to_excel(
        tmp_path / "v2016.xlsx", index=False
    )
    pd.DataFrame(
        {"路线编码": ["C001"], "起点桩号": [0.0], "路面类型": ["水泥"]}
    ).to_excel(tmp_path / "r2016.xlsx", index=False)
    (tmp_path / "project.toml").write_text(
        '[project]\nperiod = "2015"\n\n'
        '[[layers]]\npath = "villages.geojson"\nkind = "village"\n\n'
        '[[layers]]\npath = "roads.geojson"\nkind = "road"\n\n'
        '[[periods]]\nname = "2016"\npath = "v2016.xlsx"\nkind = "village"\n\n'
        '[[periods]]\nname = "2016"\npath = "r2016.xlsx"\nkind = "road"\n',
        encoding="utf-8",
    )
    project = load_project(tmp_path / "project.toml")
    assert project.history.names() == ["2015", "2016"]
    change = transitions(project.history.get("2015"), project.history.get("2016"))
    assert change.of("village_exited")["name"].tolist() == ["双河村"]
    assert change.of("road_hardened")["key"].tolist() == ["C001+0.000"]

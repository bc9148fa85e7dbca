"""Four periods of a small campaign (2015–2018) with hand-written transitions."""

from __future__ import annotations

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
from gisapp.model.periods import History, parse_period
from gisapp.model.project import Project


def _layer(kind_id: str, rows: list[dict], geoms) -> Layer:
    kind = get_kind(kind_id)
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:4490")
    info = SourceInfo(path=__import__("pathlib").Path(f"{kind_id}.gpkg"), format="test")
    mapping = {c: c for c in frame.columns if c in kind.field_names}
    return Layer(kind_id, kind, conform(frame, kind, mapping, info), info)


def campaign() -> Project:
    """2015: four villages, three poor (A, B, C); one poor township; two bridges."""
    villages = _layer(
        "village",
        [
            {
                "code": "420822100201",
                "name": "甲村",
                "township": "一镇",
                "is_poor": True,
                "exited": False,
                "safe_water_pct": 60.0,
                "power_living_upgraded": False,
                "houses_rebuilt": 0,
                "relocated_households": 0,
            },
            {
                "code": "420822100202",
                "name": "乙村",
                "township": "一镇",
                "is_poor": True,
                "exited": False,
                "safe_water_pct": 100.0,
                "power_living_upgraded": True,
                "houses_rebuilt": 2,
                "relocated_households": 0,
            },
            {
                "code": "420822100203",
                "name": "丙村",
                "township": "二镇",
                "is_poor": True,
                "exited": False,
                "safe_water_pct": 80.0,
                "power_living_upgraded": False,
                "houses_rebuilt": 0,
                "relocated_households": 5,
            },
            {
                "code": "420822100204",
                "name": "丁村",
                "township": "二镇",
                "is_poor": False,
                "exited": False,
                "safe_water_pct": 100.0,
                "power_living_upgraded": True,
                "houses_rebuilt": 0,
                "relocated_households": 0,
            },
        ],
        [
            Point(112.1, 31.0),
            Point(112.2, 31.0),
            Point(112.3, 31.0),
            Point(112.4, 31.0),
        ],
    )
    towns = _layer(
        "township",
        [
            {"code": "420822100", "name": "一镇", "is_poor": True, "exited": False},
            {"code": "420822101", "name": "二镇", "is_poor": False, "exited": False},
        ],
        [Point(112.15, 31.05), Point(112.35, 31.05)],
    )
    roads = _layer(
        "road",
        [
            {"code": "C001", "surface": "gravel"},
            {"code": "C001", "surface": "earth"},
            {"code": "X001", "surface": "asphalt"},
        ],
        [
            LineString([(112.1, 31.0), (112.2, 31.0)]),
            LineString([(112.2, 31.0), (112.3, 31.0)]),
            LineString([(112.0, 31.1), (112.4, 31.1)]),
        ],
    )
    bridges = _layer(
        "bridge",
        [{"code": "B1", "condition_class": 5}, {"code": "B2", "condition_class": 2}],
        [Point(112.15, 31.0), Point(112.25, 31.0)],
    )
    return Project(layers=[villages, towns, roads, bridges])


@pytest.fixture
def history() -> History:
    project = campaign()
    hist = History()
    hist.snapshot(project, "2015")
    hist.add_from_edits(
        "2016",
        "village",
        {
            "420822100201": {
                "exited": True,
                "safe_water_pct": 100.0,
                "houses_rebuilt": 3,
            },
            "420822100203": {"power_living_upgraded": True, "relocated_households": 12},
        },
    )
    hist.add_from_edits("2017", "village", {"420822100201": {"exited": False}})
    hist.add_from_edits(
        "2018",
        "village",
        {
            "420822100201": {"exited": True},
            "420822100202": {"exited": True},
            "420822100203": {"exited": True},
        },
    )
    return hist


def test_periods_are_ordered_and_parsed(history):
    assert history.names() == ["2015", "2016", "2017", "2018"]
    assert parse_period("2016Q3") == (2016, 3)
    with pytest.raises(ProjectError, match="year"):
        parse_period("去年")


def test_earlier_periods_stay_unchanged(history):
    state_2015 = history.get("2015").state("village")
    assert not state_2015.loc["420822100201", "exited"]
    assert state_2015.loc["420822100201", "safe_water_pct"] == 60.0
    with pytest.raises(ProjectError, match="exists"):
        history.add_from_edits("2016", "village", {"420822100201": {"exited": True}})


def test_2015_to_2016(history):
    t = transitions(history.get("2015"), history.get("2016"))
    assert t.of("village_exited")["key"].tolist() == ["420822100201"]
    assert t.count("village_returned") == 0
    assert t.of("water_completed")["key"].tolist() == ["420822100201"]
    assert t.of("power_living_done")["key"].tolist() == ["420822100203"]
    houses = t.of("houses_rebuilt")
    assert houses["key"].tolist() == ["420822100201"] and houses["amount"].tolist() == [
        3
    ]
    moved = t.of("households_relocated")
    assert moved["key"].tolist() == ["420822100203"] and moved["amount"].tolist() == [7]


def test_fall_back_and_exit_again(history):
    back = transitions(history.get("2016"), history.get("2017"))
    assert back.of("village_returned")["name"].tolist() == ["甲村"]
    assert back.count("village_exited") == 0
    final = transitions(history.get("2017"), history.get("2018"))
    assert sorted(final.of("village_exited")["name"]) == ["丙村", "乙村", "甲村"]
    across = transitions(history.get("2015"), history.get("2018"))
    assert across.count("village_exited") == 3
    assert across.count("village_returned") == 0


def test_roads_and_bridges_from_a_list(history):
    project = campaign()
    hist = History()
    hist.snapshot(project, "2015")
    hist.add_from_table(
        "2016", pd.DataFrame({"code": ["B1"], "condition_class": [2]}), "bridge"
    )
    t = transitions(hist.get("2015"), hist.get("2016"))
    assert t.of("bridge_repaired")["key"].tolist() == ["B1"]


def test_apply_redraws_the_project_at_a_period(history):
    project = campaign()
    history.apply(project, "2016")
    villages = project.first("village").frame.set_index("code")
    assert bool(villages.loc["420822100201", "exited"]) is True
    assert villages.loc["420822100203", "relocated_households"] == 12
    history.apply(project, "2015")
    villages = project.first("village").frame.set_index("code")
    assert bool(villages.loc["420822100201", "exited"]) is False


def test_unknown_codes_are_refused(history):
    with pytest.raises(ProjectError, match="does not have"):
        history.add_from_edits("2019", "village", {"999999999999": {"exited": True}})
    assert "2019" not in history.names()


def test_progress_against_the_plan_of_the_rules(history):
    from gisapp.analysis.campaign import progress_by_period, progress_by_township
    from gisapp.analysis.rules import load_rules

    project = campaign()
    frame = project.first("village").frame
    frame["relocation_households"] = pd.array([0, 0, 20, 0], dtype="Int64")
    frame["dangerous_houses"] = pd.array([4, 2, 0, 0], dtype="Int64")
    hist = History()
    hist.snapshot(project, "2015")
    hist.add_from_edits(
        "2016",
        "village",
        {
            "420822100201": {"exited": True, "houses_rebuilt": 3},
            "420822100203": {"relocated_households": 12},
        },
    )
    rules = load_rules("jingmen-2016")
    table = progress_by_period(hist, rules).set_index("period")
    assert table.loc["2015", "villages_exit"] == 0
    assert pd.isna(table.loc["2015", "villages_exit_target"])
    assert table.loc["2016", "villages_exit"] == 1
    assert table.loc["2016", "villages_exit_target"] == 70
    assert not table.loc["2016", "villages_exit_on_track"]
    assert table.loc["2015", "relocation"] == pytest.approx(5 / 20)
    assert table.loc["2016", "relocation"] == pytest.approx(12 / 20)
    assert table.loc["2016", "relocation_target"] == 0.5
    assert table.loc["2016", "relocation_on_track"]
    assert table.loc["2015", "dangerous_houses"] == pytest.approx(2 / 6)
    assert table.loc["2016", "dangerous_houses"] == pytest.approx(5 / 6)
    towns = progress_by_township(hist, rules, "2016").set_index("township")
    assert towns.loc["一镇", "villages_exit"] == 1
    assert towns.loc["二镇", "poor_villages"] == 1


def test_a_list_does_not_rename_places_but_says_where_it_differs(history):
    notes: list[str] = []
    table = pd.DataFrame(
        {
            "code": ["420822100201", "420822100202"],
            "name": ["改名村", None],
            "township": ["一镇", "一镇"],
            "exited": [True, True],
        }
    )
    period, _ = history.add_from_table("2019", table, "village", notes=notes)
    state = period.state("village")
    before = history.get("2018").state("village")
    assert state.loc["420822100201", "name"] == before.loc["420822100201", "name"]
    assert bool(state.loc["420822100202", "exited"]) is True
    assert len(notes) == 1 and "改名村" in notes[0] and "村名" in notes[0]
    assert "420822100201" in notes[0]

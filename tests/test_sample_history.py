"""The sample project's history: the office lists of 2016–2018 read as periods.

Expected figures come from the decision's plan (70 poor villages a year, 3 poor
townships by 2016 and all 10 by 2018) and from the 2015 layers themselves: every
unpaved village road of a poor village and every class 4–5 bridge is done by 2018.
"""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest

from gisapp.analysis import analyse
from gisapp.analysis.campaign import progress_by_period
from gisapp.analysis.rules import load_rules
from gisapp.analysis.transitions import transitions
from gisapp.data.readers import read_source
from gisapp.model.project import load_project, make_layer
from gisapp.paths import SAMPLE_PROJECT
from gisapp.sample.history import (
    FALL_BACK,
    PERIODS_DIR,
    make_history,
    write_history,
)

SAMPLE = SAMPLE_PROJECT.parent


@pytest.fixture(scope="module")
def project():
    return load_project(SAMPLE_PROJECT)


def _flag(frame, col):
    return frame[col].astype("boolean").fillna(False).astype(bool)


def test_the_sample_has_four_periods_with_nothing_unmatched(project):
    assert project.history.names() == ["2015", "2016", "2017", "2018"]
    assert not [m for m in project.messages if "无对应地点" in m]


def test_seventy_villages_leave_each_year_and_four_fall_back(project):
    history = project.history
    first = transitions(history.get("2015"), history.get("2016"))
    assert first.count("village_exited") == 70
    assert first.count("township_exited") == 3
    second = transitions(history.get("2016"), history.get("2017"))
    assert second.count("village_exited") == 70
    assert second.count("village_returned") == FALL_BACK == 4
    third = transitions(history.get("2017"), history.get("2018"))
    assert third.count("village_exited") == 70 + 4
    returned = set(second.of("village_returned")["key"])
    assert returned <= set(third.of("village_exited")["key"])
    assert returned <= set(first.of("village_exited")["key"])


def test_exits_follow_each_village_s_exit_year(project):
    for name in ("2016", "2017", "2018"):
        state = project.history.get(name).state("village")
        poor = state[_flag(state, "is_poor")]
        planned = pd.to_numeric(poor["exit_year"]) <= int(name)
        out = _flag(poor, "exited")
        # 返贫 villages are the only ones planned out but back on the list.
        lagging = planned & ~out
        assert int(lagging.sum()) == (4 if name == "2017" else 0)
        assert not (out & ~planned).any()


def test_progress_meets_the_plan_by_2018(project):
    table = progress_by_period(project.history, load_rules("jingmen-2016"))
    table = table.set_index("period")
    assert table["villages_exit"].tolist() == [0, 70, 136, 210]
    assert table["townships_exit"].tolist() == [0, 3, 6, 10]
    assert table.loc["2018", "relocation"] == pytest.approx(1.0)
    assert table.loc["2018", "dangerous_houses"] == pytest.approx(1.0)
    assert table.loc["2016", "relocation"] >= 0.5


def test_roads_and_bridges_of_poor_villages_are_done_by_2018(project):
    villages = project.first("village").frame
    poor = set(villages.loc[_flag(villages, "is_poor"), "code"])
    roads = project.first("road").frame
    of_village = roads["code"].str.extract(r"^C(\d{12})$", expand=False)
    soft = roads["road_class"].eq("village") & roads["surface"].isin(
        ["gravel", "earth"]
    )
    expected_roads = int((soft & of_village.isin(poor)).sum())
    bridges = project.first("bridge").frame
    expected_bridges = int(bridges["condition_class"].isin([4, 5]).sum())
    assert expected_roads > 0 and expected_bridges == 14
    across = transitions(project.history.get("2015"), project.history.get("2018"))
    hardened = set(across.of("road_hardened")["key"])
    keys = roads["code"] + "+" + roads["start_km"].map("{:.3f}".format)
    assert set(keys[soft & of_village.isin(poor)]) <= hardened
    assert across.count("bridge_repaired") == expected_bridges


def test_every_poor_village_meets_the_standards_in_2018(project):
    project.history.apply(project, "2018")
    try:
        report = analyse(project, year=2018)
    finally:
        project.history.apply(project, "2015")
    poor = report.villages[report.villages["is_poor"].astype(bool)]
    assert len(poor) == 210
    assert (poor["gap_status"] == "green").all()


def test_office_headers_map_to_the_fields(project):
    path = SAMPLE / PERIODS_DIR / "2017年贫困村台账.xlsx"
    layer = make_layer(read_source(path)[0], "village")
    mapped = set(layer.info.mapping.values())
    for name in ("code", "exited", "houses_rebuilt", "relocated_households"):
        assert name in mapped
    roads = make_layer(read_source(SAMPLE / PERIODS_DIR / "2016年道路硬化台账.xlsx")[0])
    assert roads.kind.id == "road"
    assert set(roads.frame["surface"]) == {"cement"}


def test_lists_are_the_same_for_the_same_seed(project, tmp_path):
    villages = project.first("village").frame
    roads = project.first("road").frame
    bridges = project.first("bridge").frame
    entries = []
    for out in (tmp_path / "a", tmp_path / "b"):
        lists = make_history(villages, roads, bridges, seed=2016)
        entries.append(write_history(out, lists))
    assert entries[0] == entries[1]
    for _, path, _, _ in entries[0]:
        assert filecmp.cmp(tmp_path / "a" / path, tmp_path / "b" / path, False)
        assert filecmp.cmp(tmp_path / "a" / path, SAMPLE / path, False)

"""A saved project keeps its periods, value for value, and the period on its layers."""

from __future__ import annotations

import pandas as pd
import pytest

from gisapp.model.periods import History
from gisapp.model.store import load_saved_project, save_project
from tests.model.test_periods import campaign


@pytest.fixture
def project():
    project = campaign()
    project.history = History()
    project.history.snapshot(project, "2015")
    project.history.add_from_edits(
        "2016",
        "village",
        {"420822100201": {"exited": True, "safe_water_pct": 100.0}},
    )
    project.history.add_from_edits(
        "2017Q2", "village", {"420822100201": {"exited": False}}
    )
    return project


def test_periods_survive_save_and_open(project, tmp_path):
    project.history.apply(project, "2016")
    path = save_project(project, tmp_path / "campaign.gpkg")
    again = load_saved_project(path)
    assert again.history.names() == ["2015", "2016", "2017Q2"]
    assert again.period == "2016"
    for before, after in zip(
        project.history.periods, again.history.periods, strict=True
    ):
        assert before.note == after.note
        assert sorted(before.states) == sorted(after.states)
        for kind_id, state in before.states.items():
            pd.testing.assert_frame_equal(state, after.states[kind_id])
    village = again.history.get("2017Q2").state("village")
    assert bool(village.loc["420822100201", "exited"]) is False
    assert village.loc["420822100201", "safe_water_pct"] == 100.0


def test_a_column_of_mixed_values_comes_back_as_it_was(project, tmp_path):
    mixed = pd.Series([True, 1, None, "是"], dtype=object)
    state = project.history.periods[0].states["village"]
    odd = state.assign(note=mixed.to_numpy()[: len(state)])
    project.history.periods[0] = type(project.history.periods[0])(
        "2015", {**project.history.periods[0].states, "village": odd}
    )
    again = load_saved_project(save_project(project, tmp_path / "mixed.gpkg"))
    values = again.history.get("2015").states["village"]["note"].tolist()
    assert values == mixed.tolist()[: len(state)]
    assert [type(v) for v in values] == [type(v) for v in mixed.tolist()[: len(state)]]


def test_a_project_without_periods_opens_without_them(tmp_path):
    project = campaign()
    again = load_saved_project(save_project(project, tmp_path / "plain.gpkg"))
    assert again.history.names() == []
    assert again.period is None

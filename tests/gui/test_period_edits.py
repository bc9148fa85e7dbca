"""New periods made in the window: edits recorded as a period, updated lists imported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gisapp.model.store import load_saved_project

pytestmark = pytest.mark.gui


def _choose(window, qtbot, name: str) -> None:
    window.set_period(name)
    qtbot.waitUntil(
        lambda: window.period == name and not window.runner.busy, timeout=60000
    )


def _row(layer, code: str) -> int:
    return int(np.flatnonzero((layer.frame["code"] == code).to_numpy())[0])


def _without(window, period: str, column: str = "exited") -> str:
    """A village whose ``column`` is false at ``period`` (a poor one if any)."""
    state = window.doc.project.history.get(period).state("village")
    left = state[~state[column].fillna(False).astype(bool)]
    poor = left[left["is_poor"].fillna(False).astype(bool)]
    return str((poor if len(poor) else left).index[0])


def test_edits_recorded_as_a_new_period_leave_earlier_ones_as_they_were(
    window, qtbot, tmp_path
):
    _choose(window, qtbot, "2018")
    code = _without(window, "2018", "has_bus")
    layer = window.doc.project.first("village")
    row = _row(layer, code)
    window.doc.edit_value(layer, row, "has_bus", True)
    assert window.edits_since_period()

    window.ask_new_period = lambda: ("2019", "核查后出列")
    assert window.record_period() == "2019"
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    history = window.doc.project.history
    assert history.names()[-1] == "2019"
    assert window.period == "2019" and window.period_bar.names[-1] == "2019"
    assert bool(history.get("2019").state("village").loc[code, "has_bus"]) is True
    assert bool(history.get("2018").state("village").loc[code, "has_bus"]) is False
    assert not window.edits_since_period()
    assert not window.doc.undo.isClean(), "the project file lacks the new period"

    # no question on leaving: the edits are in 2019 now
    window.ask_leaving_period = lambda: pytest.fail("asked although nothing is lost")
    _choose(window, qtbot, "2018")
    assert bool(layer.frame["has_bus"].iloc[_row(layer, code)]) is False
    _choose(window, qtbot, "2019")
    assert bool(layer.frame["has_bus"].iloc[_row(layer, code)]) is True

    # saved and opened again, the project still has the period
    target = tmp_path / "campaign.gpkg"
    window.projects.save(target)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    again = load_saved_project(target)
    assert again.history.names()[-1] == "2019"
    assert again.period == "2019"
    assert bool(again.history.get("2019").state("village").loc[code, "has_bus"])


@pytest.mark.parametrize("choice", ["cancel", "drop"])
def test_leaving_a_period_with_edits_asks_first(window, qtbot, choice):
    layer = window.doc.project.first("village")
    code = _without(window, "2015")
    row = _row(layer, code)
    window.doc.edit_value(layer, row, "exited", True)
    asked = []
    window.ask_leaving_period = lambda: asked.append(choice) or choice
    window.set_period("2016")
    assert asked == [choice]
    if choice == "cancel":
        assert window.period == "2015"
        assert window.period_bar.slider.value() == 0
        assert bool(layer.frame["exited"].iloc[row]) is True
        assert window.edits_since_period()
    else:
        qtbot.waitUntil(
            lambda: window.period == "2016" and not window.runner.busy, timeout=60000
        )
        state = window.doc.project.history.get("2016").state("village")
        assert bool(layer.frame["exited"].iloc[row]) == bool(state.loc[code, "exited"])
    assert window.doc.project.history.names() == ["2015", "2016", "2017", "2018"]


def test_recording_from_the_leaving_question_keeps_the_edits(window, qtbot):
    layer = window.doc.project.first("village")
    code = _without(window, "2015")
    code = _without(window, "2015", "has_bus")
    window.doc.edit_value(layer, _row(layer, code), "has_bus", True)
    window.ask_leaving_period = lambda: "record"
    window.ask_new_period = lambda: ("2016Q1", "")
    window.set_period("2017")
    qtbot.waitUntil(
        lambda: window.period == "2017" and not window.runner.busy, timeout=60000
    )
    history = window.doc.project.history
    assert history.names() == ["2015", "2016Q1", "2016", "2017", "2018"]
    assert bool(history.get("2016Q1").state("village").loc[code, "has_bus"]) is True


def test_an_updated_list_makes_a_new_period(window, qtbot, tmp_path):
    _choose(window, qtbot, "2018")
    state = window.doc.project.history.get("2018").state("village")
    poor = state[state["is_poor"].fillna(False)]
    codes = [str(poor.index[0]), str(poor.index[-1])]
    table = pd.DataFrame(
        {
            "村代码": codes + ["420999999999"],
            "村名": ["甲", "乙", "查无此村"],
            "通客车": ["是", "是", "是"],
            "安全饮水覆盖率": [12.5, 37.5, 100],
            "帮扶干部": ["张三", "李四", "王五"],
        }
    )
    path = tmp_path / "2019年贫困村台账.xlsx"
    table.to_excel(path, index=False)
    asked = {}

    def answer(tables):
        asked["kinds"] = [kind for _, kind in tables]
        return "2019", asked["kinds"], "2018"

    window.ask_list_period = answer
    window.import_period_lists([path])
    qtbot.waitUntil(
        lambda: window.period == "2019" and not window.runner.busy, timeout=60000
    )
    assert asked["kinds"] == ["village"]
    new = window.doc.project.history.get("2019").state("village")
    for code in codes:
        assert bool(new.loc[code, "has_bus"]) is True
    assert new.loc[codes, "safe_water_pct"].tolist() == [12.5, 37.5]
    untouched = new.index.difference(codes)
    pd.testing.assert_frame_equal(
        new.loc[untouched, state.columns], state.loc[untouched]
    )
    assert new.loc[codes, "帮扶干部"].tolist() == ["张三", "李四"]
    warnings = [m.text for m in window.messages.messages if m.level == "warning"]
    assert any("420999999999" in text for text in warnings)
    assert any("帮扶干部" in text and "附加列" in text for text in warnings)
    # the list's 村名 (甲, 乙) do not rename the villages; the difference is told
    assert new.loc[codes, "name"].tolist() == state.loc[codes, "name"].tolist()
    assert any("村名" in text and "甲" in text for text in warnings)
    layer = window.doc.project.first("village")
    assert layer.frame["safe_water_pct"].iloc[_row(layer, codes[0])] == 12.5


def test_a_list_without_codes_is_refused_and_changes_nothing(window, qtbot, tmp_path):
    path = tmp_path / "名单.xlsx"
    pd.DataFrame({"村名": ["甲村"], "是否出列": ["是"]}).to_excel(path, index=False)
    window.ask_list_period = lambda tables: ("2019", ["village"], "2018")
    before = window.doc.project.history.names()
    window.import_period_lists([path])
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    qtbot.wait(50)
    assert window.doc.project.history.names() == before
    errors = [m for m in window.messages.messages if m.level == "error"]
    assert errors and "名单.xlsx" in errors[-1].details + errors[-1].text
    assert path.exists()


def test_the_period_dialog_wants_a_new_year_or_quarter(window):
    from gisapp.ui.period_edits import NewPeriodDialog

    history = window.doc.project.history
    dialog = NewPeriodDialog(history, "t", "intro", base="2016", parent=window)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.period_name() == "2019" and ok.isEnabled()
    dialog.name.setText("2016Q3")  # before 2016, which stands for the year's end
    assert not ok.isEnabled() and "2016" in dialog.problem.text()
    dialog.name.setText("2017Q1")
    assert ok.isEnabled()
    dialog.name.setText("2017")
    assert not ok.isEnabled() and "2017" in dialog.problem.text()
    dialog.name.setText("明年")
    assert not ok.isEnabled()
    dialog.name.setText("2019Q1")
    assert ok.isEnabled()
    dialog.deleteLater()

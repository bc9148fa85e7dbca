"""The campaign over time in the window: period slider, progress chart, exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PyQt6.QtGui import QColor

from gisapp.analysis.transitions import CHANGE_ZH
from tests.gui.conftest import save_artifact

pytestmark = pytest.mark.gui

GREEN = "#1a9850"  # styles/village.toml: 贫困村 · 达标


def _list(sample_project, year: int) -> pd.DataFrame:
    path = sample_project.parent / "periods" / f"{year}年贫困村台账.xlsx"
    table = pd.read_excel(path, dtype={"村代码": str}, engine="openpyxl")
    return table.set_index("村代码")


def _exiting_in_2018(sample_project) -> list[str]:
    """Poor villages marked 出列 in the 2018 list and not in the 2017 list."""
    before, after = _list(sample_project, 2017), _list(sample_project, 2018)
    poor = after["是否贫困村"] == "是"
    out = (after["是否出列"] == "是") & (
        before["是否出列"].reindex(after.index) == "否"
    )
    return sorted(after.index[poor & out])


def _choose(window, qtbot, name: str) -> None:
    slider = window.period_bar.slider
    slider.setValue(window.period_bar.names.index(name))
    qtbot.waitUntil(
        lambda: window.period == name and not window.runner.busy, timeout=60000
    )
    qtbot.waitUntil(lambda: window.canvas.is_current, timeout=30000)
    qtbot.wait(20)


def _status(window, code: str) -> str:
    frame = window.doc.project.first("village").frame
    return str(frame.loc[frame["code"] == code, "gap_status"].iloc[0])


def _centre(window) -> QColor:
    image = window.canvas.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def _close(colour: QColor, hex_colour: str, tolerance: int = 30) -> bool:
    want = QColor(hex_colour)
    diff = (
        abs(colour.red() - want.red())
        + abs(colour.green() - want.green())
        + abs(colour.blue() - want.blue())
    )
    return diff <= tolerance


def _highlighted(chart, name: str) -> int:
    """Pixels of the highlight colour in the villages chart's column of ``name``."""
    image = chart.grab().toImage()
    rect = chart.column_rect(0, name).toRect()
    ratio = image.devicePixelRatio()
    count = 0
    for x in range(rect.left() + 1, rect.right() - 1, 2):
        for y in range(rect.top() + 1, rect.top() + 12):
            c = image.pixelColor(int(x * ratio), int(y * ratio))
            count += abs(c.red() - 255) < 6 and 236 <= c.green() <= 250
    return count


def test_the_slider_shows_periods_and_recolours_a_village_leaving_in_2018(
    window, qtbot, sample_project
):
    project = window.doc.project
    assert window.campaign_dock.isVisibleTo(window)
    assert window.period_bar.names == ["2015", "2016", "2017", "2018"]
    assert window.period == "2015"
    assert window.progress_chart.current == "2015"
    layer = project.first("village")
    original = layer.frame[["code", "exited", "is_poor"]].copy()

    _choose(window, qtbot, "2017")
    candidates = [
        c for c in _exiting_in_2018(sample_project) if _status(window, c) != "green"
    ]
    assert candidates, "villages leaving in 2018 still had gaps in 2017"
    code = candidates[0]
    row = int(np.flatnonzero((layer.frame["code"] == code).to_numpy())[0])
    assert not bool(layer.frame["exited"].iloc[row])
    window.canvas.zoom_to_rows(layer, [row])
    qtbot.waitUntil(lambda: window.canvas.is_current, timeout=30000)
    assert not _close(_centre(window), GREEN)
    before_2018 = _highlighted(window.progress_chart, "2018")

    _choose(window, qtbot, "2018")
    assert bool(layer.frame["exited"].iloc[row])
    assert _status(window, code) == "green"
    assert window.doc.report.year == 2018
    assert _close(_centre(window), GREEN), "the village is drawn as 达标 in 2018"
    assert window.progress_chart.current == "2018"
    assert _highlighted(window.progress_chart, "2018") > before_2018 + 10
    assert _highlighted(window.progress_chart, "2017") == 0
    assert "2018" in window.period_bar.state.text()
    window.canvas.zoom_full()
    qtbot.waitUntil(lambda: window.canvas.is_current, timeout=30000)
    save_artifact(window, "main_window_2018.png")

    _choose(window, qtbot, "2015")  # every period is whole: 2015 comes back as it was
    now = layer.frame[["code", "exited", "is_poor"]]
    pd.testing.assert_frame_equal(now, original)
    assert window.doc.report.year == 2015


def test_moving_the_slider_quickly_ends_on_the_last_period(window, qtbot):
    slider = window.period_bar.slider
    for name in ("2016", "2018", "2017"):
        slider.setValue(window.period_bar.names.index(name))
    qtbot.waitUntil(
        lambda: window.period == "2017" and not window.runner.busy, timeout=120000
    )
    assert window.doc.report.year == 2017
    assert window.progress_chart.current == "2017"
    exited = window.doc.project.first("village").frame["exited"].fillna(False)
    assert (
        int(exited.astype(bool).sum())
        == window.progress_chart.progress.set_index("period").loc[
            "2017", "villages_exit"
        ]
    )


def test_the_change_map_action_writes_a_pdf_and_its_table(
    window, qtbot, tmp_path, sample_project
):
    target = tmp_path / "变化图.pdf"
    frame_before = window.doc.project.first("village").frame.copy()
    job = window.export_change_map("2017", "2018", target)
    assert window.job_bar.isVisibleTo(window)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=300000)
    assert not [m for m in window.messages.messages if m.level == "error"]
    assert target.read_bytes()[:5] == b"%PDF-"
    table = pd.read_excel(tmp_path / "变化图_变化表.xlsx", engine="openpyxl")
    out = table[table["变化"] == CHANGE_ZH["village_exited"]]
    assert sorted(out["代码/序号"].astype(str)) == _exiting_in_2018(sample_project)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "变化图.pdf",
        "变化图_变化表.xlsx",
    ]
    assert job.title
    # the window's project was not touched by the export
    pd.testing.assert_frame_equal(
        window.doc.project.first("village").frame, frame_before
    )


def test_the_change_dialog_wants_an_earlier_and_a_later_period(window, qtbot):
    from gisapp.ui.campaign import ChangeDialog

    dialog = ChangeDialog(window.period_bar.names, "2017", window)
    assert dialog.periods() == ("2016", "2017")
    assert dialog.ok.isEnabled()
    dialog.before.setCurrentText("2018")
    assert not dialog.ok.isEnabled()
    dialog.deleteLater()


def test_a_cancelled_animation_writes_nothing(window, qtbot, tmp_path):
    target = tmp_path / "进展.gif"
    job = window.export_animation(target)
    job.ctx.cancel()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=300000)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert not [m for m in window.messages.messages if m.level == "error"]


def test_closing_during_a_period_change_leaves_no_threads(window, qtbot):
    import threading

    from tests.gui.conftest import close_window

    window.period_bar.slider.setValue(window.period_bar.names.index("2018"))
    assert window.runner.busy, "the gap check of 2018 runs in the background"
    close_window(window, qtbot)
    workers = [
        t.name
        for t in threading.enumerate()
        if t.name.startswith(("gisapp-job", "gisapp-render")) and t.is_alive()
    ]
    assert workers == []


def test_the_book_of_the_period_on_the_map_says_its_period(window, qtbot, tmp_path):
    from pypdf import PdfReader

    title = window.doc.project.title
    _choose(window, qtbot, "2017")
    target = tmp_path / "图册.pdf"
    window.export_book(target)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=300000)
    assert not [m for m in window.messages.messages if m.level == "error"]
    reader = PdfReader(target)
    towns = window.doc.report.villages
    poor = towns[towns["is_poor"].fillna(False).astype(bool)]
    assert len(reader.pages) == poor["township"].nunique()
    assert "2017年状态" in reader.pages[0].extract_text()
    assert window.doc.project.title == title, "the window's project is not relabelled"

"""A planning officer's day in the real window: open, look, select, edit, export."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QItemSelectionModel, QPoint, QRect, Qt
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import QPlainTextEdit

from tests.gui.conftest import save_artifact

pytestmark = pytest.mark.gui

POOR_VILLAGES = 210  # issue 2: 210 poor villages in 10 poor townships


def _image(canvas):
    return canvas.grab().toImage()


def _pixels_like(image, colour: str, tolerance: int = 40) -> int:
    """How many pixels of an image are close to a colour."""
    target = QColor(colour)
    ptr = image.convertToFormat(image.Format.Format_RGB32).constBits()
    ptr.setsize(image.width() * image.height() * 4)
    arr = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.width(), 4)
    diff = (
        np.abs(arr[:, :, 2].astype(int) - target.red())
        + np.abs(arr[:, :, 1].astype(int) - target.green())
        + np.abs(arr[:, :, 0].astype(int) - target.blue())
    )
    return int((diff <= tolerance).sum())


def _wait_frame(qtbot, canvas):
    qtbot.waitUntil(lambda: canvas.is_current, timeout=30000)
    qtbot.wait(20)


def _village_layer(window):
    layer = window.doc.project.first("village")
    assert layer is not None
    return layer


def test_opens_the_sample_project_with_map_layers_and_gaps(window):
    project = window.doc.project
    assert len(project.layers) >= 10
    assert window.layer_panel.model.rowCount() == len(project.layers)
    assert window.gap_panel.proxy.rowCount() == POOR_VILLAGES
    background = _pixels_like(_image(window.canvas), "#f7f6f2", tolerance=0)
    total = window.canvas.width() * window.canvas.height()
    assert background < 0.9 * total, "the map is blank"
    assert project.title in window.windowTitle()
    assert window.first_map_seconds is not None
    path = save_artifact(window, "main_window.png")
    assert path.stat().st_size > 10_000


def test_toggling_the_village_layer_removes_its_symbols(window, qtbot):
    red = "#d7301f"
    before = _pixels_like(_image(window.canvas), red, 30)
    assert before > 50, "poor villages with large gaps are drawn in red"
    layer = _village_layer(window)
    model = window.layer_panel.model
    index = model.index_of(layer)
    model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert layer.visible is False
    _wait_frame(qtbot, window.canvas)
    after = _pixels_like(_image(window.canvas), red, 30)
    assert after < before / 5
    model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    _wait_frame(qtbot, window.canvas)
    assert _pixels_like(_image(window.canvas), red, 30) > before / 2


def test_selecting_in_the_table_shows_on_the_map_and_back(window, qtbot):
    layer = _village_layer(window)
    window.doc.set_current_layer(layer)
    panel = window.attributes
    assert panel.model.layer is layer
    view = panel.view
    view.selectionModel().select(
        panel.proxy.index(4, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows,
    )
    chosen = int(panel.proxy.source_rows([4])[0])
    assert window.doc.selection(layer).tolist() == [chosen]
    window.canvas.zoom_to_rows(layer, [chosen])
    _wait_frame(qtbot, window.canvas)
    highlighted = _pixels_like(_image(window.canvas), "#00b4ff", 20)
    assert highlighted > 20, "the selected village is outlined on the map"

    # and from the map to the table: a rectangle around the middle of the view
    window.doc.clear_selection()
    assert not view.selectionModel().hasSelection()
    canvas = window.canvas
    w, h = canvas.width(), canvas.height()
    canvas.select_rect(
        QRect(QPoint(w // 2 - 40, h // 2 - 40), QPoint(w // 2 + 40, h // 2 + 40))
    )
    rows = window.doc.selection(layer)
    assert chosen in rows.tolist()
    selected = panel.proxy.source_rows(
        [i.row() for i in view.selectionModel().selectedRows()]
    )
    assert sorted(selected.tolist()) == sorted(rows.tolist())


def test_an_edit_is_undone_and_redone(window):
    layer = _village_layer(window)
    window.doc.set_current_layer(layer)
    panel = window.attributes
    col = panel.model.columns.index("households")
    index = panel.proxy.index(0, col)
    row = int(panel.proxy.source_rows([0])[0])
    old = layer.frame["households"].iloc[row]
    assert panel.proxy.setData(index, "1234")
    assert layer.frame["households"].iloc[row] == 1234
    assert panel.proxy.data(index) == "1234"
    assert not panel.proxy.setData(index, "many")  # not a number: refused
    assert layer.frame["households"].iloc[row] == 1234
    window.act_undo.trigger()
    assert layer.frame["households"].iloc[row] == old
    window.act_redo.trigger()
    assert layer.frame["households"].iloc[row] == 1234
    assert "*" in window.windowTitle()


def test_exports_run_in_the_background_with_progress(window, qtbot, tmp_path):
    seen = []
    window.runner.progress.connect(lambda job, share, text: seen.append(job.title))
    target = tmp_path / "清单.xlsx"
    job = window.export("tables", target)
    assert window.job_bar.isVisibleTo(window)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    assert target.exists() and target.stat().st_size > 5000
    assert job.title in seen
    assert not window.job_bar.isVisibleTo(window)
    assert not [m for m in window.messages.messages if m.level == "error"]


def test_a_cancelled_export_writes_nothing(window, qtbot, tmp_path):
    target = tmp_path / "作战图.pdf"
    window.export("wallmap", target)
    qtbot.mouseClick(window.job_bar.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120000)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert not [m for m in window.messages.messages if m.level == "error"]


def test_a_failing_job_is_reported_in_plain_words(window, qtbot):
    from gisapp.errors import ReadError

    def work(ctx):
        raise ReadError("the file cannot be read", path="村界.shp", fix="copy it again")

    window.runner.submit("读取村界", work)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=5000)
    errors = [m for m in window.messages.messages if m.level == "error"]
    assert len(errors) == 1
    assert "村界.shp" in errors[0].text and "copy it again" in errors[0].text
    assert "Traceback" in errors[0].details
    dialog = window.messages.show_details()
    (text,) = dialog.findChildren(QPlainTextEdit)
    assert "Traceback" in text.toPlainText() and "ReadError" in text.toPlainText()
    dialog.close()


def test_a_click_in_the_gap_panel_shows_the_village_and_its_card(window, qtbot):
    panel = window.gap_panel
    panel.township.setCurrentIndex(1)  # the first township in the list
    town = panel.township.currentData()
    shown = panel.proxy.rowCount()
    report = window.doc.report.villages
    poor = report[report["is_poor"]]
    assert shown == int((poor["township"] == town).sum()) > 0
    panel.status.setCurrentIndex(panel.status.findData("red"))
    red = int(((poor["township"] == town) & (poor["gap_status"] == "red")).sum())
    assert panel.proxy.rowCount() == red
    panel.status.setCurrentIndex(0)
    index = panel.proxy.index(0, 0)
    qtbot.mouseClick(
        panel.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.view.visualRect(index).center(),
    )
    code = panel.model.row(panel.proxy.mapToSource(index).row())["code"]
    layer = window.doc.project.first("village")
    row = int(window.doc.selection(layer)[0])
    assert layer.frame["code"].iloc[row] == code
    assert code in window.info.title.text()
    assert window.info.table.rowCount() == len(window.doc.report.card(code))
    x0, y0, x1, y1 = window.canvas.view.bounds
    geom = layer.projected(window.canvas.crs).iloc[row]
    assert x0 < geom.centroid.x < x1 and y0 < geom.centroid.y < y1
    assert x1 - x0 < 20_000  # zoomed in to the village, not the whole city

"""Projects in the window: save and reopen, autosave and recovery, shares, drops."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PyQt6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PyQt6.QtGui import QDragEnterEvent, QDropEvent
from PyQt6.QtWidgets import QApplication

from gisapp.model.store import is_project_file

pytestmark = pytest.mark.gui


def _idle(window, qtbot, timeout=60000):
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=timeout)


def test_save_as_one_geopackage_and_open_it_again(window, qtbot, tmp_path):
    village = window.doc.project.first("village")
    window.doc.edit_value(village, 0, "households", 777)
    target = tmp_path / "作战图项目.gpkg"
    window.projects.save(target)
    _idle(window, qtbot)
    assert is_project_file(target)
    assert window.doc.undo.isClean()
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary left
    names = [layer.name for layer in window.doc.project.layers]
    window.open_path(target)
    _idle(window, qtbot)
    assert [layer.name for layer in window.doc.project.layers] == names
    assert window.doc.project.first("village").frame["households"].iloc[0] == 777
    assert str(target) in window.settings.recent
    window.doc.set_project(type(window.doc.project)())
    window._fill_recent()
    recent = window.recent_menu.actions()[0]
    assert recent.text() == str(target)
    recent.trigger()
    _idle(window, qtbot)
    assert window.doc.project.path == target


def test_a_layers_own_style_is_saved_and_opened_with_it(window, qtbot, tmp_path):
    from gisapp.model.layer import Layer

    village = window.doc.project.first("village")
    twin = Layer("第二批村", village.kind, village.frame.copy(), village.info)
    window.doc.add_layer(twin)
    dialog = window.style_dialog(twin)
    dialog.mode.setCurrentIndex(dialog.mode.findData("single"))
    dialog.size.setValue(4.0)
    dialog.accept()
    chosen = twin.style
    assert chosen.category_field is None and village.style is None

    target = tmp_path / "两种样式.gpkg"
    window.projects.save(target)
    _idle(window, qtbot)
    window.open_path(target)
    _idle(window, qtbot)
    first, second = window.doc.project.layers_of("village")
    assert (first.name, second.name) == (village.name, "第二批村")
    assert first.style is None
    assert second.style == chosen
    assert second.style.symbol["size_mm"] == 4.0


def test_autosave_is_offered_back_after_a_crash(window, qtbot, tmp_path):
    village = window.doc.project.first("village")
    window.doc.edit_value(village, 3, "households", 4321)
    window.projects.autosave()
    _idle(window, qtbot)
    own = window.projects._autosave_path
    assert own.exists()
    assert window.projects.leftovers() == []  # this session is alive

    # another session that wrote its autosave and then died without closing
    crashed = own.with_name("session-77.gpkg")
    script = (
        "import os, shutil, sys\n"
        "from PyQt6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1]); assert lock.tryLock(0)\n"
        "shutil.copy(sys.argv[2], sys.argv[3]); os._exit(3)\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(crashed.with_suffix(".lock")),
            str(own),
            str(crashed),
        ],
        timeout=60,
    )
    assert done.returncode == 3 and crashed.with_suffix(".lock").exists()
    assert window.projects.leftovers() == [crashed]
    window.projects.recover(crashed)
    _idle(window, qtbot)
    assert window.doc.project.first("village").frame["households"].iloc[3] == 4321
    assert not crashed.exists()


def test_files_on_a_network_drive_are_opened_from_a_local_copy(
    window, qtbot, tmp_path, jingmen_dir
):
    share = tmp_path / "share"
    share.mkdir()
    original = share / "乡镇驻地.geojson"
    shutil.copy(jingmen_dir / "township_seats.geojson", original)
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    window.settings.network_roots = [str(share)]
    before = len(window.doc.project.layers)
    window.drop_files([original])
    _idle(window, qtbot)
    assert len(window.doc.project.layers) == before + 1
    added = window.doc.project.layers[-1]
    assert Path(added.info.path) != original
    assert share not in Path(added.info.path).parents
    assert hashlib.sha256(original.read_bytes()).hexdigest() == digest
    assert any(
        "网络盘" in m.text or "network drive" in m.text
        for m in window.messages.messages
    )


def test_dropping_a_file_on_the_window_adds_it_as_a_layer(window, qtbot, jingmen_dir):
    before = len(window.doc.project.layers)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(jingmen_dir / "hydro_1to4m.gpkg"))])
    args = (
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(300, 300), *args)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(300, 300), *args))
    _idle(window, qtbot)
    kinds = [layer.kind.id for layer in window.doc.project.layers[before:]]
    assert sorted(kinds) == ["lake", "river"]


def test_the_import_dialog_previews_and_maps_columns(window, qtbot, jingmen_dir):
    from gisapp.ui.importer import ImportDialog

    dialog = ImportDialog(window, jingmen_dir / "township_seats.geojson")
    _idle(window, qtbot)
    assert dialog.kind.currentData() == "township"
    assert dialog.preview.rowCount() > 10
    assert dialog.chosen_mapping().get("name") == "name"
    added = []
    dialog.layer_ready.connect(added.append)
    dialog.accept()
    assert len(added) == 1 and added[0].kind.id == "township"
    assert len(added[0].frame) == dialog.loaded.info.feature_count
    dialog.deleteLater()


def test_an_imported_table_without_places_fills_the_villages_by_code(
    window, qtbot, tmp_path
):
    village = window.doc.project.first("village")
    code = village.frame["code"].iloc[5]
    table = tmp_path / "村台账.csv"
    table.write_text(
        f"村代码,村名,帮扶单位\n{code},测试村,市水利局\n", encoding="utf-8"
    )
    dialog = window.import_dialog(table)
    _idle(window, qtbot)
    assert dialog.kind.currentData() == "village"
    before = len(window.doc.project.layers)
    dialog.accept()
    _idle(window, qtbot)
    assert len(window.doc.project.layers) == before
    assert village.frame["responsible_unit"].iloc[5] == "市水利局"
    joined = [m.text for m in window.messages.messages if m.text.startswith("村台账")]
    assert len(joined) == 1 and village.name in joined[0]


def test_changes_outside_the_undo_stack_still_ask_to_be_saved(window, qtbot, tmp_path):
    target = tmp_path / "项目.gpkg"
    window.projects.save(target)
    _idle(window, qtbot)
    assert window.doc.undo.isClean()
    roads = window.doc.project.first("road")
    window.doc.set_visible(roads, False)
    assert not window.doc.undo.isClean()
    assert window.windowTitle().split(" — ")[1].endswith("*")
    window.projects.save(target)
    _idle(window, qtbot)
    assert window.doc.undo.isClean()
    window.doc.set_opacity(roads, 0.5)
    assert not window.doc.undo.isClean()
    window.projects.save(target)
    _idle(window, qtbot)
    window.doc.move_layer(roads, 0)
    assert not window.doc.undo.isClean()


def test_autosaves_and_working_copies_stay_in_the_data_folder(window):
    data = Path(os.environ["GISAPP_DATA_DIR"])
    assert window.projects.autosave_dir.parent == data
    assert window.projects.work_dir.parent == data
    assert not data.is_relative_to(Path.home())

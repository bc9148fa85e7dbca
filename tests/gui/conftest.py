"""Fixtures that drive the real main window offscreen.

Every test starts with its own settings and app-data folders and must end with
no worker thread, active timer or window left behind.
"""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PyQt6.QtCore import QCoreApplication, QEvent, QSettings, QTimer  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from gisapp.paths import SAMPLE_PROJECT  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FIRST_MAP_MS = 60_000


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory, request) -> Path:
    """The sample project of Jingmen (generated once when the repo holds none)."""
    if SAMPLE_PROJECT.exists():
        return SAMPLE_PROJECT
    from gisapp.sample.build import build_sample

    shared_dir = request.getfixturevalue("shared_dir")
    out = tmp_path_factory.mktemp("sample") / "jingmen"
    return build_sample(out, real_dir=shared_dir / "data" / "jingmen")


@pytest.fixture(scope="session")
def qapp_args():
    return ["gisapp-tests"]


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, tmp_path_factory, monkeypatch, qapp):
    """Settings, autosaves and working copies of this test only."""
    QCoreApplication.setOrganizationName("JingmenPlanningTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # QSettings(organisation, application) is NativeFormat: both must move, or the
    # tests would read and write the user's own window layout.
    folder = str(tmp_path_factory.mktemp("settings"))
    for form in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, folder)
    monkeypatch.setenv("GISAPP_DATA_DIR", str(tmp_path_factory.mktemp("appdata")))
    yield


def _active_timers() -> list[QTimer]:
    from PyQt6 import sip

    return [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, QTimer) and not sip.isdeleted(obj) and obj.isActive()
    ]


@pytest.fixture(autouse=True)
def no_leftovers(qapp):
    """Fail a test that leaves threads, timers or windows behind."""
    threads_before = set(threading.enumerate())
    yield
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        qapp.processEvents()
    threads = [
        t for t in threading.enumerate() if t not in threads_before and t.is_alive()
    ]
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    timers = _active_timers()
    for w in windows:
        w.close()
    assert not threads, f"threads left running: {threads}"
    assert not windows, f"windows left open: {windows}"
    assert not timers, f"timers left running: {[t.objectName() or t for t in timers]}"


def close_window(window, qtbot) -> None:
    """Close as a user would, with unsaved edits dropped, and let deletions run."""
    window.doc.undo.setClean()
    window.close()
    window.deleteLater()
    qtbot.wait(10)


@pytest.fixture
def window(qtbot, sample_project):
    """The main window on the sample project, its first map painted, gaps checked."""
    from gisapp.ui.app import make_application
    from gisapp.ui.mainwindow import start_window

    make_application()
    win = start_window(sample_project)
    with qtbot.waitSignal(win.doc.report_changed, timeout=FIRST_MAP_MS):
        pass
    qtbot.waitUntil(lambda: win.first_map_seconds is not None, timeout=FIRST_MAP_MS)
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=FIRST_MAP_MS)
    qtbot.waitUntil(lambda: win.canvas.is_current, timeout=FIRST_MAP_MS)
    yield win
    from PyQt6 import sip

    if not sip.isdeleted(win) and not win.isHidden():
        close_window(win, qtbot)


def save_artifact(widget, name: str, size=(1500, 950)) -> Path:
    """A picture of a widget for people to look at; a main window is first given
    the size of an office screen and its map drawn again at that size."""
    import time

    from PyQt6.QtWidgets import QApplication

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    canvas = getattr(widget, "canvas", None)
    if canvas is not None and size is not None:
        widget.resize(*size)
        end = time.monotonic() + 30
        QApplication.processEvents()
        while time.monotonic() < end and not (
            canvas.is_current and canvas.width() > size[0] // 3
        ):
            QApplication.processEvents()
            time.sleep(0.01)
        canvas.zoom_full()
        while time.monotonic() < end and not canvas.is_current:
            QApplication.processEvents()
            time.sleep(0.01)
    widget.grab().save(str(path))
    return path

"""Start the desktop application: ``run()`` opens the window on the sample project."""

from __future__ import annotations

import logging
import os
import sys
import time

from PyQt6.QtCore import QCoreApplication, Qt
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import QApplication

from gisapp.errors import GisAppError
from gisapp.ui.i18n import install_language
from gisapp.ui.settings import APPLICATION, ORGANISATION, Settings

log = logging.getLogger(__name__)
_STARTED = time.perf_counter()
UI_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
)


def _process_age() -> float:
    """Seconds since the process started (Linux), else since this module was imported."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _STARTED


def make_application(argv=None) -> QApplication:
    """The QApplication with names, language and font from the settings."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)
        app = QApplication(list(argv or sys.argv[:1]))
    app.setApplicationDisplayName("")
    settings = Settings()
    install_language(settings.language)
    font = QFont(app.font())
    families = [settings.font_family] if settings.font_family else []
    font.setFamilies([*families, *UI_FONTS, font.family()])
    font.setPointSize(settings.font_size)
    app.setFont(font)
    app.setStyle("Fusion")
    return app


def check_display() -> None:
    """Refuse to start without a display: on Linux, Qt would abort the process.

    Raises
    ------
    GisAppError
        On Linux when neither ``DISPLAY`` nor ``WAYLAND_DISPLAY`` is set and no Qt
        platform (``QT_QPA_PLATFORM``, e.g. offscreen) is chosen.
    """
    if not sys.platform.startswith("linux"):
        return
    env = os.environ
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM"):
        return
    raise GisAppError(
        "there is no display to open the window on",
        value="DISPLAY and WAYLAND_DISPLAY are not set",
        fix="run it under xvfb-run (xvfb-run python main.py), or export the maps "
        "without a window: python main.py battlemap PROJECT -o DIR",
    )


def run(project_path=None) -> int:
    """Open the window (on the sample project when no path is given); the exit code."""
    check_display()
    started = time.perf_counter() - _process_age()
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = make_application()
    from gisapp.ui.mainwindow import start_window

    window = start_window(project_path, started_at=started)
    code = app.exec()
    del window
    return code

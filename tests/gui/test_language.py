"""Every visible string goes through Qt's translation; Chinese first, English on request."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gisapp.ui.i18n import I18N_DIR, install_language, read_ts

pytestmark = pytest.mark.gui
UI_DIR = Path(__file__).resolve().parents[2] / "gisapp" / "ui"


def test_every_string_of_the_window_has_a_chinese_translation(tmp_path):
    ts = tmp_path / "zh_CN.ts"
    shutil.copy(I18N_DIR / "zh_CN.ts", ts)
    tool = shutil.which("pylupdate6") or [
        sys.executable,
        "-m",
        "PyQt6.lupdate.pylupdate",
    ]
    cmd = [tool] if isinstance(tool, str) else tool
    files = sorted(str(p) for p in UI_DIR.glob("*.py"))
    subprocess.run([*cmd, *files, "-ts", str(ts)], check=True, capture_output=True)
    text = ts.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text, "strings without a translation in zh_CN.ts"
    assert len(read_ts(ts)) >= 150


def test_the_window_speaks_chinese_by_default_and_english_when_chosen(qtbot):
    from gisapp.ui.mainwindow import MainWindow

    try:
        install_language("zh_CN")
        win = MainWindow()
        assert "荆门市精准脱贫挂图作战" in win.windowTitle()
        assert win.act_open.text() == "打开(&O)…"
        win.shutdown()
        win.deleteLater()
        install_language("en")
        win = MainWindow()
        assert "Jingmen poverty-alleviation battle map" in win.windowTitle()
        assert win.act_open.text() == "&Open…"
        win.shutdown()
        win.deleteLater()
    finally:
        install_language("zh_CN")
    qtbot.wait(10)

"""Qt translation of every visible string, read from the TS files in ``gisapp/i18n``.

Source strings in the code are English; Simplified Chinese is the default
language. The TS file (kept current with ``pylupdate6``) is read directly, so no
compiled ``.qm`` file and no Qt build tools are needed.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path

from PyQt6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """``{(context, source): translation}`` of the finished entries of a TS file."""
    table: dict[tuple[str, str], str] = {}
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            node = message.find("translation")
            if node is None or not (node.text or "").strip():
                continue
            if node.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            table[(name, source)] = node.text
    return table


class TsTranslator(QTranslator):
    """A QTranslator over the entries of one TS file."""

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.table = read_ts(path)
        self._by_source = {source: text for (_, source), text in self.table.items()}

    def translate(self, context, source, disambiguation=None, n=-1):
        # A subclass asks under its own class name; the TS file has the base class's.
        return self.table.get((context, source)) or self._by_source.get(source)

    def isEmpty(self) -> bool:
        return not self.table


_installed: list[QTranslator] = []


def install_language(language: str) -> str:
    """Make ``language`` the language of every new string; returns the one used."""
    app = QCoreApplication.instance()
    while _installed:
        app.removeTranslator(_installed.pop())
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    QLocale.setDefault(QLocale(language))
    path = I18N_DIR / f"{language}.ts"
    if language == "en" or not path.exists():
        return language
    ours = TsTranslator(path, app)
    app.installTranslator(ours)
    _installed.append(ours)
    qt_own = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", folder):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    log.debug("%d translations from %s", len(ours.table), path.name)
    return language

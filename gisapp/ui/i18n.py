"""Qt translation of every visible string, read from the TS files in ``gisapp/i18n``.

Source strings in the code are English; Simplified Chinese is the default
language. The TS file (kept current with ``pylupdate6``) is read directly, so no
compiled ``.qm`` file and no Qt build tools are needed.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path

from PyQt6.QtCore import QCoreApplication, QTranslator

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
        self._by_source = {src: text for (_, src), text in self.table.items()}

    def translate(self, context, source, disambiguation=None, n=-1):
        text = self.table.get((context, source))
        if text is None:
            return None
        return text

    def isEmpty(self) -> bool:
        return not self.table


_installed: TsTranslator | None = None


def install_language(language: str) -> str:
    """Make ``language`` the language of every new string; returns the one used."""
    global _installed
    app = QCoreApplication.instance()
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    path = I18N_DIR / f"{language}.ts"
    if language != "en" and path.exists():
        _installed = TsTranslator(path, app)
        app.installTranslator(_installed)
        log.debug("%d translations from %s", len(_installed.table), path.name)
    return language

"""User settings kept with QSettings: language, fonts, page size, rules file, recents."""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import QSettings

from gisapp.ui.i18n import DEFAULT_LANGUAGE

ORGANISATION = "JingmenPlanning"
APPLICATION = "gisapp"
PAGE_SIZES = ("A0", "A1", "A2", "A3", "A4")
MAX_RECENT = 8


class Settings:
    """Typed access to the stored settings."""

    def __init__(self):
        self.q = QSettings(ORGANISATION, APPLICATION)

    def _get(self, key: str, default, kind=str):
        value = self.q.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    @property
    def language(self) -> str:
        return self._get("ui/language", DEFAULT_LANGUAGE)

    @language.setter
    def language(self, value: str) -> None:
        self.q.setValue("ui/language", value)

    @property
    def font_family(self) -> str:
        return self._get("ui/font_family", "")

    @font_family.setter
    def font_family(self, value: str) -> None:
        self.q.setValue("ui/font_family", value)

    @property
    def font_size(self) -> int:
        return self._get("ui/font_size", 10, int)

    @font_size.setter
    def font_size(self, value: int) -> None:
        self.q.setValue("ui/font_size", int(value))

    @property
    def page_size(self) -> str:
        page = self._get("export/page_size", "A1")
        return page if page in PAGE_SIZES else "A1"

    @page_size.setter
    def page_size(self, value: str) -> None:
        self.q.setValue("export/page_size", value)

    @property
    def rules_file(self) -> str:
        return self._get("analysis/rules_file", "")

    @rules_file.setter
    def rules_file(self, value: str) -> None:
        self.q.setValue("analysis/rules_file", value)

    @property
    def autosave_minutes(self) -> int:
        return max(1, self._get("project/autosave_minutes", 5, int))

    @autosave_minutes.setter
    def autosave_minutes(self, value: int) -> None:
        self.q.setValue("project/autosave_minutes", int(value))

    @property
    def network_roots(self) -> list[str]:
        """Folders to treat as network drives besides those the system reports."""
        value = self.q.value("project/network_roots", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    @network_roots.setter
    def network_roots(self, value) -> None:
        self.q.setValue("project/network_roots", [str(v) for v in value])

    @property
    def recent(self) -> list[str]:
        value = self.q.value("project/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path) -> None:
        path = str(Path(path))
        items = [p for p in self.recent if p != path]
        self.q.setValue("project/recent", [path, *items][:MAX_RECENT])

    def remove_recent(self, path) -> None:
        self.q.setValue("project/recent", [p for p in self.recent if p != str(path)])

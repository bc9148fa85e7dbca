"""The preferences dialog: language, fonts, page size, rules file, autosave."""

from __future__ import annotations

from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from gisapp.ui.i18n import LANGUAGES
from gisapp.ui.settings import PAGE_SIZES


class PreferencesDialog(QDialog):
    """Edits :class:`gisapp.ui.settings.Settings`; stored when accepted."""

    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Preferences"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.font = QFontComboBox()
        if settings.font_family:
            self.font.setCurrentText(settings.font_family)
        self.font_size = QSpinBox(minimum=7, maximum=24, value=settings.font_size)
        self.page = QComboBox()
        self.page.addItems(PAGE_SIZES)
        self.page.setCurrentText(settings.page_size)
        self.rules = QLineEdit(settings.rules_file)
        self.rules.setPlaceholderText(self.tr("rules of the project (default)"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        rules_row = QWidget()
        row = QHBoxLayout(rules_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.rules, 1)
        row.addWidget(browse)
        self.autosave = QSpinBox(minimum=1, maximum=60, value=settings.autosave_minutes)
        self.autosave.setSuffix(self.tr(" min"))
        form = QFormLayout(self)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Font"), self.font)
        form.addRow(self.tr("Font size"), self.font_size)
        form.addRow(self.tr("Wall map page"), self.page)
        form.addRow(self.tr("Rules file"), rules_row)
        form.addRow(self.tr("Autosave every"), self.autosave)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Rules file"), self.rules.text(), self.tr("Rules (*.toml)")
        )
        if path:
            self.rules.setText(path)

    def accept(self) -> None:
        s = self.settings
        s.language = self.language.currentData()
        s.font_family = self.font.currentFont().family()
        s.font_size = self.font_size.value()
        s.page_size = self.page.currentText()
        s.rules_file = self.rules.text().strip()
        s.autosave_minutes = self.autosave.value()
        super().accept()

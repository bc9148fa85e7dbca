"""The identify panel: a feature's attributes, or the village card (村情卡)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.errors import GisAppError
from gisapp.ui.table import FrameModel

PASS_COLOUR = QColor("#1a9850")
FAIL_COLOUR = QColor("#d7301f")


def _text(value) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "✔" if value else "✘"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    return str(value)


class InfoPanel(QWidget):
    """Shows what was clicked: the card of a village when the gap report has one."""

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.title = QLabel(self.tr("Click a feature with the identify tool"))
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; padding: 4px;")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.title)
        lay.addWidget(self.table)
        self._formatter = FrameModel(doc, self)
        doc.project_replaced.connect(self.clear)

    def clear(self) -> None:
        self.title.setText(self.tr("Click a feature with the identify tool"))
        self.table.setRowCount(0)

    def show_feature(self, layer, row: int) -> None:
        """The card of a village when one exists, otherwise its attributes."""
        code = None
        if layer.kind.id == "village" and "code" in layer.frame:
            code = layer.frame["code"].iloc[row]
        if code and self.doc.report is not None and self.show_card(code, layer, row):
            return
        self.show_attributes(layer, row)

    def show_attributes(self, layer, row: int) -> None:
        self._formatter.set_layer(layer)
        model = self._formatter
        name = (
            layer.frame[layer.kind.key].iloc[row]
            if layer.kind.key in layer.frame
            else ""
        )
        if "name" in layer.frame and _text(layer.frame["name"].iloc[row]):
            name = layer.frame["name"].iloc[row]
        self.title.setText(f"{layer.name} · {_text(name) or row + 1}")
        self.table.clear()
        self.table.setColumnCount(2)
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.table.setRowCount(model.columnCount())
        for col in range(model.columnCount()):
            header = model.headerData(col, Qt.Orientation.Horizontal)
            value = model.data(model.index(row, col))
            self.table.setItem(col, 0, QTableWidgetItem(str(header)))
            self.table.setItem(col, 1, QTableWidgetItem(value or ""))
        self._fit()

    def show_card(self, code, layer=None, row=None) -> bool:
        """The village card of the gap report; False when the report has none."""
        try:
            card = pd.DataFrame(self.doc.report.card(str(code)))
        except (GisAppError, KeyError, LookupError, ValueError):
            return False
        if card.empty:
            return False
        name = ""
        if layer is not None and row is not None and "name" in layer.frame:
            name = _text(layer.frame["name"].iloc[row])
        self.title.setText(self.tr("Village card: {0} ({1})").format(name, code))
        headers = {
            "section": self.tr("Part"),
            "indicator": self.tr("Indicator"),
            "value": self.tr("Value"),
            "target": self.tr("Target"),
            "passed": self.tr("Met"),
            "clause": self.tr("Clause"),
        }
        columns = [c for c in headers if c in card]
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([headers[c] for c in columns])
        self.table.setRowCount(len(card))
        for r, rec in enumerate(card.to_dict("records")):
            for c, col in enumerate(columns):
                value = rec[col]
                item = QTableWidgetItem(_text(value))
                if col == "passed" and isinstance(value, (bool, np.bool_)):
                    item.setForeground(PASS_COLOUR if value else FAIL_COLOUR)
                if col == "indicator" and rec.get("reason"):
                    item.setToolTip(str(rec["reason"]))
                self.table.setItem(r, c, item)
        self._fit()
        return True

    def _fit(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

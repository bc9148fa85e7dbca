"""The gap panel: the gap engine's tables, filtered by township, kind of gap and status."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PyQt6.QtCore import QAbstractTableModel, QModelIndex, Qt, pyqtSignal
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gisapp.model.kinds import get_kind
from gisapp.model.style import status_colours
from gisapp.ui.table import FrameProxy

_ROOT = QModelIndex()
VILLAGE_COLUMNS = ("name", "township", "gap_status", "gap_reason")


def gap_kinds(report) -> list[tuple[str, str]]:
    """``(column, Chinese name)`` of each exit indicator a village can fail."""
    if report is None:
        return []
    out = []
    for ind in getattr(report.rules, "village_exit", ()):
        column = f"exit_{ind.key}_pass"
        if column in report.villages:
            out.append((column, ind.zh))
    return out


class ReportModel(QAbstractTableModel):
    """A read-only table of the gap report, with the interface of the frame proxy."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self.columns: list[str] = []
        self.headers: list[str] = []
        self._values: dict[int, np.ndarray] = {}
        self._texts: dict[int, np.ndarray] = {}

    def set_frame(self, frame: pd.DataFrame, columns, headers) -> None:
        self.beginResetModel()
        self.frame = frame.reset_index(drop=True)
        self.columns, self.headers = list(columns), list(headers)
        self._values.clear()
        self._texts.clear()
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def values(self, column: int) -> np.ndarray:
        if column not in self._values:
            self._values[column] = self.frame[self.columns[column]].to_numpy(
                dtype=object
            )
        return self._values[column]

    def texts(self, column: int) -> np.ndarray:
        if column not in self._texts:
            name = self.columns[column]
            values = self.values(column)
            if name == "gap_status":
                zh = {k: v.get("zh", k) for k, v in status_colours().items()}
                texts = [zh.get(str(v), "" if v is None else str(v)) for v in values]
            else:
                texts = ["" if _missing(v) else _fmt(v) for v in values]
            self._texts[column] = np.array(texts, dtype=object)
        return self._texts[column]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(index.column())[index.row()]
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and self.columns[index.column()] == "gap_status"
        ):
            status = status_colours().get(str(self.values(index.column())[index.row()]))
            return QBrush(QColor(status["color"])) if status else None
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and self.columns[index.column()] == "gap_reason"
        ):
            return self.texts(index.column())[index.row()]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else None
        return str(section + 1)

    def row(self, row: int) -> pd.Series:
        return self.frame.iloc[row]


def _missing(value) -> bool:
    return (
        value is None or value is pd.NA or (isinstance(value, float) and value != value)
    )


def _fmt(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "✔" if value else ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


class GapPanel(QWidget):
    """Poor villages and townships with their gaps; a click shows the place and its card."""

    village_chosen = pyqtSignal(str)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.township = QComboBox()
        self.kind = QComboBox()
        self.status = QComboBox()
        for combo in (self.township, self.kind, self.status):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.count = QLabel()
        self.model = ReportModel(self)
        self.proxy = FrameProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = self._table(self.proxy)
        self.view.clicked.connect(self._clicked)
        self.towns_model = ReportModel(self)
        self.towns_proxy = FrameProxy(self)
        self.towns_proxy.setSourceModel(self.towns_model)
        self.towns_view = self._table(self.towns_proxy)
        self.towns_view.clicked.connect(self._town_clicked)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Township")))
        filters.addWidget(self.township, 2)
        filters.addWidget(QLabel(self.tr("Gap")))
        filters.addWidget(self.kind, 2)
        filters.addWidget(QLabel(self.tr("Status")))
        filters.addWidget(self.status, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.view, self.tr("Poor villages"))
        self.tabs.addTab(self.towns_view, self.tr("Townships"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(filters)
        lay.addWidget(self.tabs)
        lay.addWidget(self.count)
        doc.report_changed.connect(self.reload)
        doc.project_replaced.connect(self.reload)
        self.reload()

    def _table(self, model) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSortingEnabled(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setDefaultSectionSize(22)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def reload(self) -> None:
        report = self.doc.report
        villages = pd.DataFrame() if report is None else report.villages
        if "is_poor" in villages:
            villages = villages[villages["is_poor"].fillna(False).astype(bool)]
        village_kind = get_kind("village")
        names = {f.name: f.zh for f in village_kind.fields}
        names.update({"gap_status": self.tr("Status"), "gap_reason": self.tr("Gaps")})
        columns = [c for c in VILLAGE_COLUMNS if c in villages]
        self.model.set_frame(villages, columns, [names.get(c, c) for c in columns])
        towns = pd.DataFrame() if report is None else report.townships
        self.towns_model.set_frame(towns, list(towns.columns), list(towns.columns))
        self._fill_filters(villages)
        self._apply_filter()
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(0, max(self.view.columnWidth(0), 70))

    def _fill_filters(self, villages: pd.DataFrame) -> None:
        for combo in (self.township, self.kind, self.status):
            combo.blockSignals(True)
            combo.clear()
        self.township.addItem(self.tr("All townships"), None)
        if "township" in villages:
            for town in sorted(villages["township"].dropna().unique()):
                self.township.addItem(str(town), str(town))
        self.kind.addItem(self.tr("Any gap"), None)
        for column, zh in gap_kinds(self.doc.report):
            self.kind.addItem(zh, column)
        self.status.addItem(self.tr("All"), None)
        for key, spec in status_colours().items():
            if key != "none":
                self.status.addItem(spec.get("zh", key), key)
        for combo in (self.township, self.kind, self.status):
            combo.blockSignals(False)

    def _apply_filter(self) -> None:
        frame = self.model.frame
        keep = np.ones(len(frame), dtype=bool)
        town = self.township.currentData()
        if town is not None and "township" in frame:
            keep &= (frame["township"] == town).fillna(False).to_numpy(dtype=bool)
        kind = self.kind.currentData()
        if kind is not None and kind in frame:
            keep &= (frame[kind] == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
        status = self.status.currentData()
        if status is not None and "gap_status" in frame:
            keep &= (frame["gap_status"] == status).fillna(False).to_numpy(dtype=bool)
        self.proxy.set_only(np.flatnonzero(keep))
        if self.doc.report is None:
            self.count.setText(self.tr("No gap report yet"))
        else:
            self.count.setText(
                self.tr("{0} of {1} poor villages").format(keep.sum(), len(frame))
            )

    def _clicked(self, index) -> None:
        source = self.proxy.mapToSource(index)
        row = self.model.row(source.row())
        if "code" in row and not _missing(row["code"]):
            self.village_chosen.emit(str(row["code"]))

    def _town_clicked(self, index) -> None:
        source = self.towns_proxy.mapToSource(index)
        row = self.towns_model.row(source.row())
        name = row.get("township", row.get("name"))
        if not _missing(name):
            where = self.township.findData(str(name))
            if where >= 0:
                self.township.setCurrentIndex(where)
                self.tabs.setCurrentIndex(0)

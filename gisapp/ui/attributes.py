"""The attribute table panel: one layer's features, sorted, filtered and linked to the map."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QItemSelectionModel, Qt, QTimer, pyqtSignal
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.ui.table import (
    FrameModel,
    FrameProxy,
    rows_of_selection,
    selection_for_rows,
)

MANY_RANGES = 300


class AttributePanel(QWidget):
    """The table of the current layer; its selection is the map's selection."""

    zoom_requested = pyqtSignal(object, object)
    notice = pyqtSignal(str)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.layer = None
        self._syncing = False
        self.model = FrameModel(doc, self)
        self.model.edit_rejected.connect(self.notice)
        self.proxy = FrameProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.selectionModel().selectionChanged.connect(self._table_selected)

        self.layer_box = QComboBox()
        self.layer_box.currentIndexChanged.connect(self._layer_chosen)
        self.column_box = QComboBox()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter…"))
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(lambda _: self._filter_timer.start())
        self.column_box.currentIndexChanged.connect(
            lambda _: self._filter_timer.start()
        )
        self.only_selected = QCheckBox(self.tr("Selected only"))
        self.only_selected.toggled.connect(self._apply_only)
        zoom = QToolButton(text=self.tr("Zoom to selection"))
        zoom.clicked.connect(self._zoom)
        self.count = QLabel()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Layer")))
        top.addWidget(self.layer_box, 1)
        top.addWidget(self.column_box)
        top.addWidget(self.filter, 2)
        top.addWidget(self.only_selected)
        top.addWidget(zoom)
        top.addWidget(self.count)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.view)
        doc.project_replaced.connect(self._fill_layers)
        doc.layers_changed.connect(self._fill_layers)
        doc.current_layer_changed.connect(self.show_layer)
        doc.selection_changed.connect(self._map_selected)
        self.proxy.modelReset.connect(self._after_reset)
        self._fill_layers()

    # layers --------------------------------------------------------------------
    def _fill_layers(self) -> None:
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        for layer in reversed(self.doc.project.layers):
            self.layer_box.addItem(layer.name, layer.id)
        self.layer_box.blockSignals(False)
        if self.layer not in self.doc.project.layers:
            self.layer = None
        self.show_layer(self.layer or self.doc.current_layer)

    def _layer_chosen(self, _index) -> None:
        layer = self.doc.layer(self.layer_box.currentData())
        if layer is not None:
            self.doc.set_current_layer(layer)

    def show_layer(self, layer) -> None:
        if layer is self.layer and self.model.layer is layer:
            return
        self.layer = layer
        where = self.layer_box.findData(layer.id) if layer is not None else -1
        self.layer_box.blockSignals(True)
        self.layer_box.setCurrentIndex(where)
        self.layer_box.blockSignals(False)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy._sort = None
        self.model.set_layer(layer)
        self.column_box.blockSignals(True)
        self.column_box.clear()
        self.column_box.addItem(self.tr("All columns"), -1)
        for col in range(self.model.columnCount()):
            self.column_box.addItem(
                str(self.model.headerData(col, Qt.Orientation.Horizontal)), col
            )
        self.column_box.blockSignals(False)
        self._apply_filter()
        self._map_selected(layer)

    # filter --------------------------------------------------------------------
    def _apply_filter(self) -> None:
        column = self.column_box.currentData()
        self.proxy.set_filter(self.filter.text(), -1 if column is None else column)

    def _apply_only(self, on: bool) -> None:
        rows = self.doc.selection(self.layer) if on and self.layer is not None else None
        self.proxy.set_only(rows)

    def _after_reset(self) -> None:
        total = self.model.rowCount()
        self.count.setText(
            self.tr("{0:,} of {1:,}").format(self.proxy.rowCount(), total)
        )
        if self.layer is not None:
            self._map_selected(self.layer)

    # selection -------------------------------------------------------------------
    def _table_selected(self, *_):
        if self._syncing or self.layer is None:
            return
        proxy_rows = rows_of_selection(self.view.selectionModel())
        self._syncing = True
        try:
            self.doc.select(self.layer, self.proxy.source_rows(proxy_rows))
        finally:
            self._syncing = False

    def _map_selected(self, layer) -> None:
        if self._syncing or layer is not self.layer or layer is None:
            return
        if self.only_selected.isChecked():
            self.proxy.set_only(self.doc.selection(layer))
        rows = self.proxy.proxy_rows(self.doc.selection(layer))
        self._syncing = True
        try:
            self._show_selection(rows)
        finally:
            self._syncing = False

    def _show_selection(self, rows) -> None:
        selection = selection_for_rows(self.proxy, rows)
        flag = QItemSelectionModel.SelectionFlag.ClearAndSelect
        if len(selection) > MANY_RANGES:
            # The view redraws a region per range; a fresh model shows all at once.
            fresh = QItemSelectionModel(self.proxy, self.view)
            fresh.select(selection, flag)
            old = self.view.selectionModel()
            self.view.setSelectionModel(fresh)
            fresh.selectionChanged.connect(self._table_selected)
            old.deleteLater()
        elif len(rows):
            self.view.selectionModel().select(selection, flag)
        else:
            self.view.selectionModel().clearSelection()
        if len(rows):
            self.view.scrollTo(self.proxy.index(int(rows[0]), 0))

    def _zoom(self) -> None:
        if self.layer is not None and len(self.doc.selection(self.layer)):
            self.zoom_requested.emit(
                self.layer, np.asarray(self.doc.selection(self.layer))
            )

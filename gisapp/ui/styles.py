"""The style editor: one symbol, categories of a field, graduated classes, gap status."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from gisapp.model.style import Style, category_keys, layer_style, status_colours
from gisapp.ui.layers import geometry_class, swatch

MODES = ("single", "categorized", "graduated", "status")
RAMP = ("#fff5b1", "#fdd36a", "#fd9b42", "#f0592b", "#c81e1e", "#8a0a24", "#4d0020")
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
MAX_CATEGORIES = 40


def ramp(n: int) -> list[str]:
    """``n`` colours from light to dark."""
    idx = np.linspace(0, len(RAMP) - 1, n).round().astype(int)
    return [RAMP[i] for i in idx]


def class_breaks(values: pd.Series, n: int, method: str) -> list[float]:
    """Upper limits of ``n`` classes: equal intervals or equal counts (quantiles)."""
    data = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if not len(data):
        return []
    if method == "quantile":
        edges = np.quantile(data, np.linspace(0, 1, n + 1))
    else:
        edges = np.linspace(data.min(), data.max(), n + 1)
    if _whole(data):  # households, people: classes of whole numbers
        edges = np.floor(edges)
        edges[-1] = data.max()
    return sorted(set(np.round(edges[1:], 6).tolist()))


def _whole(data: np.ndarray) -> bool:
    return bool(len(data)) and bool(np.all(np.mod(data, 1) == 0))


def class_labels(values: pd.Series, breaks: list[float]) -> pd.Series:
    """The class of each value, labelled by its range ("120–250")."""
    numbers = pd.to_numeric(values, errors="coerce")
    step = 1 if _whole(numbers.dropna().to_numpy(dtype=float)) else 0
    lows = [float(numbers.min()), *(b + step for b in breaks[:-1])]
    names = [f"{_num(lo)}–{_num(hi)}" for lo, hi in zip(lows, breaks, strict=True)]
    index = np.searchsorted(
        np.asarray(breaks), numbers.to_numpy(dtype=float), side="left"
    )
    index = np.clip(index, 0, len(breaks) - 1)
    out = pd.Series([names[i] for i in index], index=values.index, dtype=object)
    return out.where(numbers.notna(), None), names


def _num(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def colour_key(geom: str) -> str:
    return "stroke" if geom == "line" else "fill"


class StyleDialog(QDialog):
    """Edits the style of one layer; the map and legend follow on Apply.

    Other layers of the same kind keep their own styles.
    """

    def __init__(self, doc, layer, parent=None):
        super().__init__(parent)
        self.doc, self.layer = doc, layer
        self.geom = geometry_class(layer)
        self.base = layer_style(layer)
        self.setWindowTitle(self.tr("Style of {0}").format(layer.name))
        self.resize(520, 520)
        self.mode = QComboBox()
        names = {
            "single": self.tr("Single symbol"),
            "categorized": self.tr("Categories of a field"),
            "graduated": self.tr("Graduated classes of a number"),
            "status": self.tr("Gap status"),
        }
        for mode in MODES:
            if mode == "status" and "gap_status" not in layer.frame:
                continue
            self.mode.addItem(names[mode], mode)
        self.field = QComboBox()
        self.classes = QSpinBox(minimum=2, maximum=7, value=5)
        self.method = QComboBox()
        self.method.addItem(self.tr("Equal intervals"), "equal")
        self.method.addItem(self.tr("Equal counts (quantiles)"), "quantile")
        self.size = QDoubleSpinBox(
            minimum=0.1, maximum=12.0, singleStep=0.1, decimals=2
        )
        self.size.setSuffix(" mm")
        key = "stroke_mm" if self.geom == "line" else "size_mm"
        # the largest symbol of the style: classes told apart by colour need room
        sizes = [
            float(sym[key])
            for sym in (self.base.symbol, *self.base.categories.values())
            if key in sym
        ]
        default = 1.0 if self.geom != "line" else 0.3
        self.size.setValue(min(max(sizes, default=default), 2.5))
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Symbol"), self.tr("Label")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(self._pick_colour)
        rebuild = QPushButton(self.tr("Classify"))
        rebuild.clicked.connect(self.classify)
        form = QFormLayout()
        form.addRow(self.tr("Kind of style"), self.mode)
        form.addRow(self.tr("Field"), self.field)
        form.addRow(self.tr("Classes"), self.classes)
        form.addRow(self.tr("Method"), self.method)
        form.addRow(self.tr("Size or line width"), self.size)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(
            self.apply
        )
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore
        )
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(rebuild)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.entries: list[tuple[str, str, str]] = []  # (key, label, colour)
        start = (
            "status"
            if self.base.category_field == "gap_status"
            else ("categorized" if self.base.category_field else "single")
        )
        self.mode.setCurrentIndex(max(0, self.mode.findData(start)))
        self._mode_changed()

    # choices -------------------------------------------------------------------
    def _mode_changed(self, *_):
        mode = self.mode.currentData()
        frame = self.layer.frame
        self.field.clear()
        columns = [c for c in frame.columns if c != "geometry"]
        if mode == "graduated":
            columns = [
                c
                for c in columns
                if pd.api.types.is_numeric_dtype(frame[c].dtype)
                and not pd.api.types.is_bool_dtype(frame[c].dtype)
            ]
        for col in columns:
            field = (
                self.layer.kind.field(col)
                if col in self.layer.kind.field_names
                else None
            )
            self.field.addItem(field.zh if field else col, col)
        if mode == "categorized" and self.base.category_field in columns:
            self.field.setCurrentIndex(self.field.findData(self.base.category_field))
        for widget in (self.field,):
            widget.setEnabled(mode in ("categorized", "graduated"))
        self.classes.setEnabled(mode == "graduated")
        self.method.setEnabled(mode == "graduated")
        self.classify()

    def classify(self) -> None:
        """Fill the class table for the chosen kind of style and field."""
        mode = self.mode.currentData()
        frame = self.layer.frame
        column = self.field.currentData()
        ckey = colour_key(self.geom)
        entries = []
        if mode == "status":
            for key, spec in status_colours().items():
                entries.append((key, spec.get("zh", key), spec["color"]))
        elif mode == "categorized" and column:
            keys = sorted(category_keys(frame[column]) - {""})[:MAX_CATEGORIES]
            field = (
                self.layer.kind.field(column)
                if column in self.layer.kind.field_names
                else None
            )
            for i, key in enumerate(keys):
                known = (
                    self.base.categories.get(key, {})
                    if self.base.category_field == column
                    else {}
                )
                label = known.get("zh") or (field.value_zh(key) if field else key)
                entries.append((key, label, known.get(ckey, PALETTE[i % len(PALETTE)])))
        elif mode == "graduated" and column:
            breaks = class_breaks(
                frame[column], self.classes.value(), self.method.currentData()
            )
            if breaks:
                _, names = class_labels(frame[column], breaks)
                entries = [
                    (n, n, c) for n, c in zip(names, ramp(len(names)), strict=True)
                ]
        else:
            entries = [
                ("", self.tr("All features"), self.base.symbol.get(ckey, "#888888"))
            ]
        self.entries = entries
        self._fill_table()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.entries))
        for row, (_, label, colour) in enumerate(self.entries):
            item = QTableWidgetItem()
            item.setIcon(swatch(self._symbol(colour), self.geom))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(label))

    def _pick_colour(self, row: int, column: int) -> None:
        if column != 0:
            return
        key, label, colour = self.entries[row]
        chosen = QColorDialog.getColor(QColor(colour), self, self.tr("Colour"))
        if chosen.isValid():
            self.entries[row] = (key, label, chosen.name())
            self._fill_table()

    def _symbol(self, colour: str) -> dict:
        sym = dict(self.base.symbol)
        sym[colour_key(self.geom)] = colour
        sym["stroke_mm" if self.geom == "line" else "size_mm"] = self.size.value()
        if self.geom == "point" and self.mode.currentData() != "single":
            # a dark edge keeps the light classes of a ramp visible on the map
            sym.update(stroke="#333333", stroke_mm=0.2)
        return sym

    # result ------------------------------------------------------------------
    def style(self) -> Style:
        """The style as chosen; graduated classes go into a column of the layer."""
        mode = self.mode.currentData()
        labels = [self.table.item(r, 1).text() for r in range(self.table.rowCount())]
        cats = {
            key: {**self._symbol(colour), "zh": labels[i]}
            for i, (key, _, colour) in enumerate(self.entries)
        }
        if mode == "single":
            return replace(
                self.base,
                symbol=self._symbol(self.entries[0][2]),
                category_field=None,
                categories={},
            )
        field = self.field.currentData()
        if mode == "status":
            field = "gap_status"
        elif mode == "graduated":
            field = f"{self.field.currentData()}_分级"
            breaks = class_breaks(
                self.layer.frame[self.field.currentData()],
                self.classes.value(),
                self.method.currentData(),
            )
            source = self.layer.frame[self.field.currentData()]
            self.layer.frame[field] = class_labels(source, breaks)[0]
        return replace(self.base, category_field=field, categories=cats)

    def apply(self) -> None:
        self.layer.style = self.style()
        self.doc.restyle(self.layer)

    def restore(self) -> None:
        """Back to the style of the layer's kind, from ``styles/``."""
        self.layer.style = None
        self.base = layer_style(self.layer)
        self.doc.restyle(self.layer)
        self._mode_changed()

    def accept(self) -> None:
        self.apply()
        super().accept()

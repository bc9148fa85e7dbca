"""The attribute table: a model over a layer's frame that stays fast at 200,000 rows.

Cells are read from the frame only when they are shown. Sorting and filtering
happen in :class:`FrameProxy` as whole-column numpy operations, never by
comparing rows one at a time, and selection travels both ways with the map.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from PyQt6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    pyqtSignal,
)

from gisapp.model.kinds import parse_bool

log = logging.getLogger(__name__)

ROLE_RAW = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()


class FrameModel(QAbstractTableModel):
    """The attributes of one layer (no geometry column), editable through the undo stack."""

    edit_rejected = pyqtSignal(str)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.layer = None
        self.columns: list[str] = []
        self._cache: dict[int, np.ndarray] = {}
        self._text: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        doc.features_changed.connect(self._features_changed)

    def set_layer(self, layer) -> None:
        self.beginResetModel()
        self.layer = layer
        self.columns = []
        if layer is not None:
            geom = layer.frame.geometry.name if layer.has_geometry else "geometry"
            self.columns = [c for c in layer.frame.columns if c != geom]
        self._cache.clear()
        self._text.clear()
        self.endResetModel()

    # shape ---------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:
        if parent.isValid() or self.layer is None:
            return 0
        return len(self.layer.frame)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def field(self, column: int):
        name = self.columns[column]
        if name in self.layer.kind.field_names:
            return self.layer.kind.field(name)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            return None
        if section >= len(self.columns):
            return None
        field = self.field(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return field.zh if field is not None else self.columns[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section]
        return None

    # cells -------------------------------------------------------------------
    def values(self, column: int) -> np.ndarray:
        """The raw values of a column, cached until the column is edited."""
        if column not in self._cache:
            self._cache[column] = self.layer.frame[self.columns[column]].to_numpy(
                dtype=object
            )
        return self._cache[column]

    def is_number(self, column: int) -> bool:
        """Whether a column holds numbers (not yes/no)."""
        dtype = self.layer.frame[self.columns[column]].dtype
        return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(
            dtype
        )

    def texts(self, column: int) -> np.ndarray:
        """The shown text of every cell of a column (for filtering and sorting)."""
        codes, texts = self.distinct(column)
        return texts[codes]

    def distinct(self, column: int) -> tuple[np.ndarray, np.ndarray]:
        """Each row's index into the column's distinct shown texts, and the texts.

        Each distinct value is turned into text once; a blank cell shows "".
        """
        if column not in self._text:
            series = self.layer.frame[self.columns[column]]
            field = self.field(column)
            if pd.api.types.is_bool_dtype(series.dtype):
                missing = series.isna().to_numpy(dtype=bool)
                flags = series.fillna(False).to_numpy(dtype=bool)
                codes = np.where(missing, 2, np.where(flags, 0, 1))
                texts = [self.tr("yes"), self.tr("no"), ""]
            else:
                codes, uniques = pd.factorize(series, use_na_sentinel=True)
                texts = [self.show(v, field) for v in uniques] + [""]
                codes = np.where(codes < 0, len(texts) - 1, codes)
            self._text[column] = (codes, np.asarray(texts, dtype=object))
        return self._text[column]

    def show(self, value, field) -> str:
        if value is None or value is pd.NA:
            return ""
        if isinstance(value, float):
            if value != value:
                return ""
            return (
                f"{value:,.2f}".rstrip("0").rstrip(".")
                if value % 1
                else f"{value:,.0f}"
            )
        if isinstance(value, (bool, np.bool_)):
            return self.tr("yes") if value else self.tr("no")
        if field is not None and field.type == "enum":
            return field.value_zh(value)
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        return str(value)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.layer is None:
            return None
        value = self.values(index.column())[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.show(value, self.field(index.column()))
        if role == ROLE_RAW:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if isinstance(
                value, (int, float, np.integer, np.floating)
            ) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index):
        base = super().flags(index)
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        try:
            parsed = self.parse(index.column(), value)
        except ValueError as exc:
            self.edit_rejected.emit(str(exc))
            return False
        column = self.columns[index.column()]
        current = self.values(index.column())[index.row()]
        if _same(current, parsed):
            return False
        self.doc.edit_value(self.layer, index.row(), column, parsed)
        return True

    def parse(self, column: int, text):
        """The typed value of what the user typed; ValueError with the reason."""
        field = self.field(column)
        text = str(text).strip()
        if text == "":
            return None
        kind = field.type if field is not None else self._dtype_kind(column)
        if kind == "int":
            try:
                return int(float(text.replace(",", "")))
            except ValueError:
                raise ValueError(
                    self.tr("{0} is not a whole number").format(text)
                ) from None
        if kind == "float":
            try:
                return float(text.replace(",", ""))
            except ValueError:
                raise ValueError(self.tr("{0} is not a number").format(text)) from None
        if kind == "bool":
            value = parse_bool(text)
            if value is None:
                raise ValueError(self.tr("{0} is neither yes nor no").format(text))
            return value
        if kind == "enum":
            code = field.to_code(text)
            if code is None:
                choices = "、".join(zh for zh, _ in field.values.values())
                raise ValueError(
                    self.tr("{0} is not one of: {1}").format(text, choices)
                )
            return code
        return text

    def _dtype_kind(self, column: int) -> str:
        dtype = self.layer.frame[self.columns[column]].dtype
        if pd.api.types.is_bool_dtype(dtype):
            return "bool"
        if pd.api.types.is_integer_dtype(dtype):
            return "int"
        if pd.api.types.is_float_dtype(dtype):
            return "float"
        return "str"

    def _features_changed(self, layer, rows, column: str) -> None:
        if layer is not self.layer or column not in self.columns:
            return
        col = self.columns.index(column)
        self._cache.pop(col, None)
        self._text.pop(col, None)
        for row in np.asarray(rows).tolist():
            idx = self.index(int(row), col)
            self.dataChanged.emit(idx, idx)


def _same(a, b) -> bool:
    if a is None or a is pd.NA or (isinstance(a, float) and a != a):
        return b is None
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return False


class FrameProxy(QAbstractTableModel):
    """Sorted and filtered rows of a :class:`FrameModel`, as numpy index arrays.

    A table model of its own rather than a ``QAbstractProxyModel``: Qt asks a
    model for ``parent()`` on every index of a selection, and a proxy must answer
    that in Python, which made selecting thousands of rows take seconds.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._source: FrameModel | None = None
        self._rows = np.empty(0, dtype=np.int64)
        self._pos = np.empty(0, dtype=np.int64)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._filter_text = ""
        self._filter_column = -1
        self._only: np.ndarray | None = None
        self._lower: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def setSourceModel(self, model: FrameModel) -> None:
        self._source = model
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_changed)
        self._rebuild()

    def sourceModel(self) -> FrameModel | None:
        return self._source

    # mapping -------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def mapToSource(self, index):
        if not index.isValid():
            return QModelIndex()
        return self.sourceModel().index(int(self._rows[index.row()]), index.column())

    def mapFromSource(self, index):
        if not index.isValid() or index.row() >= len(self._pos):
            return QModelIndex()
        pos = int(self._pos[index.row()])
        return QModelIndex() if pos < 0 else self.createIndex(pos, index.column())

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._source is None:
            return None
        return self._source.data(self.mapToSource(index), role)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._source is None:
            return False
        return self._source.setData(self.mapToSource(index), value, role)

    def flags(self, index):
        if not index.isValid() or self._source is None:
            return Qt.ItemFlag.NoItemFlags
        return self._source.flags(self.mapToSource(index))

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Vertical
            and role == Qt.ItemDataRole.DisplayRole
        ):
            if 0 <= section < len(self._rows):
                return str(int(self._rows[section]) + 1)
            return None
        return self.sourceModel().headerData(section, orientation, role)

    def source_rows(self, proxy_rows) -> np.ndarray:
        return self._rows[np.asarray(proxy_rows, dtype=np.int64)]

    def proxy_rows(self, source_rows) -> np.ndarray:
        pos = self._pos[np.asarray(source_rows, dtype=np.int64)]
        return np.sort(pos[pos >= 0])

    # sort and filter -----------------------------------------------------------
    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order) if column >= 0 else None
        self._rebuild()

    def set_filter(self, text: str, column: int = -1) -> None:
        self._filter_text = text.strip().lower().replace(",", "")
        self._filter_column = column
        self._rebuild()

    def set_only(self, rows) -> None:
        """Show only these source rows (None: all)."""
        self._only = None if rows is None else np.asarray(rows, dtype=np.int64)
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        model = self.sourceModel()
        n = model.rowCount() if model is not None else 0
        keep = np.ones(n, dtype=bool)
        if n and self._filter_text:
            keep &= self._match(model)
        if n and self._only is not None:
            only = np.zeros(n, dtype=bool)
            only[self._only[self._only < n]] = True
            keep &= only
        rows = np.flatnonzero(keep)
        if n and self._sort is not None and self._sort[0] < model.columnCount():
            rows = rows[self._order(model, rows)]
        self._rows = rows.astype(np.int64)
        self._pos = np.full(n, -1, dtype=np.int64)
        self._pos[self._rows] = np.arange(len(self._rows))
        self.endResetModel()

    def _match(self, model: FrameModel) -> np.ndarray:
        columns = (
            [self._filter_column]
            if self._filter_column >= 0
            else list(range(model.columnCount()))
        )
        if not any(ch.isdigit() for ch in self._filter_text):
            # text without a digit is in no number: leave number columns alone
            columns = [c for c in columns if not model.is_number(c)]
        hit = np.zeros(model.rowCount(), dtype=bool)
        for col in columns:
            codes, uniques = self._lowered(model, col)
            found = np.strings.find(uniques, self._filter_text) >= 0
            hit |= found[codes]
        return hit

    def _lowered(self, model, col: int):
        """Distinct lower-case texts of a column and each row's index into them."""
        if col not in self._lower:
            codes, texts = model.distinct(col)
            # "1,234" is found by typing 1234
            lowered = np.strings.replace(
                np.strings.lower(np.asarray(texts, dtype=str)), ",", ""
            )
            self._lower[col] = (codes, lowered)
        return self._lower[col]

    def _order(self, model: FrameModel, rows: np.ndarray) -> np.ndarray:
        column, order = self._sort
        values = pd.Series(model.values(column)[rows])
        numeric = pd.to_numeric(values, errors="coerce")
        if numeric.notna().sum() == values.notna().sum():
            key = numeric
        else:
            key = pd.Series(model.texts(column)[rows]).replace("", None)
        ascending = order == Qt.SortOrder.AscendingOrder
        ranked = key.sort_values(ascending=ascending, na_position="last", kind="stable")
        return ranked.index.to_numpy()

    def _source_reset(self) -> None:
        self._lower.clear()
        self._rebuild()

    def _source_changed(self, top, bottom, roles=()) -> None:
        self._lower.pop(top.column(), None)
        if not len(self._rows):
            return
        first = self.mapFromSource(top)
        if first.isValid() and top.row() == bottom.row():
            last = self.index(first.row(), bottom.column())
            self.dataChanged.emit(first, last)
        else:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, self.columnCount() - 1),
            )


def selection_for_rows(proxy: FrameProxy, proxy_rows: np.ndarray) -> QItemSelection:
    """One selection range per run of consecutive rows."""
    selection = QItemSelection()
    if not len(proxy_rows):
        return selection
    last_col = max(proxy.columnCount() - 1, 0)
    breaks = np.flatnonzero(np.diff(proxy_rows) != 1)
    starts = np.r_[proxy_rows[0], proxy_rows[breaks + 1]]
    ends = np.r_[proxy_rows[breaks], proxy_rows[-1]]
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        selection.select(proxy.index(s, 0), proxy.index(e, last_col))
    return selection


def rows_of_selection(selection_model: QItemSelectionModel) -> np.ndarray:
    """Proxy rows covered by a selection, from its ranges (no per-cell lists)."""
    pieces = [
        np.arange(r.top(), r.bottom() + 1)
        for r in selection_model.selection()
        if r.isValid()
    ]
    if not pieces:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(pieces))

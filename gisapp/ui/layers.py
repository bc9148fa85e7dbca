"""The layer panel: visibility, drawing order by dragging, opacity, legend, zoom to."""

from __future__ import annotations

from PyQt6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QRectF,
    Qt,
    pyqtSignal,
)
from PyQt6.QtGui import QColor, QIcon, QPainter, QPixmap
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSlider,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gisapp.model.style import category_keys, layer_style
from gisapp.render.symbols import draw_swatch

MIME = "application/x-gisapp-layer"
_ROOT = QModelIndex()
SWATCH = 18


def geometry_class(layer) -> str:
    """point, line or polygon: how the layer's features are drawn in the legend."""
    types = layer.frame.geometry.geom_type.dropna() if layer.has_geometry else []
    first = str(types.iloc[0]) if len(types) else layer.kind.geometry[0]
    if "Point" in first:
        return "point"
    if "Line" in first:
        return "line"
    if "shape" in layer_style(layer).symbol:
        return "point"  # footprints of a marker style are shown by the marker
    return "polygon"


def swatch(symbol: dict, geom: str) -> QIcon:
    pix = QPixmap(SWATCH, SWATCH)
    pix.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pix)
    draw_swatch(painter, QRectF(1, 1, SWATCH - 2, SWATCH - 2), symbol, geom, 3.78)
    painter.end()
    return QIcon(pix)


def legend_rows(layer) -> list[tuple[str, dict]]:
    """The legend of a layer: one row per category present in its data."""
    style = layer_style(layer)
    if style.category_field is None or style.category_field not in layer.frame:
        return []
    present = category_keys(layer.frame[style.category_field])
    return style.legend(present)


class LayerModel(QAbstractItemModel):
    """Layers topmost first; each with its legend rows as children."""

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self._legend: dict[str, list[tuple[str, QIcon]]] = {}
        doc.project_replaced.connect(self.reload)
        doc.layers_changed.connect(self.reload)
        doc.layer_changed.connect(self._layer_changed)

    def layers(self) -> list:
        return list(reversed(self.doc.project.layers))

    def reload(self) -> None:
        self.beginResetModel()
        self._legend.clear()
        self.endResetModel()

    def legend(self, layer) -> list[tuple[str, QIcon]]:
        if layer.id not in self._legend:
            geom = geometry_class(layer)
            self._legend[layer.id] = [
                (label, swatch(sym, geom)) for label, sym in legend_rows(layer)
            ]
        return self._legend[layer.id]

    def _layer_changed(self, layer) -> None:
        rows = self.layers()
        if layer not in rows:
            return
        old = len(self._legend.get(layer.id, []))
        self._legend.pop(layer.id, None)
        if len(self.legend(layer)) != old:
            self.reload()
            return
        idx = self.index(rows.index(layer), 0)
        self.dataChanged.emit(idx, idx)
        if old:
            self.dataChanged.emit(self.index(0, 0, idx), self.index(old - 1, 0, idx))

    # structure -----------------------------------------------------------------
    def index(self, row, column, parent=_ROOT):
        if column != 0:
            return QModelIndex()
        if not parent.isValid():
            layers = self.layers()
            return (
                self.createIndex(row, 0, None)
                if 0 <= row < len(layers)
                else QModelIndex()
            )
        if parent.internalPointer() is not None:
            return QModelIndex()
        layer = self.layers()[parent.row()]
        if 0 <= row < len(self.legend(layer)):
            return self.createIndex(row, 0, layer)
        return QModelIndex()

    def parent(self, index=_ROOT):
        if not index.isValid() or index.internalPointer() is None:
            return QModelIndex()
        layer = index.internalPointer()
        layers = self.layers()
        return (
            self.createIndex(layers.index(layer), 0, None)
            if layer in layers
            else QModelIndex()
        )

    def rowCount(self, parent=_ROOT) -> int:
        if not parent.isValid():
            return len(self.doc.project.layers)
        if parent.internalPointer() is None:
            return len(self.legend(self.layers()[parent.row()]))
        return 0

    def columnCount(self, parent=_ROOT) -> int:
        return 1

    def layer_at(self, index):
        if not index.isValid():
            return None
        if index.internalPointer() is not None:
            return index.internalPointer()
        return self.layers()[index.row()]

    def index_of(self, layer) -> QModelIndex:
        layers = self.layers()
        return self.index(layers.index(layer), 0) if layer in layers else QModelIndex()

    # content -----------------------------------------------------------------
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalPointer() is not None:
            label, icon = self.legend(index.internalPointer())[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return label
            if role == Qt.ItemDataRole.DecorationRole:
                return icon
            return None
        layer = self.layers()[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return layer.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and not self.legend(layer):
            return swatch(layer_style(layer).symbol, geometry_class(layer))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(layer)
        return None

    def _tooltip(self, layer) -> str:
        info = layer.info
        lines = [
            f"{layer.kind.zh} · {len(layer.frame):,} " + self.tr("features"),
            self.tr("Source: {0}").format(info.path),
            self.tr("Coordinates: {0} ({1})").format(info.crs or "", info.crs_how),
        ]
        if info.encoding:
            lines.append(
                self.tr("Encoding: {0} ({1})").format(info.encoding, info.encoding_how)
            )
        if layer.is_generated:
            lines.append(self.tr("Sample data made by the program"))
        lines += [f"⚠ {w}" for w in info.warnings]
        return "\n".join(lines)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        layer = self.layer_at(index)
        if layer is None or index.internalPointer() is not None:
            return False
        if role == Qt.ItemDataRole.CheckStateRole:
            self.doc.set_visible(layer, Qt.CheckState(value) == Qt.CheckState.Checked)
            return True
        if role == Qt.ItemDataRole.EditRole and str(value).strip():
            layer.name = str(value).strip()
            self.doc.layers_changed.emit()
            return True
        return False

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        if index.internalPointer() is not None:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )

    # drag and drop -------------------------------------------------------------
    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def mimeTypes(self):
        return [MIME]

    def mimeData(self, indexes):
        data = QMimeData()
        ids = [
            self.layer_at(i).id
            for i in indexes
            if i.isValid() and not i.internalPointer()
        ]
        data.setData(MIME, ",".join(ids).encode("ascii"))
        return data

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if not data.hasFormat(MIME):
            return False
        ids = bytes(data.data(MIME)).decode("ascii").split(",")
        moving = [self.doc.layer(i) for i in ids if self.doc.layer(i) is not None]
        if not moving:
            return False
        if parent.isValid():
            target = self.layer_at(parent)
        else:
            layers = self.layers()
            target = layers[row] if 0 <= row < len(layers) else None
        self.move(moving[0], target)
        return False  # the move is done; the view must not remove any row

    def move(self, layer, before) -> None:
        """Put ``layer`` just above ``before`` in the panel (None: at the bottom)."""
        shown = [lyr for lyr in self.layers() if lyr is not layer]
        at = shown.index(before) if before in shown else len(shown)
        shown.insert(at, layer)
        order = list(reversed(shown))
        self.doc.move_layer(layer, order.index(layer))


class LayerPanel(QWidget):
    """The tree of layers with their legends, and controls for the chosen layer."""

    zoom_requested = pyqtSignal(object)
    table_requested = pyqtSignal(object)
    style_requested = pyqtSignal(object)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.model = LayerModel(doc, self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.doubleClicked.connect(self._zoom_index)
        self.tree.selectionModel().currentChanged.connect(self._current)
        self.model.modelReset.connect(self._after_reset)

        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setToolTip(self.tr("Opacity of the chosen layer"))
        self.opacity.valueChanged.connect(self._opacity)
        self.opacity_label = QLabel("100%")
        zoom = QToolButton(text=self.tr("Zoom to"))
        zoom.clicked.connect(lambda: self._emit(self.zoom_requested))
        table = QToolButton(text=self.tr("Table"))
        table.clicked.connect(lambda: self._emit(self.table_requested))
        style = QToolButton(text=self.tr("Style…"))
        style.clicked.connect(lambda: self._emit(self.style_requested))

        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tree)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Opacity")))
        row.addWidget(self.opacity, 1)
        row.addWidget(self.opacity_label)
        lay.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(zoom)
        row.addWidget(table)
        row.addWidget(style)
        row.addStretch(1)
        lay.addLayout(row)
        doc.current_layer_changed.connect(self._show_current)

    def _after_reset(self) -> None:
        self.tree.expandAll()
        self._show_current(self.doc.current_layer)

    def _show_current(self, layer) -> None:
        idx = self.model.index_of(layer) if layer is not None else QModelIndex()
        if idx.isValid() and self.tree.currentIndex() != idx:
            self.tree.setCurrentIndex(idx)
        self.opacity.setEnabled(layer is not None)
        self.opacity.blockSignals(True)
        self.opacity.setValue(round((layer.opacity if layer else 1.0) * 100))
        self.opacity.blockSignals(False)
        self.opacity_label.setText(f"{self.opacity.value()}%")

    def _current(self, index, _previous) -> None:
        layer = self.model.layer_at(index)
        if layer is not None:
            self.doc.set_current_layer(layer)

    def _opacity(self, value: int) -> None:
        self.opacity_label.setText(f"{value}%")
        if self.doc.current_layer is not None:
            self.doc.set_opacity(self.doc.current_layer, value / 100)

    def _emit(self, signal) -> None:
        if self.doc.current_layer is not None:
            signal.emit(self.doc.current_layer)

    def _zoom_index(self, index) -> None:
        layer = self.model.layer_at(index)
        if layer is not None:
            self.zoom_requested.emit(layer)

    def _menu(self, pos) -> None:
        layer = self.model.layer_at(self.tree.indexAt(pos))
        if layer is None:
            return
        menu = QMenu(self)
        menu.addAction(
            self.tr("Zoom to layer"), lambda: self.zoom_requested.emit(layer)
        )
        menu.addAction(
            self.tr("Open attribute table"), lambda: self.table_requested.emit(layer)
        )
        menu.addAction(self.tr("Style…"), lambda: self.style_requested.emit(layer))
        menu.addSeparator()
        menu.addAction(self.tr("Remove layer"), lambda: self.doc.remove_layer(layer))
        menu.popup(self.tree.viewport().mapToGlobal(pos))

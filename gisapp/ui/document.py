"""The open project as seen by the window: selection, undo stack and change signals.

Widgets read the project through this object and change it only through its
methods, so every view (map, layer panel, table, gap panel) stays in step.
"""

from __future__ import annotations

import logging

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtGui import QUndoCommand, QUndoStack

from gisapp.model.layer import Layer
from gisapp.model.project import Project

log = logging.getLogger(__name__)


class Document(QObject):
    """Signals and commands around one :class:`Project`."""

    project_replaced = pyqtSignal()
    layers_changed = pyqtSignal()
    layer_changed = pyqtSignal(object)
    features_changed = pyqtSignal(object, object, str)
    selection_changed = pyqtSignal(object)
    current_layer_changed = pyqtSignal(object)
    report_changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.project = Project()
        self.report = None
        self.undo = QUndoStack(self)
        self._selection: dict[str, np.ndarray] = {}
        self._current: Layer | None = None

    # project ---------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        """Show another project; selection, undo history and report start afresh."""
        self.project = project
        self.report = None
        self._selection.clear()
        self.undo.clear()
        villages = project.layers_of("village")
        if villages:
            self._current = villages[0]
        else:
            self._current = project.layers[-1] if project.layers else None
        self.project_replaced.emit()
        self.current_layer_changed.emit(self._current)

    def set_report(self, report) -> None:
        self.report = report
        self.report_changed.emit()
        for layer in self.project.layers:
            self.layer_changed.emit(layer)

    def layer(self, layer_id: str) -> Layer | None:
        for layer in self.project.layers:
            if layer.id == layer_id:
                return layer
        return None

    @property
    def current_layer(self) -> Layer | None:
        return self._current

    def set_current_layer(self, layer: Layer | None) -> None:
        if layer is self._current:
            return
        self._current = layer
        self.current_layer_changed.emit(layer)

    # layers ----------------------------------------------------------------
    def mark_modified(self) -> None:
        """The project differs from its file in something the undo stack does not
        hold (layers, order, visibility, opacity, styles, periods)."""
        self.undo.resetClean()

    def add_layer(self, layer: Layer) -> None:
        self.project.add(layer)
        self.mark_modified()
        self.layers_changed.emit()
        self.set_current_layer(layer)

    def remove_layer(self, layer: Layer) -> None:
        self.project.remove(layer)
        self._selection.pop(layer.id, None)
        if self._current is layer:
            self._current = self.project.layers[0] if self.project.layers else None
            self.current_layer_changed.emit(self._current)
        self.undo.clear()
        self.mark_modified()
        self.layers_changed.emit()

    def move_layer(self, layer: Layer, index: int) -> None:
        """Put a layer at ``index`` of the drawing order (0 is drawn first)."""
        layers = self.project.layers
        layers.remove(layer)
        layers.insert(max(0, min(index, len(layers))), layer)
        self.mark_modified()
        self.layers_changed.emit()

    def set_visible(self, layer: Layer, visible: bool) -> None:
        if layer.visible != visible:
            layer.visible = visible
            self.mark_modified()
            self.layer_changed.emit(layer)

    def set_opacity(self, layer: Layer, opacity: float) -> None:
        opacity = max(0.0, min(1.0, float(opacity)))
        if abs(layer.opacity - opacity) > 1e-6:
            layer.opacity = opacity
            self.mark_modified()
            self.layer_changed.emit(layer)

    def restyle(self, layer: Layer) -> None:
        """Tell the views that a layer's style changed."""
        self.mark_modified()
        self.layer_changed.emit(layer)

    # selection -------------------------------------------------------------
    def selection(self, layer: Layer) -> np.ndarray:
        """Positions (0-based rows of ``layer.frame``) of the selected features."""
        return self._selection.get(layer.id, np.empty(0, dtype=np.int64))

    def select(self, layer: Layer, rows, *, add: bool = False) -> None:
        """Select rows of a layer; without ``add`` the rest of the layer is cleared."""
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        if add:
            rows = np.union1d(self.selection(layer), rows)
        old = self.selection(layer)
        if len(old) == len(rows) and np.array_equal(old, rows):
            return
        self._selection[layer.id] = rows
        self.selection_changed.emit(layer)

    def clear_selection(self) -> None:
        for layer_id in list(self._selection):
            layer = self.layer(layer_id)
            del self._selection[layer_id]
            if layer is not None:
                self.selection_changed.emit(layer)

    # editing ---------------------------------------------------------------
    def edit_value(self, layer: Layer, row: int, column: str, value) -> None:
        """Change one attribute through the undo stack."""
        self.undo.push(EditValue(self, layer, row, column, value))

    def _apply(self, layer: Layer, row: int, column: str, value) -> None:
        frame = layer.frame
        col = frame.columns.get_loc(column)
        frame.iat[row, col] = value
        layer.touch()
        self.features_changed.emit(layer, np.array([row]), column)
        self.layer_changed.emit(layer)


class EditValue(QUndoCommand):
    """One cell of one layer, before and after."""

    def __init__(self, doc: Document, layer: Layer, row: int, column: str, value):
        super().__init__()
        self.doc, self.layer, self.row, self.column = doc, layer, row, column
        self.new = value
        self.old = layer.frame.iat[row, layer.frame.columns.get_loc(column)]
        try:
            label = layer.kind.field(column).zh
        except KeyError:
            label = column
        self.setText(f"{layer.name}: {label}")

    def redo(self) -> None:
        self.doc._apply(self.layer, self.row, self.column, self.new)

    def undo(self) -> None:
        self.doc._apply(self.layer, self.row, self.column, self.old)

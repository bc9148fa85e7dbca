"""The import dialog: preview a file, check how it is read, map its columns, add it.

What the reader assumed (encoding, coordinate system, layer kind, column mapping)
is shown before anything is added, and each assumption can be changed.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.data.mappings import remember_mapping
from gisapp.data.preview import preview
from gisapp.data.readers import SUFFIXES, list_layers, read_source
from gisapp.errors import GisAppError
from gisapp.model.kinds import all_kinds
from gisapp.model.project import make_layer

ENCODINGS = ("", "utf-8", "gbk", "gb18030", "big5")
PREVIEW_ROWS = 50


class ImportDialog(QDialog):
    """Choose a file, see how it reads, fix the kind and mapping, add it as a layer."""

    layer_ready = pyqtSignal(object)
    failed = pyqtSignal(object, str)

    def __init__(self, window, path=None):
        super().__init__(window)
        self.window_ = window
        self.runner = window.runner
        self.loaded = None
        self.facts_dict = None
        self.setWindowTitle(self.tr("Import layer"))
        self.resize(980, 640)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.layer = QComboBox()
        self.encoding = QComboBox()
        for enc in ENCODINGS:
            self.encoding.addItem(enc or self.tr("detect"), enc or None)
        self.crs = QLineEdit()
        self.crs.setPlaceholderText(self.tr("detect (or e.g. EPSG:4547)"))
        reload_button = QPushButton(self.tr("Read again"))
        reload_button.clicked.connect(self.read)
        self.kind = QComboBox()
        for kind in all_kinds().values():
            self.kind.addItem(f"{kind.zh} ({kind.id})", kind.id)
        self.kind.currentIndexChanged.connect(lambda _: self._fill_mapping())
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QTableWidget()
        self.mapping = QTableWidget(0, 2)
        self.mapping.setHorizontalHeaderLabels(
            [self.tr("Column in the file"), self.tr("Field")]
        )
        self.mapping.horizontalHeader().setStretchLastSection(True)

        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("File"), row)
        form.addRow(self.tr("Layer in the file"), self.layer)
        options = QHBoxLayout()
        options.addWidget(QLabel(self.tr("Encoding")))
        options.addWidget(self.encoding)
        options.addWidget(QLabel(self.tr("Coordinate system")))
        options.addWidget(self.crs, 1)
        options.addWidget(reload_button)
        form.addRow(options)
        form.addRow(self.tr("Layer kind"), self.kind)
        split = QSplitter()
        split.addWidget(self.preview)
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 0)
        side_lay.addWidget(self.mapping)
        split.addWidget(side)
        split.setSizes([620, 340])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Add layer")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.facts)
        lay.addWidget(split, 1)
        lay.addWidget(self.buttons)
        if path is not None:
            self.set_path(path)

    # reading -------------------------------------------------------------------
    def _browse(self) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(SUFFIXES))
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a file"),
            "",
            self.tr("Layer files") + f" ({patterns})",
        )
        if path:
            self.set_path(path)

    def set_path(self, path) -> None:
        path = self.window_.projects.working_path(Path(path))
        self.path.setText(str(path))
        self.layer.clear()
        try:
            names = list_layers(path) if path.suffix.lower() in SUFFIXES else [None]
        except Exception as exc:
            self.failed.emit(exc, "")
            names = [None]
        for name in names:
            self.layer.addItem(name or self.tr("(whole file)"), name)
        self.read()

    def read(self):
        """Read the file in the background with the chosen encoding and CRS."""
        path = Path(self.path.text())
        layer = self.layer.currentData()
        encoding = self.encoding.currentData()
        crs = self.crs.text().strip() or None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.facts.setText(self.tr("Reading…"))

        def work(ctx):
            facts = preview(
                path, layer=layer, encoding=encoding, crs=crs, rows=PREVIEW_ROWS
            )
            ctx.check()
            return facts, read_source(path, facts["layer"], encoding=encoding, crs=crs)[
                0
            ]

        def done(result):
            self.show_loaded(*result)

        job = self.runner.submit(self.tr("Reading {0}").format(path.name), work, done)
        job.signals.failed.connect(lambda exc, tb: self._failed(exc, tb))
        return job

    def _failed(self, exc, tb) -> None:
        from gisapp.ui.messages import plain_words

        self.facts.setText(plain_words(exc))

    def show_loaded(self, facts: dict, loaded) -> None:
        """Show what the reader found and assumed; the mapping can then be changed."""
        self.facts_dict, self.loaded = facts, loaded
        where = self.kind.findData(facts.get("kind") or "other")
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(where, 0))
        self.kind.blockSignals(False)
        lines = [
            self.tr("{0}: {1:,} features, {2}").format(
                facts["format"],
                facts["feature_count"],
                facts.get("geometry_type") or self.tr("no places"),
            ),
            self.tr("Encoding: {0} ({1})").format(
                facts.get("encoding") or "-", facts.get("encoding_how", "")
            ),
            self.tr("Coordinates: {0} ({1})").format(
                facts.get("crs") or "-", facts.get("crs_how", "")
            ),
            self.tr("Layer kind: {0}").format(facts.get("kind_how", "")),
        ]
        others = [alt["encoding"] for alt in facts.get("encoding_alternatives", [])]
        if others:
            lines.append(
                self.tr(
                    "The text also reads as {0}; choose it above if names look wrong."
                ).format(", ".join(others))
            )
        issues = [*facts.get("warnings", []), *map(str, facts.get("row_issues", []))]
        lines += [f"⚠ {w}" for w in issues[:8]]
        self.facts.setText("\n".join(lines))
        self._fill_preview(loaded.frame)
        self._fill_mapping(facts.get("mapping"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _fill_preview(self, frame) -> None:
        columns = [c for c in frame.columns if c != "geometry"]
        head = frame.head(PREVIEW_ROWS)
        self.preview.clear()
        self.preview.setColumnCount(len(columns))
        self.preview.setRowCount(len(head))
        self.preview.setHorizontalHeaderLabels([str(c) for c in columns])
        for r, (_, rec) in enumerate(head.iterrows()):
            for c, col in enumerate(columns):
                value = rec[col]
                text = "" if value is None or value != value else str(value)
                self.preview.setItem(r, c, QTableWidgetItem(text))

    def _fill_mapping(self, given=None) -> None:
        if self.loaded is None:
            return
        kind = all_kinds()[self.kind.currentData()]
        auto = given or kind.map_columns(self.loaded.info.columns)
        self.mapping.setRowCount(len(self.loaded.info.columns))
        for r, col in enumerate(self.loaded.info.columns):
            self.mapping.setItem(r, 0, QTableWidgetItem(str(col)))
            box = QComboBox()
            box.addItem(self.tr("(keep as is)"), None)
            for f in kind.fields:
                box.addItem(f"{f.zh} ({f.name})", f.name)
            box.setCurrentIndex(max(0, box.findData(auto.get(col))))
            self.mapping.setCellWidget(r, 1, box)

    def chosen_mapping(self) -> dict[str, str]:
        """``{column: field}`` as set in the mapping table."""
        out = {}
        for r in range(self.mapping.rowCount()):
            box = self.mapping.cellWidget(r, 1)
            if box is not None and box.currentData():
                out[self.mapping.item(r, 0).text()] = box.currentData()
        return out

    def build_layer(self):
        """The layer to add, with the user's kind and column mapping."""
        loaded = self.loaded
        mapping = self.chosen_mapping()
        taken = set(mapping.values())
        rename = {col: field for col, field in mapping.items() if col != field}
        clash = {
            c: f"{c}_" for c in loaded.info.columns if c in taken and c not in mapping
        }
        loaded.frame = loaded.frame.rename(columns={**clash, **rename})
        loaded.info.columns = [
            rename.get(c, clash.get(c, c)) for c in loaded.info.columns
        ]
        return make_layer(loaded, self.kind.currentData())

    def accept(self) -> None:
        if self.loaded is None:
            return
        try:
            layer = self.build_layer()
        except Exception as exc:
            self.failed.emit(exc, "")
            return
        key = (self.facts_dict or {}).get("source_key")
        if key:
            try:
                remember_mapping(
                    key, self.chosen_mapping(), kind=self.kind.currentData()
                )
            except GisAppError as exc:
                self.failed.emit(exc, "")
        self.layer_ready.emit(layer)
        super().accept()

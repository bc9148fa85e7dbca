"""New periods made in the window: the map as edited, or the office's updated lists.

Edits change the layers, which hold the period on the map. They become part of the
campaign only when recorded as a new period (earlier periods are never changed);
moving the slider with edits not recorded asks first. Updated lists (Excel 台账,
CSV) are read in the background, joined by code onto a base period and make one
new period, which the map then shows.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
)

from gisapp.data.fields import recognise_kind
from gisapp.data.readers import read_source
from gisapp.errors import GisAppError
from gisapp.model.kinds import all_kinds, get_kind
from gisapp.model.periods import Period, parse_period
from gisapp.model.project import add_period_from_lists, period_table

log = logging.getLogger(__name__)

LIST_FILTER = "Excel / CSV (*.xlsx *.xls *.csv *.txt)"


class NewPeriodDialog(QDialog):
    """Name a new period; for lists, say which kind each table is and the base."""

    def __init__(
        self, history, title: str, intro: str, tables=(), base=None, parent=None
    ):
        super().__init__(parent)
        self.history = history
        self.after = base if base in history.names() else None
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        form.addRow(text)
        self.name = QLineEdit(history.next_name())
        form.addRow(self.tr("Period (year or quarter, e.g. 2019 or 2019Q2)"), self.name)
        self.base = None
        if tables:
            self.base = QComboBox()
            for name in reversed(history.names()):
                self.base.addItem(name, name)
            if base in history.names():
                self.base.setCurrentIndex(self.base.findData(base))
            form.addRow(self.tr("Starting from period"), self.base)
            self.base.currentIndexChanged.connect(self._check)
        self.kinds: list[QComboBox] = []
        tracked = _tracked_kinds(history)
        for loaded, guessed in tables:
            combo = QComboBox()
            for kind_id in tracked:
                kind = get_kind(kind_id)
                combo.addItem(f"{kind.zh}（{kind.key}）", kind_id)
            if guessed in tracked:
                combo.setCurrentIndex(combo.findData(guessed))
            rows = len(loaded.frame)
            form.addRow(
                self.tr("{0} ({1} rows) is a list of").format(
                    _table_label(loaded), rows
                ),
                combo,
            )
            self.kinds.append(combo)
        self.note = QLineEdit()
        form.addRow(self.tr("Note"), self.note)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self._check)
        self._check()

    def period_name(self) -> str:
        return self.name.text().strip()

    def base_name(self) -> str | None:
        return self.after if self.base is None else self.base.currentData()

    def kind_ids(self) -> list[str]:
        return [combo.currentData() for combo in self.kinds]

    def _check(self) -> None:
        problem = ""
        name = self.period_name()
        try:
            parse_period(name)
        except GisAppError:
            problem = self.tr(
                "Write the period as a year (2019) or a quarter (2019Q2)."
            )
        else:
            base = self.base_name()
            if name in self.history.names():
                problem = self.tr(
                    "Period {0} exists already; earlier periods are kept unchanged. "
                    "Choose another name."
                ).format(name)
            elif base and Period(name, {}).sort_key <= self.history.get(base).sort_key:
                problem = self.tr(
                    "A new period comes after the one it starts from ({0}); a year "
                    "stands for its end. Write a later year or quarter."
                ).format(base)
        self.problem.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)


def _tracked_kinds(history) -> list[str]:
    """Kinds a list can update: those the latest period holds, keyed by a code or
    a name (villages first)."""
    latest = history.latest()
    held = set(latest.states) if latest else set()
    kinds = [
        kind_id
        for kind_id, kind in all_kinds().items()
        if kind_id in held and not kind.internal
    ]
    return sorted(kinds, key=lambda k: (k != "village", k != "township", k))


def _table_label(loaded) -> str:
    info = loaded.info
    return f"{info.path.name}" + (f" · {info.layer}" if info.layer else "")


def read_lists(paths, ctx=None) -> list[tuple]:
    """Each table of the files with the kind its columns suggest (None if none)."""
    tables = []
    for i, path in enumerate(paths):
        if ctx is not None:
            ctx.progress(i / max(len(paths), 1), Path(path).name)
        for loaded in read_source(Path(path)):
            kind_id, _why = recognise_kind(loaded.info, loaded.info.columns)
            tables.append((loaded, kind_id))
    return tables


class PeriodEditing:
    """Main-window part: record edits as a period, import lists as a period."""

    _period_index = 0  # undo index at which the layers equal the period shown

    def edits_since_period(self) -> bool:
        """Whether the layers were edited since the period on the map was shown."""
        undo = self.doc.undo
        # An emptied stack (a layer removed) holds no edits to lose.
        return undo.count() > 0 and undo.index() != self._period_index

    def _period_shown(self) -> None:
        self._period_index = self.doc.undo.index()

    def _periods_grew(self, name: str) -> None:
        """The slider, chart and actions after period ``name`` was added."""
        names = self.doc.project.history.names()
        self.campaign.bar.set_periods(names, self.period)
        self._progress_of = None
        self.campaign_dock.setVisible(True)
        for action in self.period_actions:
            action.setEnabled(len(names) > 1)
        self.doc.mark_modified()  # the project file does not have it yet
        self.messages.info(self.tr("Period {0} recorded.").format(name))

    # the map as edited --------------------------------------------------------------
    def record_period(self, name: str | None = None, note: str = "") -> str | None:
        """Record the layers as they are now as a new period (asks for its name)."""
        project = self.doc.project
        if name is None:
            answer = self.ask_new_period()
            if answer is None:
                return None
            name, note = answer
        self.canvas.wait_idle(5000)
        try:
            project.history.snapshot(
                project, name, note or self.tr("edited in the map")
            )
        except GisAppError as exc:
            self.messages.error(exc, traceback.format_exc(), self.tr("New period"))
            return None
        project.period = self.period = self._wanted_period = name
        self._period_shown()
        self._periods_grew(name)
        if self.run_analysis() is None:
            self._analysis_done(None)
        return name

    def ask_new_period(self) -> tuple[str, str] | None:
        """The name and note of the period to record, or None when cancelled."""
        edits = self.doc.undo.index() - self._period_index
        shown = self.period or self.tr("the map")
        intro = self.tr(
            "The new period holds the map as it is now: {0} with {1} edits. "
            "Earlier periods stay as they are."
        ).format(shown, max(edits, 0))
        latest = self.doc.project.history.latest()
        if self.period and latest is not None and latest.name != self.period:
            intro += "\n\n" + self.tr(
                "Note: the map shows {0}, not the latest period {1}. The new period "
                "starts from {0}: what changed after it, up to {1}, is not in it."
            ).format(self.period, latest.name)
        dialog = NewPeriodDialog(
            self.doc.project.history,
            self.tr("Record a new period"),
            intro,
            base=self.period,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.period_name(), dialog.note.text().strip()

    # the office's updated lists ---------------------------------------------------
    def import_period_lists(self, paths=None):
        """Read updated lists in the background, then ask for the new period."""
        if paths is None:
            folder = self.doc.project.path.parent if self.doc.project.path else ""
            paths, _ = QFileDialog.getOpenFileNames(
                self,
                self.tr("Updated lists for a new period"),
                str(folder),
                LIST_FILTER,
            )
        if not paths:
            return None
        paths = [Path(p) for p in paths]

        def work(ctx):
            return read_lists(paths, ctx)

        return self.runner.submit(
            self.tr("Reading {0}").format(", ".join(p.name for p in paths)),
            work,
            lambda tables: self._lists_read(tables),
        )

    def ask_list_period(self, tables) -> tuple[str, list[str], str] | None:
        """Name, kind of each table and base period of a new period from lists."""
        dialog = NewPeriodDialog(
            self.doc.project.history,
            self.tr("New period from updated lists"),
            self.tr(
                "Each list is joined by code onto the period it starts from; "
                "the filled cells change, the rest is carried over."
            ),
            tables,
            base=self.period,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.period_name(), dialog.kind_ids(), dialog.base_name()

    def _lists_read(self, tables) -> str | None:
        project = self.doc.project
        if not tables:
            return None
        answer = self.ask_list_period(tables)
        if answer is None:
            return None
        name, kinds, base = answer
        try:
            lists = [
                period_table(loaded, kind_id)
                for (loaded, _), kind_id in zip(tables, kinds, strict=True)
            ]
            notes = add_period_from_lists(project, name, lists, base)
        except GisAppError as exc:
            self.messages.error(exc, traceback.format_exc(), self.tr("New period"))
            return None
        for text in notes:
            self.messages.warning(text)
        self._periods_grew(name)
        self.set_period(name)
        return name

    def confirm_leaving_period(self) -> bool:
        """Before another period replaces the layers' attributes: record the edits
        as a new period, drop them, or stay."""
        if not self.edits_since_period():
            return True
        choice = self.ask_leaving_period()
        if choice == "record":
            return self.record_period() is not None
        return choice == "drop"

    def ask_leaving_period(self) -> str:
        """ "record", "drop" or "cancel"."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Edits not in a period"))
        box.setText(
            self.tr(
                "The map has edits that no period holds yet. Another period replaces "
                "the attributes on the map with that period's lists."
            )
        )
        record = box.addButton(
            self.tr("Record as a new period…"), QMessageBox.ButtonRole.AcceptRole
        )
        drop = box.addButton(
            self.tr("Drop the edits"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(record)
        box.exec()
        clicked = box.clickedButton()
        if clicked is record:
            return "record"
        return "drop" if clicked is drop else "cancel"

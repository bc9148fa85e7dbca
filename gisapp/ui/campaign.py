"""The campaign over time in the main window: choosing the period and its exports.

Moving the period slider puts that period's lists on the layers
(``history.apply``; every period is a full state, so an earlier one comes back
unchanged), checks the gaps for that period's year in the background and redraws
the map, the gap panel and the progress chart. Only one period change runs at a
time; a slider moved meanwhile is followed once the running check is done.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import pandas as pd
from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
)

from gisapp.ui.period_edits import PeriodEditing
from gisapp.ui.period_exports import (
    detached,
    run_animation,
    run_book,
    run_change_map,
    run_poster,
)

log = logging.getLogger(__name__)


def period_on_layers(project) -> str | None:
    """The period whose state the layers hold: the one the project says (set when
    a project file is read, a period applied or a saved project opened), else its
    first period, which a project file's layers are."""
    names = project.history.names()
    if not names:
        return None
    return project.period if project.period in names else names[0]


class ChangeDialog(QDialog):
    """Choose the two periods of a change map."""

    def __init__(self, names: list[str], current: str | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change map between two periods"))
        self.before = QComboBox()
        self.after = QComboBox()
        self.before.addItems(names)
        self.after.addItems(names)
        after = (
            names.index(current)
            if current in names and current != names[0]
            else len(names) - 1
        )
        self.after.setCurrentIndex(after)
        self.before.setCurrentIndex(max(0, after - 1))
        self.note = QLabel()
        self.note.setStyleSheet("color: #c62828;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr(
                    "Villages and townships that left or came back, roads hardened\n"
                    "and bridges rebuilt between the two periods."
                )
            )
        )
        form.addRow(self.tr("Before"), self.before)
        form.addRow(self.tr("After"), self.after)
        form.addRow(self.note)
        form.addRow(buttons)
        self.before.currentIndexChanged.connect(self._check)
        self.after.currentIndexChanged.connect(self._check)
        self._check()

    def periods(self) -> tuple[str, str]:
        return self.before.currentText(), self.after.currentText()

    def _check(self) -> None:
        ok = self.before.currentIndex() < self.after.currentIndex()
        self.ok.setEnabled(ok)
        self.note.setText(
            "" if ok else self.tr("'Before' must be earlier than 'after'.")
        )


class CampaignActions(PeriodEditing):
    """Period slider, progress chart, new periods and period exports of the window."""

    period: str | None = None

    def _build_campaign(self) -> None:
        from gisapp.ui.timeline import CampaignPanel

        self.period = None
        self._wanted_period: str | None = None
        self._analysis_jobs: set = set()  # gap checks reading the layers now
        self._progress_of = None
        self.campaign = CampaignPanel(self)
        self.campaign.bar.period_chosen.connect(self.set_period)
        self.runner.finished.connect(self._job_finished)
        self.doc.project_replaced.connect(self._periods_reloaded)

    @property
    def period_bar(self):
        return self.campaign.bar

    @property
    def progress_chart(self):
        return self.campaign.chart

    def _periods_reloaded(self) -> None:
        project = self.doc.project
        names = project.history.names()
        self.period = period_on_layers(project)
        project.period = self._wanted_period = self.period
        self._period_shown()
        self.campaign.bar.set_periods(names, self.period)
        self.campaign.chart.set_current(self.period)
        # the figures come with the first gap check, so the first map does not wait
        # for the analysis modules to load
        self._progress_of = None
        self.campaign.chart.set_progress(pd.DataFrame(), pending=bool(names))
        self.campaign_dock.setVisible(bool(names))
        for action in self.period_actions:
            action.setEnabled(len(names) > 1)

    def _show_progress(self) -> None:
        """Villages and townships out per period against the plan, in the chart."""
        project = self.doc.project
        progress = pd.DataFrame()
        if project.history.periods:
            try:
                from gisapp.analysis.campaign import progress_by_period
                from gisapp.export.periods import rules_of

                rules = rules_of(project, self._rules())
                progress = progress_by_period(project.history, rules)
            except Exception as exc:  # a broken rules file must not stop the window
                self.messages.error(
                    exc, traceback.format_exc(), self.tr("Progress over time")
                )
        self.campaign.chart.set_progress(progress)

    def _rules(self):
        return self.settings.rules_file or self.doc.project.rules

    def _period_year(self) -> int | None:
        if self.period is None:
            return None
        return self.doc.project.history.get(self.period).year

    # choosing a period --------------------------------------------------------------
    def set_period(self, name: str) -> None:
        """Show period ``name``: its lists on the layers, its gaps, its chart column."""
        name = str(name)
        if name not in self.doc.project.history.names():
            return
        if name != self.period and not self.confirm_leaving_period():
            self.campaign.bar.show_period(self.period)
            return
        self._wanted_period = name
        self.campaign.bar.show_period(name, busy=name != self.period)
        if not self._analysis_jobs:
            self._switch_period()

    def _switch_period(self) -> None:
        name = self._wanted_period
        if name is None or name == self.period:
            self.campaign.bar.show_period(self.period)
            return
        project = self.doc.project
        self.canvas.wait_idle(5000)  # no frame reads the layers while they change
        project.history.apply(project, name)
        self.period = name
        self.doc.undo.clear()
        self._period_shown()
        log.info("period %s on the map", name)
        if self.run_analysis() is None:  # nothing to check: show the period as it is
            for layer in project.layers:
                self.doc.layer_changed.emit(layer)
            self._analysis_done(None)
            self.campaign.bar.show_period(self.period)

    def _analysis_done(self, report) -> None:
        """After a gap check: the chart and slider say which period the map shows."""
        self.campaign.chart.set_current(self.period)
        if self._progress_of is not self.doc.project:
            self._progress_of = self.doc.project
            self._show_progress()
        if self.attributes.model.layer is not None:
            self.attributes.model.set_layer(self.attributes.model.layer)

    def _job_finished(self, job) -> None:
        if job not in self._analysis_jobs:
            return
        self._analysis_jobs.discard(job)
        if self._analysis_jobs:
            return
        if self._wanted_period not in (None, self.period):
            self._switch_period()
        else:
            self.campaign.bar.show_period(self.period)

    # exports of the campaign ----------------------------------------------------------
    def _ask_target(self, suffix: str, stem: str, title: str) -> Path | None:
        filters = {".pdf": "PDF (*.pdf)", ".gif": "GIF (*.gif)"}
        project = self.doc.project
        folder = project.path.parent if project.path else Path.home()
        suggested = str(folder / f"{project.title or 'project'}{stem}{suffix}")
        target, _ = QFileDialog.getSaveFileName(self, title, suggested, filters[suffix])
        if not target:
            return None
        target = Path(target)
        return target if target.suffix.lower() == suffix else target.with_suffix(suffix)

    def _written(self, *paths) -> None:
        for path in paths:
            self.messages.info(self.tr("Written: {0}").format(path))
        self.statusBar().showMessage(self.tr("Written: {0}").format(paths[0]), 10000)

    def at_shown_period(self, book: bool = False):
        """A detached copy of the project for an export, labelled with its period.

        Wall maps say "2017年状态" first in their subtitle (as
        :func:`gisapp.export.periods.period_view` does); a book, whose pages
        name the project title, gets the period after the title.
        """
        project = detached(self.doc.project)
        if self.period is not None and len(project.history.periods) > 1:
            label = f"{self.period}年状态"
            if book:
                project.title = f"{project.title}（{label}）"
            else:
                project.subtitle = "  ·  ".join(filter(None, [label, project.subtitle]))
        return project

    def _period_suffix(self) -> str:
        return f"_{self.period}" if self.period else ""

    def export_book(self, target=None):
        """The township book of the period on the map, in the background."""
        target = target or self._ask_target(
            ".pdf",
            f"{self._period_suffix()}_乡镇图册",
            self.tr("Export the township book"),
        )
        if target is None:
            return None
        project, report = self.at_shown_period(book=True), self.doc.report

        def work(ctx):
            return run_book(project, report, target, ctx)

        return self.runner.submit(
            self.tr("Exporting the township book"), work, self._written
        )

    def export_poster(self, target=None):
        """The wall map of the period on the map as A4 tiles, in the background."""
        target = target or self._ask_target(
            ".pdf", f"{self._period_suffix()}_拼贴", self.tr("Export poster tiles")
        )
        if target is None:
            return None
        project, report = self.at_shown_period(), self.doc.report
        page = self.settings.page_size

        def work(ctx):
            return run_poster(project, report, target, ctx, page)

        return self.runner.submit(
            self.tr("Exporting poster tiles"), work, self._written
        )

    def change_dialog(self) -> ChangeDialog:
        """Ask for two periods, then for the file of their change map."""
        names = self.doc.project.history.names()
        dialog = ChangeDialog(names, self.period, self)
        dialog.accepted.connect(lambda: self.export_change_map(*dialog.periods()))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def export_change_map(self, before: str, after: str, target=None):
        """The change map between two periods (PDF) and its table (Excel)."""
        target = target or self._ask_target(
            ".pdf", f"_{before}-{after}变化图", self.tr("Export the change map")
        )
        if target is None:
            return None
        project, page, rules = (
            detached(self.doc.project),
            self.settings.page_size,
            self._rules(),
        )

        def work(ctx):
            return run_change_map(project, before, after, target, ctx, page, rules)

        return self.runner.submit(
            self.tr("Exporting the change map"),
            work,
            lambda paths: self._written(*paths),
        )

    def export_animation(self, target=None):
        """Every period as a frame of a GIF, in the background."""
        target = target or self._ask_target(
            ".gif", "_进展动画", self.tr("Export the animation")
        )
        if target is None:
            return None
        project, rules = detached(self.doc.project), self._rules()

        def work(ctx):
            return run_animation(project, target, ctx, rules)

        return self.runner.submit(
            self.tr("Exporting the animation"), work, self._written
        )

"""The main window: map in the middle, panels around it, menus for every job."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
)

from gisapp.model.project import Project, join_by_code
from gisapp.model.style import status_colours
from gisapp.render.view import MapView
from gisapp.ui import geometry as geo
from gisapp.ui.attributes import AttributePanel
from gisapp.ui.campaign import CampaignActions
from gisapp.ui.canvas import MapCanvas
from gisapp.ui.document import Document
from gisapp.ui.exports import EXPORTS, analyse, run_export
from gisapp.ui.gaps import GapPanel
from gisapp.ui.info import InfoPanel
from gisapp.ui.jobs import JobRunner
from gisapp.ui.layers import LayerPanel
from gisapp.ui.menus import WindowActions
from gisapp.ui.messages import MessagePanel
from gisapp.ui.progress import JobBar
from gisapp.ui.projects import ProjectManager
from gisapp.ui.settings import Settings

log = logging.getLogger(__name__)

# Raised whenever the panels are arranged anew, so an older saved layout is ignored.
LAYOUT_VERSION = 2

OPEN_FILTER = (
    "*.gpkg *.toml *.shp *.geojson *.json *.csv *.txt *.xlsx *.xls *.kml *.kmz *.gpx"
)


class MainWindow(WindowActions, CampaignActions, QMainWindow):
    """The desktop GIS window over one :class:`Document`."""

    first_map_painted = pyqtSignal(float)

    def __init__(self, started_at: float | None = None, parent=None):
        super().__init__(parent)
        self.started_at = started_at if started_at is not None else time.perf_counter()
        self.first_map_seconds: float | None = None
        self.settings = Settings()
        self.doc = Document(self)
        self.runner = JobRunner(self)
        self.projects = ProjectManager(self.doc, self.runner, self.settings, self)
        self.setAcceptDrops(True)
        self.resize(1500, 940)
        self._build_panels()
        self._build_actions()
        self._build_menus()
        self._build_toolbars()
        self._build_status()
        self._connect()
        self._update_title()

    # building ------------------------------------------------------------------
    def _build_panels(self) -> None:
        self.canvas = MapCanvas(self.doc, self)
        self.setCentralWidget(self.canvas)
        self.layer_panel = LayerPanel(self.doc, self)
        self.attributes = AttributePanel(self.doc, self)
        self.gap_panel = GapPanel(self.doc, self)
        self.info = InfoPanel(self.doc, self)
        self.messages = MessagePanel(self)
        self.layer_dock = self._dock(self.tr("Layers"), self.layer_panel, "layers")
        self.gap_dock = self._dock(self.tr("Gaps"), self.gap_panel, "gaps")
        self.info_dock = self._dock(
            self.tr("Village card / identify"), self.info, "info"
        )
        self.table_dock = self._dock(
            self.tr("Attribute table"), self.attributes, "table"
        )
        self.message_dock = self._dock(self.tr("Messages"), self.messages, "messages")
        self._build_campaign()
        self.campaign_dock = self._dock(
            self.tr("Progress over time"), self.campaign, "campaign"
        )
        self.campaign_dock.hide()
        left, right, bottom = (
            Qt.DockWidgetArea.LeftDockWidgetArea,
            Qt.DockWidgetArea.RightDockWidgetArea,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.addDockWidget(left, self.layer_dock)
        self.addDockWidget(left, self.info_dock)
        self.tabifyDockWidget(self.layer_dock, self.info_dock)
        self.layer_dock.raise_()
        self.addDockWidget(right, self.campaign_dock)
        self.addDockWidget(right, self.gap_dock)
        # Messages beside the table, not in a tab: Qt 6.11 draws a second, stray
        # tab bar when the window holds two groups of tabbed panels.
        self.addDockWidget(bottom, self.table_dock)
        self.splitDockWidget(
            self.table_dock, self.message_dock, Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.layer_dock], [270], Qt.Orientation.Horizontal)
        self.resizeDocks([self.gap_dock], [430], Qt.Orientation.Horizontal)
        self.resizeDocks([self.campaign_dock], [270], Qt.Orientation.Vertical)
        self.resizeDocks([self.table_dock], [220], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.table_dock, self.message_dock], [1000, 420], Qt.Orientation.Horizontal
        )

    def _dock(self, title: str, widget, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def _build_status(self) -> None:
        bar = self.statusBar()
        self.coord_label = QLabel()
        self.scale_label = QLabel()
        self.crs_label = QLabel()
        self.frame_label = QLabel()
        self.job_bar = JobBar(self.runner, self)
        bar.addWidget(self.coord_label, 1)
        bar.addPermanentWidget(self.job_bar)
        bar.addPermanentWidget(self.frame_label)
        bar.addPermanentWidget(self.scale_label)
        bar.addPermanentWidget(self.crs_label)

    def _connect(self) -> None:
        self.canvas.cursor_moved.connect(self._show_cursor)
        self.canvas.view_changed.connect(self._show_scale)
        self.canvas.frame_painted.connect(self._frame_painted)
        self.canvas.identified.connect(self._identified)
        self.canvas.measured.connect(
            lambda text: self.statusBar().showMessage(text, 15000)
        )
        self.layer_panel.zoom_requested.connect(self.canvas.zoom_to_layer)
        self.layer_panel.table_requested.connect(self._open_table)
        self.layer_panel.style_requested.connect(self.style_dialog)
        self.gap_panel.village_chosen.connect(self.show_village)
        self.attributes.zoom_requested.connect(self.canvas.zoom_to_rows)
        self.attributes.notice.connect(
            lambda text: self.statusBar().showMessage(text, 8000)
        )
        self.runner.failed.connect(
            lambda job, exc, tb: self.messages.error(exc, tb, job.title)
        )
        self.messages.raised.connect(self._raise_messages)
        self.projects.notice.connect(self.messages.info)
        self.projects.recovery_found.connect(self._offer_recovery)
        self.projects.saved.connect(lambda _: self._update_title())
        self.doc.project_replaced.connect(self._project_replaced)
        self.doc.undo.cleanChanged.connect(lambda _: self._update_title())

    # status --------------------------------------------------------------------
    def _show_cursor(self, x: float, y: float) -> None:
        if self.canvas.crs is None:
            return
        ((lon, lat),) = geo.to_lonlat(self.canvas.crs, [(x, y)])
        self.coord_label.setText(
            self.tr("Lon {0:.5f}°  Lat {1:.5f}°   X {2:,.0f}  Y {3:,.0f} m").format(
                lon, lat, x, y
            )
        )

    def _show_scale(self, view: MapView) -> None:
        dpi = self.logicalDpiX() or 96
        self.scale_label.setText(
            self.tr("Scale 1:{0:,.0f}").format(view.scale_denominator(dpi))
        )

    def _frame_painted(self, seconds: float) -> None:
        self.frame_label.setText(self.tr("Drawn in {0:.0f} ms").format(seconds * 1000))
        if self.first_map_seconds is None and self.doc.project.layers:
            self.first_map_seconds = time.perf_counter() - self.started_at
            if os.environ.get("GISAPP_TIMING") == "1":
                sys.stderr.write(
                    f"first map painted after {self.first_map_seconds:.2f} s "
                    f"(reading the project {self.projects.last_open_seconds:.2f} s, "
                    f"drawing the frame {seconds:.2f} s)\n"
                )
                sys.stderr.flush()
            self.first_map_painted.emit(self.first_map_seconds)

    def _raise_messages(self, _text: str) -> None:
        self.message_dock.show()
        self.message_dock.raise_()

    def _update_title(self) -> None:
        project = self.doc.project
        name = project.path.name if project.path else self.tr("unsaved")
        star = "*" if not self.doc.undo.isClean() else ""
        self.setWindowTitle(
            f"{project.title} — {name}{star} — "
            + self.tr("Jingmen poverty-alleviation battle map")
        )

    def _project_replaced(self) -> None:
        crs = self.doc.project.metric_crs if self.doc.project.layers else None
        self.crs_label.setText(crs.name if crs is not None else "")
        self._update_title()
        if self.doc.project.has_generated_data:
            self.messages.info(
                self.tr(
                    "This project holds sample data made by the program (示例数据)."
                )
            )

    # projects --------------------------------------------------------------------
    def open_path(self, path, analyse_after: bool = True):
        """Open a project or files in the background; gaps are checked afterwards."""
        then = self._analyse_after_drawing if analyse_after else None
        return self.projects.open(path, lambda _project: then() if then else None)

    def _analyse_after_drawing(self) -> None:
        """Check gaps once the map is on screen, so the first frame does not wait."""
        if self.canvas.is_current or not self.doc.project.layers:
            self.run_analysis()
            return

        def once(_seconds):
            self.canvas.frame_painted.disconnect(once)
            self.run_analysis()

        self.canvas.frame_painted.connect(once)

    def new_project(self) -> None:
        if not self._confirm_discard():
            return
        self.doc.set_project(Project())

    def open_dialog(self) -> None:
        if not self._confirm_discard():
            return
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Open project or layers"),
            "",
            self.tr("Projects and layers") + f" ({OPEN_FILTER})",
        )
        if files:
            self.open_path(files if len(files) > 1 else files[0])

    def save(self):
        if (
            self.doc.project.path is None
            or self.doc.project.path.suffix.lower() != ".gpkg"
        ):
            return self.save_as()
        return self.projects.save()

    def save_as(self):
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save project as"),
            self._suggest(".gpkg"),
            self.tr("Project (*.gpkg)"),
        )
        if not path:
            return None
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return self.projects.save(path)

    def _suggest(self, suffix: str) -> str:
        project = self.doc.project
        folder = project.path.parent if project.path else Path.home()
        return str(folder / f"{project.title or 'project'}{suffix}")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent
        if not recent:
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)
        for path in recent:
            self.recent_menu.addAction(path, lambda _=False, p=path: self.open_path(p))

    def _confirm_discard(self) -> bool:
        if self.doc.undo.isClean():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("The project has unsaved changes. Discard them?"),
        )
        return answer == QMessageBox.StandardButton.Yes

    def import_dialog(self, path=None):
        """Open the import dialog (on ``path`` when given); returns the dialog."""
        from gisapp.ui.importer import ImportDialog

        dialog = ImportDialog(self, path)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.layer_ready.connect(self.add_imported)
        dialog.failed.connect(
            lambda exc, tb: self.messages.error(exc, tb, self.tr("Import"))
        )
        dialog.open()
        return dialog

    def add_imported(self, layer) -> None:
        """Add a layer; a table without places fills the layer of its kind by code."""
        target = self.doc.project.first(layer.kind.id)
        if layer.has_geometry or target is None:
            self.doc.add_layer(layer)
            return
        count, unmatched = join_by_code(target, layer)
        self.messages.info(
            self.tr(
                "{0}: {1} rows joined to {2} by code; {3} codes match no feature"
            ).format(layer.name, count, target.name, len(unmatched))
        )
        self.doc.mark_modified()
        self.doc.layer_changed.emit(target)
        self.run_analysis()

    def _offer_recovery(self, paths) -> None:
        newest = max(paths, key=lambda p: p.stat().st_mtime)
        self.messages.warning(
            self.tr(
                "Work from a session that ended unexpectedly was found: {0}"
            ).format(newest)
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Recover work"),
            self.tr(
                "The program did not close normally last time. Open the autosaved work?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda answer: self._recovery_answer(answer, newest, paths)
        )
        self.recovery_box = box
        box.open()

    def _recovery_answer(self, answer, newest, paths) -> None:
        self.recovery_box = None
        if answer == QMessageBox.StandardButton.Yes:
            self.projects.recover(newest, lambda _p: self.run_analysis())
            return
        for path in paths:
            self.projects.discard(path)

    # drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [
            Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()
        ]
        if not paths:
            return
        event.acceptProposedAction()
        self.drop_files(paths)

    def drop_files(self, paths) -> None:
        """A dropped project opens; dropped layer files join the open project."""
        projects = [p for p in paths if p.suffix.lower() == ".toml" or _is_saved(p)]
        if projects:
            self.open_path(projects[0])
        elif not self.doc.project.layers:
            self.open_path(paths if len(paths) > 1 else paths[0])
        else:
            self.projects.add_layers(paths, lambda _p: self.run_analysis())

    # gaps, identify, tables ------------------------------------------------------------
    def run_analysis(self):
        """Check the gaps of the period on the map in the background."""
        project = self.doc.project
        if not project.layers_of("village"):
            return None
        rules = self.settings.rules_file or project.rules
        year, period = self._period_year(), self.period

        def work(ctx):
            ctx.progress(None, "")
            return analyse(project, rules, year)

        def done(report):
            if report is None or project is not self.doc.project:
                return
            if period != self.period:
                return  # the map moved to another period meanwhile
            self.canvas.wait_idle(5000)  # no frame reads the layers while they change
            report.annotate(project)
            for layer in project.layers:
                layer.changed()
            self.doc.set_report(report)
            self._analysis_done(report)

        title = self.tr("Checking gaps")
        if period is not None:
            title = self.tr("Checking gaps of {0}").format(period)
        job = self.runner.submit(title, work, done)
        self._analysis_jobs.add(job)
        return job

    def show_village(self, code: str) -> None:
        """Zoom to a village and open its card."""
        for layer in self.doc.project.layers_of("village"):
            if "code" not in layer.frame:
                continue
            rows = (layer.frame["code"] == code).fillna(False).to_numpy().nonzero()[0]
            if len(rows):
                self.doc.set_current_layer(layer)
                self.doc.select(layer, rows[:1])
                self.canvas.zoom_to_rows(layer, rows[:1])
                self.info.show_feature(layer, int(rows[0]))
                self.info_dock.show()
                self.info_dock.raise_()
                return
        self.info.show_card(code)

    def _identified(self, layer, row: int) -> None:
        self.info.show_feature(layer, row)
        self.info_dock.show()
        self.info_dock.raise_()

    def _open_table(self, layer) -> None:
        self.doc.set_current_layer(layer)
        self.table_dock.show()
        self.table_dock.raise_()

    def style_dialog(self, layer):
        """Open the style editor of a layer (non-modal)."""
        from gisapp.ui.styles import StyleDialog

        dialog = StyleDialog(self.doc, layer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _zoom_current_layer(self) -> None:
        if self.doc.current_layer is not None:
            self.canvas.zoom_to_layer(self.doc.current_layer)

    # exports -----------------------------------------------------------------------
    def export(self, name: str, target=None):
        """Run one export in the background; asks for a file name unless given."""
        suffix = EXPORTS[name][2]
        if target is None:
            filters = {
                ".pdf": "PDF (*.pdf)",
                ".html": "HTML (*.html)",
                ".xlsx": "Excel (*.xlsx)",
            }
            target, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export to"), self._suggest(suffix), filters[suffix]
            )
            if not target:
                return None
        target = Path(target)
        if target.suffix.lower() != suffix:
            target = target.with_suffix(suffix)
        project, report, page = (
            self.at_shown_period(),
            self.doc.report,
            self.settings.page_size,
        )
        titles = {
            "wallmap": self.tr("Exporting the wall map"),
            "webmap": self.tr("Exporting the web map"),
            "tables": self.tr("Exporting the gap lists"),
        }

        def work(ctx):
            return run_export(name, project, report, target, ctx, page)

        def done(path):
            self.messages.info(self.tr("Written: {0}").format(path))
            self.statusBar().showMessage(self.tr("Written: {0}").format(path), 10000)

        return self.runner.submit(titles[name], work, done)

    # settings and help -------------------------------------------------------------
    def settings_dialog(self) -> None:
        from gisapp.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        dialog.accepted.connect(
            lambda: self.messages.info(
                self.tr("Settings saved; the language changes at the next start.")
            )
        )
        dialog.open()

    def about(self) -> None:
        colours = ", ".join(v.get("zh", k) for k, v in status_colours().items())
        QMessageBox.about(
            self,
            self.tr("About"),
            self.tr(
                "Jingmen poverty-alleviation battle map\nDesktop GIS for the city planning office.\nGap status: {0}"
            ).format(colours),
        )

    # closing ---------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if not self._confirm_discard():
            event.ignore()
            return
        self.settings.q.setValue("ui/geometry", self.saveGeometry())
        self.settings.q.setValue("ui/state", self.saveState(LAYOUT_VERSION))
        self.shutdown()
        event.accept()

    def restore_layout(self) -> bool:
        """Window size and panels as the user left them; False the first time."""
        geometry = self.settings.q.value("ui/geometry")
        state = self.settings.q.value("ui/state")
        if geometry is None:
            return False
        self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(
                state, LAYOUT_VERSION
            )  # a layout of older panels: ignored
        return True

    def shutdown(self) -> None:
        """Stop every job and timer; the autosave of a clean exit is removed."""
        self.canvas.stop()
        self.runner.shutdown()
        self.projects.close()


def _is_saved(path: Path) -> bool:
    from gisapp.model.store import is_project_file

    return is_project_file(path)


def start_window(project_path=None, started_at=None) -> MainWindow:
    """Show the window and open a project (the sample project when none is given)."""
    from gisapp.paths import SAMPLE_PROJECT

    window = MainWindow(started_at)
    if not window.restore_layout():
        window.showMaximized()
    window.show()
    path = project_path if project_path is not None else SAMPLE_PROJECT
    if path is not None and Path(path).exists():
        QTimer.singleShot(0, lambda: window.open_path(path))
    QTimer.singleShot(0, window.projects.check_recovery)
    return window

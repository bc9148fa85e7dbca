"""Opening, saving, autosaving and recovering projects for the window.

Loading and saving run as background jobs. A project is saved as one GeoPackage
through a temporary file; an autosave copy is written every few minutes while
there are unsaved changes and is offered back after a crash.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PyQt6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, pyqtSignal

from gisapp.model.layer import Layer
from gisapp.model.periods import History
from gisapp.model.project import Project, load_project
from gisapp.model.store import is_project_file, load_saved_project, save_project
from gisapp.model.style import layer_style
from gisapp.ui.workcopy import is_network_path, local_copy

log = logging.getLogger(__name__)


def data_dir(name: str) -> Path:
    """A folder of the app's own data (autosaves, working copies): under
    ``GISAPP_DATA_DIR`` when set, else the system's place for app data."""
    base = os.environ.get("GISAPP_DATA_DIR") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppLocalDataLocation
    )
    path = Path(base) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def snapshot(project: Project) -> Project:
    """A copy whose frames may be written while the window goes on editing."""
    copy = Project(
        title=project.title,
        subtitle=project.subtitle,
        office=project.office,
        rules=project.rules,
        path=project.path,
        history=History(list(project.history.periods)),
        period=project.period,
    )
    for layer in project.layers:
        twin = Layer(
            name=layer.name,
            kind=layer.kind,
            frame=layer.frame.copy(),
            info=layer.info,
            visible=layer.visible,
            opacity=layer.opacity,
            style=layer.style,
        )
        copy.add(twin)
    return copy


def read_any(path: Path, progress=None) -> Project:
    """A project from a saved GeoPackage, a project.toml, a folder or a layer file."""
    if is_project_file(path):
        return load_saved_project(path, progress)
    return sort_by_style(load_project(path))


def sort_by_style(project: Project) -> Project:
    """Put freshly read layers in the drawing order of their styles (stable)."""
    project.layers.sort(key=lambda layer: layer_style(layer).order)
    return project


class ProjectManager(QObject):
    """Commands on the document's project that touch files."""

    opened = pyqtSignal(object)
    saved = pyqtSignal(object)
    notice = pyqtSignal(str)
    recovery_found = pyqtSignal(list)

    def __init__(self, doc, runner, settings, parent=None):
        super().__init__(parent)
        self.doc, self.runner, self.settings = doc, runner, settings
        self.autosave_dir = data_dir("autosave")
        self.work_dir = data_dir("working_copies")
        self._lock = None
        self._autosave_path = None
        self._autosaved_index = 0
        self.last_open_started = 0.0
        self.last_open_seconds = 0.0
        self._claim_autosave_slot()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.autosave)
        self.timer.start(settings.autosave_minutes * 60_000)

    # network drives --------------------------------------------------------------
    def working_path(self, path: Path) -> Path:
        """The path to open: a local copy when ``path`` is on a network drive."""
        if not path.is_file() or not is_network_path(path, self.settings.network_roots):
            return path
        copy = local_copy(path, self.work_dir)
        self.notice.emit(
            self.tr(
                "{0} is on a network drive; a local working copy was opened ({1}). "
                "Save the project to your computer and copy it back to the share."
            ).format(path.name, copy)
        )
        return copy

    # open and save ---------------------------------------------------------------
    def open(self, path, on_done=None):
        """Load a project (or layer files) in the background and show it."""
        paths = (
            [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
        )
        local = [self.working_path(p) for p in paths]
        target = local if len(local) > 1 else local[0]
        title = self.tr("Opening {0}").format(paths[0].name)

        def work(ctx):
            ctx.progress(None, "")
            self.last_open_started = time.perf_counter()
            if isinstance(target, list):
                return sort_by_style(load_project(target))
            return read_any(target, ctx.progress)

        def done(project):
            self.last_open_seconds = time.perf_counter() - self.last_open_started
            self.doc.set_project(project)
            if len(paths) == 1 and paths[0].suffix.lower() in (".gpkg", ".toml"):
                self.settings.add_recent(paths[0])
            for text in project.messages:
                self.notice.emit(text)
            self.opened.emit(project)
            if on_done is not None:
                on_done(project)

        return self.runner.submit(title, work, done)

    def add_layers(self, paths, on_done=None):
        """Read files and add each as a layer of the open project."""
        paths = [self.working_path(Path(p)) for p in paths]
        title = self.tr("Adding {0}").format(", ".join(p.name for p in paths))

        def work(ctx):
            return load_project(paths)

        def done(project):
            for layer in project.layers:
                self.doc.add_layer(layer)
            for text in project.messages:
                self.notice.emit(text)
            if on_done is not None:
                on_done(project)

        return self.runner.submit(title, work, done)

    def save(self, path=None, on_done=None):
        """Save as one GeoPackage (``path``, or the project's own .gpkg)."""
        project = self.doc.project
        path = Path(path) if path is not None else project.path
        if path is None or not str(path).lower().endswith(".gpkg"):
            return None
        copy = snapshot(project)
        index = self.doc.undo.index()

        def work(ctx):
            return save_project(copy, path, ctx.progress)

        def done(saved):
            project.path = saved
            if self.doc.undo.index() == index:
                self.doc.undo.setClean()
            self.settings.add_recent(saved)
            self.saved.emit(saved)
            self.notice.emit(self.tr("Saved {0}").format(saved))
            if on_done is not None:
                on_done(saved)

        return self.runner.submit(self.tr("Saving {0}").format(path.name), work, done)

    # autosave and recovery -----------------------------------------------------------
    def _claim_autosave_slot(self) -> None:
        for n in range(1, 100):
            lock = QLockFile(str(self.autosave_dir / f"session-{n}.lock"))
            lock.setStaleLockTime(0)
            if lock.tryLock(0):
                self._lock = lock
                self._autosave_path = self.autosave_dir / f"session-{n}.gpkg"
                return

    def leftovers(self) -> list[Path]:
        """Autosaves of sessions that ended without closing (a crash or power cut)."""
        found = []
        for gpkg in sorted(self.autosave_dir.glob("session-*.gpkg")):
            if gpkg == self._autosave_path:
                continue
            lock = QLockFile(str(gpkg.with_suffix(".lock")))
            lock.setStaleLockTime(0)
            if lock.tryLock(0):
                lock.unlock()
                found.append(gpkg)
        return found

    def check_recovery(self) -> list[Path]:
        found = self.leftovers()
        if found:
            self.recovery_found.emit(found)
        return found

    def recover(self, path: Path, on_done=None):
        """Open an autosave; it becomes this session's own autosave once loaded."""

        def opened(project):
            project.path = None
            self.doc.undo.resetClean()
            self.discard(path)
            if on_done is not None:
                on_done(project)

        return self.open(path, opened)

    def discard(self, path: Path) -> None:
        for item in (path, path.with_suffix(".lock")):
            if item.exists():
                item.unlink()

    @property
    def dirty(self) -> bool:
        return not self.doc.undo.isClean()

    def autosave(self):
        """Write the autosave copy when there are unsaved changes."""
        if self._autosave_path is None or not self.dirty:
            return None
        if self._autosaved_index == self.doc.undo.index():
            return None
        index = self.doc.undo.index()
        copy = snapshot(self.doc.project)
        target = self._autosave_path

        def work(ctx):
            return save_project(copy, target, ctx.progress)

        def done(_):
            self._autosaved_index = index

        return self.runner.submit(self.tr("Autosave"), work, done)

    def close(self) -> None:
        """A clean end: the autosave is no longer needed."""
        self.timer.stop()
        if self._autosave_path is not None and self._autosave_path.exists():
            os.remove(self._autosave_path)
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

"""Background jobs: work off the GUI thread with progress, cancel and one error path.

A job is a function ``fn(ctx)`` run on the runner's Python thread pool (Python
threads, not Qt's pool: pyproj crashes when Qt pool threads create coordinate
systems at the same time). It reports with
``ctx.progress(share, text)`` and looks at ``ctx.cancelled`` between steps; the
runner turns its result or exception into signals on the GUI thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
import traceback

from PyQt6.QtCore import QObject, pyqtSignal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user pressed cancel."""


class JobContext:
    """What a running job sees: a cancel flag and a progress callback."""

    def __init__(self, job: Job):
        self._job = job
        self._event = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()

    def check(self) -> None:
        """Stop the job here when it was cancelled."""
        if self._event.is_set():
            raise Cancelled()

    def progress(self, share: float | None, text: str = "") -> None:
        """Report progress as a share in 0..1 (None: unknown) and a short text."""
        self.check()
        self._job.signals.progress.emit(-1.0 if share is None else float(share), text)


class _Signals(QObject):
    progress = pyqtSignal(float, str)
    done = pyqtSignal(object)
    failed = pyqtSignal(object, str)
    cancelled = pyqtSignal()


class Job:
    """One unit of work for :class:`JobRunner`."""

    def __init__(self, title: str, fn, *, on_done=None):
        self.title = title
        self.fn = fn
        self.on_done = on_done
        self.signals = _Signals()
        self.ctx = JobContext(self)
        self.started_at = 0.0

    def run(self) -> None:
        self.started_at = time.perf_counter()
        try:
            result = self.fn(self.ctx)
        except Cancelled:
            self.signals.cancelled.emit()
            return
        except Exception as exc:  # every failure goes to the one error place
            if self.ctx.cancelled:
                self.signals.cancelled.emit()
                return
            self.signals.failed.emit(exc, traceback.format_exc())
            return
        if self.ctx.cancelled:
            self.signals.cancelled.emit()
        else:
            self.signals.done.emit(result)


class JobRunner(QObject):
    """Runs jobs one pool wide and tells the window how they go."""

    started = pyqtSignal(object)
    progress = pyqtSignal(object, float, str)
    finished = pyqtSignal(object)
    failed = pyqtSignal(object, object, str)

    def __init__(self, parent=None, threads: int = 2):
        super().__init__(parent)
        self.threads = threads
        self.pool = None
        self.jobs: list[Job] = []
        self._futures: list[concurrent.futures.Future] = []

    def submit(self, title: str, fn, on_done=None) -> Job:
        """Start ``fn(ctx)`` in the background; ``on_done(result)`` runs on the GUI thread."""
        job = Job(title, fn, on_done=on_done)
        sig = job.signals
        sig.progress.connect(
            lambda share, text, j=job: self.progress.emit(j, share, text)
        )
        sig.done.connect(lambda result, j=job: self._done(j, result))
        sig.failed.connect(lambda exc, tb, j=job: self._failed(j, exc, tb))
        sig.cancelled.connect(lambda j=job: self._finish(j))
        self.jobs.append(job)
        self.started.emit(job)
        if self.pool is None:
            self.pool = concurrent.futures.ThreadPoolExecutor(
                self.threads, thread_name_prefix="gisapp-job"
            )
        self._futures = [f for f in self._futures if not f.done()]
        self._futures.append(self.pool.submit(job.run))
        return job

    def cancel_all(self) -> None:
        for job in self.jobs:
            job.ctx.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every running job has returned (its signals may be pending)."""
        timeout = None if msecs < 0 else msecs / 1000
        _, pending = concurrent.futures.wait(self._futures, timeout)
        return not pending

    def shutdown(self) -> None:
        """Cancel every job, wait for them and end the worker threads."""
        self.cancel_all()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None
        self._futures.clear()

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def _done(self, job: Job, result) -> None:
        log.debug("%s took %.2f s", job.title, time.perf_counter() - job.started_at)
        try:
            if job.on_done is not None:
                job.on_done(result)
        except Exception as exc:
            self.failed.emit(job, exc, traceback.format_exc())
        finally:
            self._finish(job)

    def _failed(self, job: Job, exc, tb: str) -> None:
        log.warning("%s failed: %s", job.title, exc)
        self.failed.emit(job, exc, tb)
        self._finish(job)

    def _finish(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        self.finished.emit(job)

"""The job bar in the status bar: what runs, how far it is, and a cancel button."""

from __future__ import annotations

from PyQt6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget


class JobBar(QWidget):
    """Shows the newest running job of a :class:`gisapp.ui.jobs.JobRunner`."""

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(180)
        self.bar.setRange(0, 1000)
        self.cancel_button = QToolButton(text=self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)
        runner.started.connect(self._update)
        runner.finished.connect(self._update)
        runner.progress.connect(self._progress)
        self._update()

    def current(self):
        return self.runner.jobs[-1] if self.runner.jobs else None

    def cancel(self) -> None:
        job = self.current()
        if job is not None:
            job.ctx.cancel()
            self.label.setText(self.tr("Cancelling {0}…").format(job.title))

    def _update(self, *_):
        job = self.current()
        self.setVisible(job is not None)
        if job is not None:
            self.label.setText(job.title)
            self.bar.setRange(0, 0)

    def _progress(self, job, share: float, text: str) -> None:
        if job is not self.current():
            return
        if share < 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(share * 1000))
        self.label.setText(f"{job.title} {text}".strip())

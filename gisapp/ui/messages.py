"""The one place where problems of any job are shown: plain words, details on demand."""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from datetime import datetime

from PyQt6.QtCore import QCoreApplication, Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.errors import GisAppError

log = logging.getLogger(__name__)


def plain_words(exc: BaseException, title: str = "") -> str:
    """What went wrong, said so that a planning officer can act on it."""
    if isinstance(exc, GisAppError):
        return exc.message()
    name = getattr(exc, "filename", None) or ""
    if isinstance(exc, PermissionError):
        return QCoreApplication.translate(
            "Messages",
            "The file {0} is open in another program or may not be written. "
            "Close it there (for example in Excel) or save under another name.",
        ).format(name)
    if isinstance(exc, FileNotFoundError):
        return QCoreApplication.translate(
            "Messages", "The file {0} was not found. Check the path or copy it here."
        ).format(name)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return QCoreApplication.translate(
            "Messages", "The disk is full. Free some space and try again."
        )
    if isinstance(exc, MemoryError):
        return QCoreApplication.translate(
            "Messages",
            "The computer ran out of memory. Close other programs and retry.",
        )
    return QCoreApplication.translate(
        "Messages",
        "{0} did not finish because of an unexpected problem ({1}). "
        "Your files were not changed. Send the details to the maintainer.",
    ).format(
        title or QCoreApplication.translate("Messages", "The task"), type(exc).__name__
    )


@dataclass
class Message:
    when: datetime
    level: str
    text: str
    details: str = ""


class DetailsDialog(QDialog):
    """The maintainer's view of one message: the full text and traceback."""

    def __init__(self, message: Message, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Details"))
        self.resize(720, 420)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(message.text, wordWrap=True))
        text = QPlainTextEdit(message.details or message.text, readOnly=True)
        lay.addWidget(text)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)


class MessagePanel(QWidget):
    """A list of messages, newest first, with a button for the details."""

    raised = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.messages: list[Message] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemDoubleClicked.connect(self.show_details)
        lay.addWidget(self.list)
        row = QHBoxLayout()
        self.details_button = QPushButton(self.tr("Details…"))
        self.details_button.clicked.connect(self.show_details)
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.clear)
        row.addStretch(1)
        row.addWidget(self.details_button)
        row.addWidget(clear)
        lay.addLayout(row)
        self._dialog = None

    def error(self, exc: BaseException, details: str = "", title: str = "") -> Message:
        """Show a failed job; ``details`` is the traceback for the maintainer."""
        text = plain_words(exc, title)
        if title:
            text = f"{title}: {text}"
        return self.add("error", text, details or repr(exc))

    def info(self, text: str, details: str = "") -> Message:
        return self.add("info", text, details)

    def warning(self, text: str, details: str = "") -> Message:
        return self.add("warning", text, details)

    def add(self, level: str, text: str, details: str = "") -> Message:
        msg = Message(datetime.now(), level, text, details)
        self.messages.append(msg)
        mark = {"error": "✖", "warning": "⚠", "info": "ℹ"}[level]
        item = QListWidgetItem(f"{mark} {msg.when:%H:%M:%S}  {text}")
        item.setData(Qt.ItemDataRole.UserRole, len(self.messages) - 1)
        if level == "error":
            item.setForeground(Qt.GlobalColor.darkRed)
        self.list.insertItem(0, item)
        self.list.setCurrentRow(0)
        if level != "info":
            self.raised.emit(text)
        log.info("%s: %s", level, text)
        return msg

    def clear(self) -> None:
        self.messages.clear()
        self.list.clear()

    def show_details(self, *_):
        item = self.list.currentItem()
        if item is None:
            return None
        msg = self.messages[item.data(Qt.ItemDataRole.UserRole)]
        self._dialog = DetailsDialog(msg, self)
        self._dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog.show()
        return self._dialog

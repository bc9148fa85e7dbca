"""The campaign over time in the window: the period slider and the progress chart.

The slider names the periods of ``project.history`` under its ticks; the chart
draws, per period, the villages and townships out of the list (cumulative) against
the plan of the rules file, with the period on the map highlighted.
"""

from __future__ import annotations

import math

import pandas as pd
from PyQt6.QtCore import QPointF, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PyQt6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QVBoxLayout,
    QWidget,
)

from gisapp.model.periods import parse_period

BAR = QColor("#3b75af")
BAR_CURRENT = QColor("#1f4e8c")
PLAN = QColor("#e07b00")
GRID = QColor("#e3e3e3")
TEXT = QColor("#333333")
MUTED = QColor("#777777")
HIGHLIGHT = QColor(255, 214, 102, 90)
BEHIND = QColor("#c62828")


def fit_label(name: str, metrics, room: float) -> str:
    """A period's name as wide as ``room`` allows: "2016Q2", then "16Q2", then "Q2"
    (a year: "2016", then "16")."""
    name = str(name)
    quarter = name[4:].strip()
    for text in (name, name[2:], quarter or name[2:]):
        if metrics.horizontalAdvance(text) <= room:
            return text
    return quarter or name[2:]


class PeriodSlider(QSlider):
    """A horizontal slider over period names, each written under its tick."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.names: list[str] = []
        self.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.setTickInterval(1)
        self.setTracking(False)  # a period is chosen when the handle is let go
        self.setPageStep(1)
        self.setSingleStep(1)
        self.setMinimumHeight(self.fontMetrics().height() + 30)
        self.setMinimumWidth(160)

    def set_names(self, names: list[str]) -> None:
        self.names = list(names)
        self.blockSignals(True)
        self.setRange(0, max(0, len(self.names) - 1))
        self.blockSignals(False)
        self.update()

    def tick_x(self, index: int) -> float:
        """Where the handle's centre stands at period ``index``, in pixels."""
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        style = self.style()
        groove = style.subControlRect(
            QStyle.ComplexControl.CC_Slider,
            opt,
            QStyle.SubControl.SC_SliderGroove,
            self,
        )
        handle = style.subControlRect(
            QStyle.ComplexControl.CC_Slider,
            opt,
            QStyle.SubControl.SC_SliderHandle,
            self,
        )
        span = groove.width() - handle.width()
        pos = QStyle.sliderPositionFromValue(
            self.minimum(), self.maximum(), index, max(span, 1)
        )
        return groove.left() + pos + handle.width() / 2

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.names:
            return
        painter = QPainter(self)
        metrics = self.fontMetrics()
        baseline = self.height() - metrics.descent() - 1
        room = (
            self.tick_x(1) - self.tick_x(0) - 6 if len(self.names) > 1 else self.width()
        )
        for i, name in enumerate(self.names):
            font = QFont(self.font())
            here = i == self.sliderPosition()
            font.setBold(here)
            painter.setFont(font)
            painter.setPen(TEXT if here else MUTED)
            name = fit_label(name, painter.fontMetrics(), room)
            width = painter.fontMetrics().horizontalAdvance(name)
            x = min(max(self.tick_x(i) - width / 2, 0), self.width() - width)
            painter.drawText(QPointF(x, baseline), name)
        painter.end()


class PeriodBar(QWidget):
    """ "Period" and its slider; says which period the map shows."""

    period_chosen = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slider = PeriodSlider(self)
        self.caption = QLabel(self.tr("Period"))
        self.caption.setStyleSheet("font-weight: bold;")
        self.state = QLabel()
        self.state.setMinimumWidth(110)
        self.state.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 0)
        lay.addWidget(self.caption)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.state)
        self.slider.valueChanged.connect(self._moved)

    @property
    def names(self) -> list[str]:
        return self.slider.names

    def set_periods(self, names: list[str], current: str | None) -> None:
        self.slider.set_names(names)
        self.show_period(current)

    def show_period(self, name: str | None, busy: bool = False) -> None:
        """Put the handle on ``name`` without asking for it again."""
        if name in self.names:
            self.slider.blockSignals(True)
            self.slider.setValue(self.names.index(name))
            self.slider.blockSignals(False)
            self.slider.update()
        if name is None:
            self.state.setText("")
        elif busy:
            self.state.setText(self.tr("{0}: checking…").format(self.label(name)))
        else:
            self.state.setText(self.tr("Map shows {0}").format(self.label(name)))

    def label(self, name: str) -> str:
        """ "2016年" or "2016年第2季度" (in English "2016", "2016 Q2")."""
        year, quarter = parse_period(name)
        if quarter is None:
            return self.tr("year {0}").format(year)
        return self.tr("{0} Q{1}").format(year, quarter)

    def current(self) -> str | None:
        if not self.names:
            return None
        return self.names[self.slider.value()]

    def _moved(self, value: int) -> None:
        if 0 <= value < len(self.names):
            self.period_chosen.emit(self.names[value])


class ProgressChart(QWidget):
    """Villages and townships out per period against the plan, drawn with QPainter.

    ``set_progress`` takes the frame of
    :func:`gisapp.analysis.campaign.progress_by_period`; ``set_current`` the period
    the map shows, which is highlighted.
    """

    SERIES = (
        ("villages_exit", "Poor villages out (cumulative)"),
        ("townships_exit", "Poor townships out (cumulative)"),
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self.progress = pd.DataFrame()
        self.current: str | None = None
        self.pending = False
        self.setMinimumSize(300, 170)
        self.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.MinimumExpanding
        )

    def set_progress(self, progress: pd.DataFrame, pending: bool = False) -> None:
        """Show these figures; ``pending``: they are being worked out."""
        self.progress = progress.reset_index(drop=True)
        self.pending = pending
        self.update()

    def set_current(self, name: str | None) -> None:
        self.current = name
        self.update()

    def periods(self) -> list[str]:
        if "period" not in self.progress:
            return []
        return [str(p) for p in self.progress["period"]]

    def sizeHint(self) -> QSize:
        return QSize(420, 210)

    # geometry ----------------------------------------------------------------
    def panel_rects(self) -> list[QRectF]:
        """Where each chart is drawn (villages, townships), above the legend."""
        legend_h = self.fontMetrics().height() + 6
        area = QRectF(self.rect()).adjusted(6, 4, -6, -legend_h)
        gap = 14
        width = (area.width() - gap) / 2
        return [
            QRectF(area.left() + i * (width + gap), area.top(), width, area.height())
            for i in range(len(self.SERIES))
        ]

    def plot_rect(self, panel: int) -> QRectF:
        """The bars' area of one chart (without title, axis and period names)."""
        rect = self.panel_rects()[panel]
        metrics = self.fontMetrics()
        line = metrics.height()
        top = self._top(self.SERIES[panel][0])
        axis_w = metrics.horizontalAdvance(f"{top:g}") + 6
        return QRectF(
            rect.left() + axis_w,
            rect.top() + 2 * line + 2,
            rect.width() - axis_w,
            rect.height() - (3 * line + 6),
        )

    def column_rect(self, panel: int, name: str) -> QRectF:
        """The band of period ``name`` in chart ``panel``, highlighted when current."""
        names = self.periods()
        if name not in names:
            return QRectF()
        plot = self.plot_rect(panel)
        line = self.fontMetrics().height()
        slot = plot.width() / len(names)
        return QRectF(
            plot.left() + slot * names.index(name),
            plot.top() - line,
            slot,
            plot.height() + 2 * line + 2,
        )

    def _values(self, key: str) -> tuple[list[float], list[float | None]]:
        done = pd.to_numeric(self.progress.get(key), errors="coerce").fillna(0)
        target = self.progress.get(f"{key}_target")
        plan = [] if target is None else pd.to_numeric(target, errors="coerce")
        plan = [None if (v is None or pd.isna(v)) else float(v) for v in plan]
        return [float(v) for v in done], plan or [None] * len(done)

    def _top(self, key: str) -> float:
        done, plan = self._values(key)
        return _nice_top(max(done + [p for p in plan if p is not None] + [1.0]))

    # drawing -----------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if self.progress.empty:
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("Working out the progress…")
                if self.pending
                else self.tr("No periods in this project"),
            )
            painter.end()
            return
        rects = self.panel_rects()
        titles = {
            "villages_exit": self.tr("Poor villages out (cumulative)"),
            "townships_exit": self.tr("Poor townships out (cumulative)"),
        }
        for i, (key, _english) in enumerate(self.SERIES):
            self._panel(painter, i, key, titles[key])
        bottom = rects[0].bottom() + 2
        legend = QRectF(
            rects[0].left(), bottom, self.width() - 12, self.height() - bottom
        )
        self._legend(painter, legend)
        painter.end()

    def _panel(self, painter: QPainter, index: int, key: str, title: str) -> None:
        rect = self.panel_rects()[index]
        metrics = self.fontMetrics()
        line = metrics.height()
        done, plan = self._values(key)
        names = self.periods()
        top = self._top(key)
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(TEXT)
        painter.drawText(
            QRectF(rect.left(), rect.top(), rect.width(), line + 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(
                title, Qt.TextElideMode.ElideRight, int(rect.width())
            ),
        )
        painter.setFont(self.font())
        plot = self.plot_rect(index)
        if plot.height() < 20 or plot.width() < 20 or not names:
            return

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * value / top

        for tick in (0, top / 2, top):
            y = y_of(tick)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(rect.left(), y - line / 2, plot.left() - rect.left() - 4, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{tick:g}",
            )
        slot = plot.width() / len(names)
        bar_w = min(slot * 0.56, 46)
        plan_points: list[QPointF] = []
        for i, name in enumerate(names):
            cx = plot.left() + slot * (i + 0.5)
            current = name == self.current
            if current:
                painter.fillRect(self.column_rect(index, name), HIGHLIGHT)
            value = done[i]
            bar = QRectF(
                cx - bar_w / 2, y_of(value), bar_w, plot.bottom() - y_of(value)
            )
            painter.fillRect(bar, BAR_CURRENT if current else BAR)
            target = plan[i] if i < len(plan) else None
            behind = target is not None and value < target
            font = QFont(self.font())
            font.setBold(current)
            painter.setFont(font)
            painter.setPen(BEHIND if behind else TEXT)
            painter.drawText(
                QRectF(cx - slot / 2, y_of(value) - line - 1, slot, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                f"{value:g}",
            )
            painter.setPen(TEXT if current else MUTED)
            painter.drawText(
                QRectF(cx - slot / 2, plot.bottom() + 2, slot, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                fit_label(name, painter.fontMetrics(), slot - 2),
            )
            if target is not None:
                plan_points.append(QPointF(cx, y_of(target)))
        painter.setFont(self.font())
        painter.setPen(QPen(QColor("#999999"), 1))
        painter.drawLine(
            QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom())
        )
        if plan_points:
            painter.setPen(QPen(PLAN, 2, Qt.PenStyle.DashLine))
            path = QPainterPath(plan_points[0])
            for point in plan_points[1:]:
                path.lineTo(point)
            painter.drawPath(path)
            painter.setPen(QPen(PLAN, 1.5))
            painter.setBrush(QColor("white"))
            for point in plan_points:
                painter.drawEllipse(point, 3.5, 3.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)

    def _legend(self, painter: QPainter, rect: QRectF) -> None:
        metrics = self.fontMetrics()
        x, y = rect.left() + 4, rect.center().y()
        base = y + metrics.ascent() / 2 - 1
        painter.fillRect(QRectF(x, y - 5, 14, 10), BAR)
        x += 18
        text = self.tr("Done")
        painter.setPen(TEXT)
        painter.drawText(QPointF(x, base), text)
        x += metrics.horizontalAdvance(text) + 16
        painter.setPen(QPen(PLAN, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, y), QPointF(x + 18, y))
        x += 22
        text = self.tr("Plan of the rules")
        painter.setPen(TEXT)
        painter.drawText(QPointF(x, base), text)
        x += metrics.horizontalAdvance(text) + 16
        painter.setPen(BEHIND)
        text = self.tr("red figure: behind plan")
        painter.drawText(QPointF(x, base), text)


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value`` (10, 20, 50, 100, 250…)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


class CampaignPanel(QWidget):
    """The slider above the chart, for the dock "Progress over time"."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bar = PeriodBar(self)
        self.chart = ProgressChart(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(2)
        lay.addWidget(self.bar)
        lay.addWidget(self.chart, 1)

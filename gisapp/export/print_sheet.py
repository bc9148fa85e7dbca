"""One printed sheet: a layout filled with the map, legend, tables and notes.

A :class:`Sheet` is prepared once (view, labels, legend, texts) and can then be
drawn on a PDF page or tile by tile into images; the map of a tile is culled to
that tile, and labels come from one placement for the whole sheet so that tiles
join seamlessly.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import shapely
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QPainter, QPen

from gisapp.errors import ExportError
from gisapp.export import print_content as content
from gisapp.export import print_items as items
from gisapp.export.dates import map_date
from gisapp.export.print_layout import Item, Layout
from gisapp.render.fonts import uncovered_characters
from gisapp.render.painter import MapRenderer
from gisapp.render.view import MM_PER_INCH, MapView

log = logging.getLogger(__name__)

SAMPLE_NOTE = "示例数据:图中村级台账、道路、桥梁、供水、电力、安置点等为程序生成的示例数据,仅供演示,不作决策依据"
RED = QColor("#c0141a")


@dataclass
class SheetOutcome:
    """What was printed on a sheet, for reports and tests."""

    legend: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # (layer name, text)
    missing_chars: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    scale_denominator: float = 0.0
    township_rows: int = 0


def nice_denominator(d: float) -> float:
    """Round a scale denominator up to two significant figures (163,421 → 170,000)."""
    exp = 10 ** (math.floor(math.log10(d)) - 1)
    return math.ceil(d / exp) * exp


class Sheet:
    """A layout, prepared for one area of a project at one dpi.

    Parameters
    ----------
    project : Project
    layout : Layout
        Already fitted to the page size.
    dpi : float
        Device resolution (PDF device units or raster pixels per inch).
    report : GapReport, optional
        Enables the township table and the exit chart.
    area : print_content.Area, optional
        What the map shows; the city by default.
    renderer : MapRenderer, optional
        Shared between the sheets of a book.
    date : str, optional
        The date printed; today by default.
    """

    def __init__(
        self,
        project,
        layout: Layout,
        dpi: float,
        report=None,
        area=None,
        renderer: MapRenderer | None = None,
        date: str | None = None,
    ):
        self.project = project
        self.layout = layout
        self.dpi = float(dpi)
        self.report = report
        self.renderer = renderer or MapRenderer(project)
        self.area = area or content.city_area(self.renderer)
        self.k = self.dpi / MM_PER_INCH
        self.width_px = layout.width_mm * self.k
        self.height_px = layout.height_mm * self.k
        today = map_date()
        self.date = date or f"{today.year}年{today.month}月{today.day}日"
        # Which villages the tables speak of: a township's, a county's, or all.
        self.township = {
            "township": self.area.name,
            "county": ("county", self.area.name),
            "village": ("code", self.area.code),
        }.get(self.area.level)
        self.outcome = SheetOutcome()
        map_item = layout.first("map")
        self.map_rect = self.rect(map_item)
        fit = MapView.fit(
            self.area.bounds,
            round(self.map_rect.width()),
            round(self.map_rect.height()),
            margin=float(map_item.get("margin", 0.03)),
        )
        denom = nice_denominator(fit.scale_denominator(self.dpi))
        self.view = fit.with_scale_denominator(denom, self.dpi)
        self.outcome.scale_denominator = denom
        self.veil = self.area.geometry if map_item.get("veil", True) else None
        # Symbols and labels grow with the page like the sheet's text does.
        self.symbol_scale = float(map_item.get("text_scale", 1.0))
        self.label_scale = float(map_item.get("label_scale", 1.0))
        self.plan = self.renderer.plan_labels(
            self.view,
            self.dpi,
            self.symbol_scale,
            label_scale=self.label_scale,
            reserved=self._furniture_boxes(map_item),
        )
        self.outcome.unplaced = [(j.layer, j.text) for j in self.plan.missed]
        if self.outcome.unplaced:
            log.warning(
                "%d labels could not be placed without overlap: %s",
                len(self.outcome.unplaced),
                "、".join(t for _, t in self.outcome.unplaced[:10]),
            )
        drawn = self.renderer.content(self.view)
        self.legend = content.legend_entries(self.renderer, drawn)
        self.outcome.legend = self.legend
        self.values = {
            "title": project.title,
            "subtitle": project.subtitle,
            "office": project.office,
            "date": self.date,
            "area": self.area.name,
            "city": content.city_area(self.renderer).name
            if self.area.level != "city"
            else self.area.name,
        }
        self._collect_texts()

    # -- helpers --------------------------------------------------------------------
    def _furniture_boxes(self, item: Item) -> list[tuple[float, float, float, float]]:
        """Boxes in map pixels that the scale bar, north arrow and note cover."""
        k, s = self.k, self.symbol_scale
        w, h = self.map_rect.width(), self.map_rect.height()
        boxes = []
        if item.get("north_arrow", True):
            size = float(item.get("north_mm", 16)) * s
            cx, cy = w - size * k, size * 1.25 * k
            boxes.append(
                (
                    cx - size * 0.8 * k,
                    cy - size * 0.95 * k,
                    cx + size * 0.8 * k,
                    cy + size * 0.95 * k,
                )
            )
        if item.get("scale_bar", True):
            x0, y0 = 8 * k * s, h - 12 * k * s
            length = float(item.get("scale_mm", 80)) * s * k
            boxes.append((x0 - 3 * k, y0 - 9 * k, x0 + length + 16 * k, y0 + 10 * k))
        if self.project.has_generated_data and not self.layout.first("sample_note"):
            boxes.append((4 * k, h - 10 * k, 4 * k + w * 0.6, h - 3 * k))
        return boxes

    def rect(self, item: Item) -> QRectF:
        x, y, w, h = item.rect
        return QRectF(x * self.k, y * self.k, w * self.k, h * self.k)

    def text(self, key: str, default: str = "") -> str:
        template = self.layout.texts.get(key, default)
        try:
            return str(template).format_map(_Blank(self.values)).strip()
        except (ValueError, IndexError):
            return str(template)

    def pt(self, item: Item, key: str, default: float) -> float:
        return float(item.get(key, default)) * float(item.get("text_scale", 1.0))

    def _collect_texts(self) -> None:
        extra = [
            self.text(k)
            for k in ("title", "subtitle", "classification", "office_line", "footer")
        ]
        extra += [e.label for e in self.legend]
        if self.report is not None:
            _, rows, _ = content.township_rows(self.report, self.project, self.township)
            extra += [str(r[0]) for r in rows]
        extra += [
            " ".join(r)
            for r in content.unit_rows(self.report, self.project, self.township)
        ]
        if self.project.has_generated_data:
            extra.append(SAMPLE_NOTE)
        texts = content.sheet_texts(self.renderer, self.view, [t for t in extra if t])
        self.outcome.texts = texts
        self.outcome.missing_chars = uncovered_characters(texts)
        if self.outcome.missing_chars:
            log.warning(
                "no installed font has these characters; they will print as boxes: %s",
                "".join(self.outcome.missing_chars),
            )

    # -- drawing --------------------------------------------------------------------
    def draw(
        self, painter: QPainter, tile: QRectF | None = None, cancel=None
    ) -> SheetOutcome:
        """Draw the sheet; with ``tile`` (page pixels), only what falls in it.

        ``cancel`` (a callable) is asked between map layers; when it says stop,
        :class:`~gisapp.errors.ExportError` is raised and nothing is kept.
        """
        self._cancel = cancel
        page = QRectF(0, 0, self.width_px, self.height_px)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.fillRect(
            page if tile is None else page.intersected(tile), QColor("white")
        )
        sample_drawn = False
        for item in self.layout.items:
            rect = self.rect(item)
            grow = 12 * self.k  # graticule labels and halos reach outside boxes
            if tile is not None and not rect.adjusted(
                -grow, -grow, grow, grow
            ).intersects(tile):
                if item.type == "sample_note":
                    sample_drawn = True
                continue
            handler = getattr(self, f"_draw_{item.type}")
            painter.save()
            handler(painter, item, rect, tile)
            painter.restore()
            sample_drawn |= item.type == "sample_note"
        if self.project.has_generated_data and not self.layout.first("sample_note"):
            r = QRectF(
                self.map_rect.left() + 4 * self.k,
                self.map_rect.bottom() - 10 * self.k,
                self.map_rect.width() * 0.6,
                7 * self.k,
            )
            items.draw_text(painter, r, SAMPLE_NOTE, 11, self.k, bold=True, colour=RED)
        painter.restore()
        return self.outcome

    def _draw_map(self, painter, item, frame: QRectF, tile):
        k = self.k
        part = frame if tile is None else frame.intersected(tile)
        if not part.isEmpty():
            ox, oy = part.left() - frame.left(), part.top() - frame.top()
            sub = self.view.sub_view(
                ox, oy, math.ceil(part.width()), math.ceil(part.height())
            )
            painter.save()
            painter.translate(part.topLeft())
            painter.setClipRect(QRectF(0, 0, part.width(), part.height()))
            drawn = self.renderer.render(
                painter,
                sub,
                self.dpi,
                labels=self.plan,
                label_offset=(ox, oy),
                symbol_scale=self.symbol_scale,
                mask=self.veil,
                cancel=getattr(self, "_cancel", None),
            )
            painter.restore()
            if drawn.cancelled:
                raise ExportError("the export was cancelled", fix="start it again")
        if item.get("graticule", True):
            items.draw_graticule(
                painter,
                frame,
                self.view,
                self.renderer.crs,
                k,
                self.pt(item, "graticule_pt", 8),
            )
        painter.setPen(QPen(items.INK, 0.5 * k))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame)
        s = self.symbol_scale
        if item.get("north_arrow", True):
            size = float(item.get("north_mm", 16)) * s
            c = QPointF(frame.right() - size * k, frame.top() + size * 1.25 * k)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 200))
            painter.drawEllipse(c, size * 0.8 * k, size * 0.95 * k)
            # Grid north is up; the arrow turns to true north by the convergence.
            angle = items.convergence_deg(self.view, self.renderer.crs)
            items.draw_north_arrow(painter, c, k, angle, size_mm=size)
        if item.get("scale_bar", True):
            items.draw_scale_bar(
                painter,
                QPointF(frame.left() + 8 * k * s, frame.bottom() - 12 * k * s),
                self.view,
                k,
                self.dpi,
                self.pt(item, "scale_pt", 9),
                max_mm=float(item.get("scale_mm", 80)) * s,
            )

    def _draw_title(self, painter, item, rect, tile):
        items.draw_text(
            painter,
            rect,
            self.text("title", "{title}"),
            self.pt(item, "size_pt", 40),
            self.k,
            bold=True,
            align=_align(item),
        )

    def _draw_subtitle(self, painter, item, rect, tile):
        items.draw_text(
            painter,
            rect,
            self.text("subtitle", "{subtitle}"),
            self.pt(item, "size_pt", 18),
            self.k,
            align=_align(item),
            colour=items.GREY,
        )

    def _draw_text(self, painter, item, rect, tile):
        value = str(item.get("text", "")).format_map(_Blank(self.values))
        items.draw_text(
            painter,
            rect,
            value,
            self.pt(item, "size_pt", 10),
            self.k,
            bold=bool(item.get("bold")),
            align=_align(item),
        )

    def _draw_classification(self, painter, item, rect, tile):
        text = self.text("classification", "内部用图")
        k = self.k
        painter.setPen(QPen(RED, 0.4 * k))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        items.draw_text(
            painter,
            rect.adjusted(2 * k, 0, -2 * k, 0),
            text,
            self.pt(item, "size_pt", 12),
            k,
            bold=True,
            colour=RED,
            align=Qt.AlignmentFlag.AlignHCenter,
        )

    def _draw_legend(self, painter, item, rect, tile):
        items.draw_legend(
            painter, rect, self.legend, self.k, self.pt(item, "size_pt", 10)
        )

    def _draw_inset(self, painter, item, rect, tile):
        k = self.k
        r = self.renderer
        caption = str(item.get("caption", "位置示意图"))
        key_map = False
        if self.area.level == "city":
            extent = r.bounds(("city", "county"))
            ax0, ay0, ax1, ay1 = self.area.bounds
            if (extent[2] - extent[0]) < 1.3 * (ax1 - ax0):
                # No wider boundaries in the project: a key map of the counties.
                extent, key_map = self.area.bounds, True
                caption = str(item.get("key_caption", "县市区示意图"))
        else:
            extent = content.city_area(r).bounds
        cap_h = 7 * k
        body = QRectF(
            rect.left(), rect.top() + cap_h, rect.width(), rect.height() - cap_h
        )
        items.draw_text(
            painter,
            QRectF(rect.left(), rect.top(), rect.width(), cap_h),
            caption,
            self.pt(item, "size_pt", 11),
            k,
            bold=True,
        )
        view = MapView.fit(
            extent, round(body.width()), round(body.height()), margin=0.04
        )
        painter.save()
        painter.translate(body.topLeft())
        painter.setClipRect(QRectF(0, 0, body.width(), body.height()))
        painter.fillRect(QRectF(0, 0, body.width(), body.height()), QColor("#ffffff"))
        r.render(
            painter,
            view,
            self.dpi,
            labels=False,
            kinds=("city", "county", "lake"),
            symbol_scale=0.45,
        )
        geom = self.area.geometry if not key_map else shapely.Polygon()
        path = items.path_from_rings(
            [
                _device_ring(view, ring)
                for ring in shapely.get_rings(shapely.get_parts(geom))
            ]
        )
        painter.setPen(QPen(RED, 0.4 * k))
        painter.setBrush(QColor(215, 48, 31, 90))
        painter.drawPath(path)
        if key_map:
            plan = r.plan_labels(view, self.dpi, symbol_scale=0.75, kinds=("county",))
            r.draw_labels(painter, plan, view=view)
        painter.restore()
        painter.setPen(QPen(items.INK, 0.3 * k))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(body)

    def _draw_township_table(self, painter, item, rect, tile):
        if self.report is None:
            return
        header, rows, total = content.township_rows(
            self.report, self.project, self.township
        )
        if not rows:
            return
        body = rows + ([total] if total and len(rows) > 1 else [])
        n = items.draw_table(
            painter,
            rect,
            str(item.get("caption", "贫困村目标与完成情况(按乡镇)")),
            header,
            body,
            self.k,
            self.pt(item, "size_pt", 9),
            widths=[2.2, 1, 1, 1, 1, 1],
        )
        self.outcome.township_rows = n

    def _draw_exit_chart(self, painter, item, rect, tile):
        if self.report is None:
            return
        series = content.exit_series(self.report, self.project, self.township)
        if series is None:
            return
        items.draw_exit_chart(
            painter,
            rect,
            series.years,
            series.done,
            series.plan,
            self.k,
            self.pt(item, "size_pt", 9),
            scheduled=series.scheduled,
        )

    def _draw_village_cards(self, painter, item, rect, tile):
        header, rows = content.village_card_rows(
            self.report, self.project, self.township
        )
        if not rows:
            return
        items.draw_table(
            painter,
            rect,
            str(item.get("caption", "贫困村村情(村情卡摘要)")),
            header,
            rows,
            self.k,
            self.pt(item, "size_pt", 8),
            widths=[1.3, 0.8, 0.9, 0.8, 3.0, 2.0][: len(header)],
            max_blocks=int(item.get("blocks", 2)),
        )

    def _draw_village_card(self, painter, item, rect, tile):
        if self.area.code is None:
            return
        header, rows = content.village_card(self.report, self.area.code)
        if not rows:
            return
        items.draw_table(
            painter,
            rect,
            str(item.get("caption", "村情卡")),
            header,
            rows,
            self.k,
            self.pt(item, "size_pt", 8),
            widths=[3.0, 1.4, 1.4, 0.6, 0.8],
            max_blocks=int(item.get("blocks", 2)),
        )

    def _draw_unit_table(self, painter, item, rect, tile):
        rows = content.unit_rows(self.report, self.project, self.township)
        if not rows:
            return
        header = ["乡镇", "贫困村", "帮扶责任单位"][-len(rows[0]) :]
        items.draw_table(
            painter,
            rect,
            str(item.get("caption", "贫困村帮扶责任单位")),
            header,
            rows,
            self.k,
            self.pt(item, "size_pt", 8),
            widths=[1.2, 1.2, 3][-len(rows[0]) :],
            max_blocks=int(item.get("blocks", 3)),
        )

    def _draw_notes(self, painter, item, rect, tile):
        crs = self.renderer.crs
        lon0 = _central_meridian(crs)
        grid = (
            f"2000国家大地坐标系(CGCS2000),高斯-克吕格投影3°带,中央经线{lon0:g}°E"
            if lon0 is not None
            else f"2000国家大地坐标系(CGCS2000) {crs.name}"
        )
        parts = [
            f"编制单位:{self.values['office']}" if self.values["office"] else "",
            f"编制日期:{self.date}",
            f"坐标系:{grid}",
            f"比例尺 1:{self.outcome.scale_denominator:,.0f}",
            ("数据来源:" + "; ".join(self.project.credits))
            if self.project.credits
            else "",
            (
                f"另有 {len(self.outcome.unplaced)} 处注记因位置不足未标注"
                if self.outcome.unplaced
                else ""
            ),
        ]
        text = self.text("footer", "") or "    ".join(p for p in parts if p)
        items.draw_text(
            painter,
            rect,
            text,
            self.pt(item, "size_pt", 9),
            self.k,
            align=_align(item),
            colour=items.GREY,
        )

    def _draw_sample_note(self, painter, item, rect, tile):
        if not self.project.has_generated_data:
            return
        items.draw_text(
            painter,
            rect,
            SAMPLE_NOTE,
            self.pt(item, "size_pt", 10),
            self.k,
            bold=True,
            colour=RED,
            align=_align(item),
        )


def _central_meridian(crs):
    op = crs.coordinate_operation
    for param in getattr(op, "params", []) or []:
        if (
            "longitude of natural origin" in param.name.lower()
            or "central meridian" in param.name.lower()
        ):
            return float(param.value)
    return None


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _align(item: Item):
    return {
        "left": Qt.AlignmentFlag.AlignLeft,
        "right": Qt.AlignmentFlag.AlignRight,
        "center": Qt.AlignmentFlag.AlignHCenter,
    }.get(str(item.get("align", "left")), Qt.AlignmentFlag.AlignLeft)


def _device_ring(view: MapView, ring):
    import numpy as np

    xy = shapely.get_coordinates(ring)
    px, py = view.to_device(xy[:, 0], xy[:, 1])
    return np.column_stack([px, py])

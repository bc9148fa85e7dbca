"""The campaign over time: a project at a period, change maps, change tables and
the animation of every period for briefings.

``at_period`` shows a project as it stood at one period and gives it back
unchanged; the change map draws the later period with what changed since the
earlier one on top (a derived layer of kind ``change``); the animation draws one
frame per period with the gap status of that year.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QImage, QPainter, QPen

from gisapp.analysis.transitions import CHANGE_ZH, Transitions, transitions
from gisapp.data.source import SourceInfo
from gisapp.errors import ExportError
from gisapp.export import print_items as items
from gisapp.export.periods import (
    at_period,
    check_history,
    period_report,
    period_view,
    rules_of,
    walk_periods,
)
from gisapp.export.print_layout import Item, Layout, load_layout
from gisapp.export.safety import guard_project_output
from gisapp.export.wallmap import export_wallmap, prepare_sheet
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.periods import state_key
from gisapp.render.fonts import ensure_app

log = logging.getLogger(__name__)

# What each change is counted in, and the layer kind whose places show it.
UNIT_ZH = {
    "village_exited": "个",
    "village_returned": "个",
    "township_exited": "个",
    "township_returned": "个",
    "road_hardened": "公里",
    "bridge_repaired": "座",
    "water_completed": "个村",
    "power_living_done": "个村",
    "power_production_done": "个村",
    "houses_rebuilt": "户",
    "households_relocated": "户",
}
PLACE_KIND = {
    "village_exited": "village",
    "village_returned": "village",
    "township_exited": "township",
    "township_returned": "township",
    "road_hardened": "road",
    "bridge_repaired": "bridge",
}
FRAME_DPI = 120
FRAME_MS = 1800


# -- changes -------------------------------------------------------------------------
def _transitions(project, before: str, after: str) -> Transitions:
    check_history(project, before, after)
    a, b = project.history.get(str(before)), project.history.get(str(after))
    if a.sort_key >= b.sort_key:
        raise ExportError(
            "the first period must be earlier than the second",
            value=f"{before} → {after}",
            fix=f"swap them: {after} → {before}",
        )
    return transitions(a, b)


def _segment_km(project, keys: pd.Series) -> pd.Series:
    """Length in kilometres of road segments by their period key."""
    out = pd.Series(float("nan"), index=keys.index)
    for layer in project.layers_of("road"):
        frame = layer.frame
        index = state_key(frame, "road").astype(str)
        km = pd.to_numeric(frame.get("end_km"), errors="coerce") - pd.to_numeric(
            frame.get("start_km"), errors="coerce"
        )
        if km.isna().all():
            km = layer.projected(project.metric_crs).length / 1000.0
        lengths = pd.Series(km.to_numpy(), index=index)
        lengths = lengths[~lengths.index.duplicated()]
        out = out.fillna(keys.map(lengths))
    return out


def change_table(project, before: str, after: str) -> pd.DataFrame:
    """Every change from ``before`` to ``after`` as a Chinese table for Excel.

    Columns 变化, 代码/序号, 名称, 乡镇, 数量, 单位, 时期; rows in the order of the
    legend (villages out, back, townships, roads, bridges, water, power, houses,
    relocation), then by township and code. Roads count kilometres hardened.
    """
    trans = _transitions(project, before, after)
    rows = trans.changes.copy()
    rows["amount"] = pd.to_numeric(rows["amount"], errors="coerce").astype(float)
    roads = rows["change"] == "road_hardened"
    if roads.any():
        rows.loc[roads, "amount"] = _segment_km(project, rows.loc[roads, "key"]).round(
            3
        )
    order = {c: i for i, c in enumerate(CHANGE_ZH)}
    rows["_order"] = rows["change"].map(order)
    rows = rows.sort_values(["_order", "township", "key"], na_position="last")
    return pd.DataFrame(
        {
            "变化": rows["change"].map(CHANGE_ZH).to_numpy(),
            "代码/序号": rows["key"].to_numpy(),
            "名称": rows["name"].to_numpy(),
            "乡镇": rows["township"].to_numpy(),
            "数量": pd.to_numeric(rows["amount"], errors="coerce").to_numpy(),
            "单位": rows["change"].map(UNIT_ZH).to_numpy(),
            "时期": f"{before}—{after}",
        }
    )


def change_summary(table: pd.DataFrame) -> list[tuple[str, float, str]]:
    """(变化, total, unit) per category present in a :func:`change_table`."""
    out = []
    for change, zh in CHANGE_ZH.items():
        rows = table[table["变化"] == zh]
        if rows.empty:
            continue
        unit = UNIT_ZH[change]
        total = len(rows) if unit in ("个", "座", "个村") else float(rows["数量"].sum())
        out.append((zh, total, unit))
    return out


def _places(project, kind_id: str) -> pd.Series:
    """Geometry of each place of a kind by its period key (points for areas)."""
    parts = []
    for layer in project.layers_of(kind_id):
        frame = layer.frame
        keys = state_key(frame, kind_id).astype(str)
        geoms = frame.geometry
        if kind_id != "road":
            areas = geoms.notna() & geoms.geom_type.isin(["Polygon", "MultiPolygon"])
            geoms = geoms.where(~areas, geoms[areas].representative_point())
        parts.append(pd.Series(geoms.to_numpy(), index=keys))
    if not parts:
        return pd.Series(dtype=object)
    places = pd.concat(parts)
    return places[~places.index.duplicated()]


def change_layers(project, trans: Transitions) -> list[Layer]:
    """The changes that have a place, as layers of kind ``change`` (points, lines)."""
    kind = get_kind("change")
    rows = trans.changes[trans.changes["change"].isin(list(PLACE_KIND))]
    frames = []
    for kind_id in dict.fromkeys(PLACE_KIND.values()):
        mine = rows[rows["change"].map(PLACE_KIND) == kind_id]
        if mine.empty:
            continue
        geoms = mine["key"].map(_places(project, kind_id))
        frames.append(mine.assign(geometry=geoms.to_numpy()))
    if not frames:
        return []
    frame = gpd.GeoDataFrame(
        pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4490"
    )
    frame = frame[frame.geometry.notna()]
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce")
    frame["source"] = f"时期{trans.before}与{trans.after}比较"
    lines = frame.geom_type.isin(["LineString", "MultiLineString"])
    layers = []
    for part, label in ((frame[lines], "线"), (frame[~lines], "点")):
        if part.empty:
            continue
        info = SourceInfo(path=Path(f"{trans.before}-{trans.after}"), format="变化")
        cols = [*kind.field_names, "geometry"]
        layers.append(
            Layer(
                name=f"{trans.before}—{trans.after}年变化({label})",
                kind=kind,
                frame=gpd.GeoDataFrame(part[cols].reset_index(drop=True), crs=4490),
                info=info,
            )
        )
    return layers


def _change_layout(base: Layout, summary, before: str, after: str) -> Layout:
    """The city layout with the township table replaced by the change counts."""
    kept = [it for it in base.items if it.type != "township_table"]
    box = base.first("township_table")
    extra: list[Item] = []
    if box is not None:
        x, y, w, h = box.rect
        size = float(box.get("size_pt", 9.5)) * 1.4
        lines = [(f"{before}年—{after}年变化统计", True)]
        for zh, total, unit in summary:
            value = f"{total:,.1f}" if unit == "公里" else f"{int(total):,}"
            lines.append((f"{zh}:{value} {unit}", False))
        if len(lines) == 1:
            lines.append(("两期之间没有变化", False))
        step = min(h / len(lines), 7.0)
        for i, (text, bold) in enumerate(lines):
            extra.append(
                Item(
                    "text",
                    (x + 2, y + i * step, w - 4, step),
                    {
                        "text": text,
                        "size_pt": size * (1.15 if bold else 1),
                        "bold": bold,
                    },
                )
            )
    texts = {
        **base.texts,
        "subtitle": f"{before}年—{after}年变化图(底图为{after}年状态)  ·  {{subtitle}}",
    }
    return dataclasses.replace(
        base, name="变化图", items=tuple(kept + extra), texts=texts
    )


def export_change_map(
    project,
    before: str,
    after: str,
    out_path,
    page="A1",
    orientation: str = "landscape",
    *,
    rules=None,
    dpi: int = 300,
    outcome: list | None = None,
) -> Path:
    """A wall map of period ``after`` with the changes since ``before`` on top.

    Villages that left the list or came back, townships 摘帽, roads hardened and
    bridges rebuilt are drawn in their own symbols and listed in the legend; the
    counts of every change (water, power, houses, relocation too) stand where the
    township table would. The project is left as it was.

    Parameters
    ----------
    project : Project
        With at least the two periods in ``project.history``.
    before, after : str
        Period names, ``before`` earlier than ``after``.
    out_path : str or Path
        ``.pdf`` (vector) or ``.png``/``.tif``.
    page, orientation, dpi
        As for :func:`gisapp.export.wallmap.export_wallmap`.
    rules : Rules, str or Path, optional
        The rules judging the gap status; the project's by default.
    outcome : list, optional
        Receives the sheet's :class:`SheetOutcome` (legend, texts).

    Returns
    -------
    Path
    """
    guard_project_output(project, out_path)
    trans = _transitions(project, before, after)
    summary = change_summary(change_table(project, before, after))
    rules = rules_of(project, rules)
    layout = _change_layout(load_layout("city", orientation), summary, before, after)
    with period_view(project, after, rules, label=False) as report:
        view = dataclasses.replace(
            project, layers=[*project.layers, *change_layers(project, trans)]
        )
        return export_wallmap(
            view,
            out_path,
            page=page,
            orientation=orientation,
            report=report,
            layout=layout,
            dpi=dpi,
            outcome=outcome,
        )


# -- animation -----------------------------------------------------------------------
def _frame_layout(width_mm: float, height_mm: float) -> Layout:
    """One animation frame: title, map, the period and its figures, legend, note."""
    w, h = width_mm, height_mm
    side = w * 0.27
    left = w - side - 6
    item = Item
    parts = [
        item("title", (6, 3, w - 12, 11), {"size_pt": 22, "align": "center"}),
        item("subtitle", (6, 14, w - 12, 6), {"size_pt": 11, "align": "center"}),
        item(
            "map",
            (6, 23, left - 10, h - 33),
            {
                "graticule": False,
                "north_arrow": True,
                "north_mm": 13,
                "scale_bar": True,
                "scale_mm": 45,
                "veil": True,
                "label_scale": 0.8,
                "text_scale": 0.8,
            },
        ),
        item("legend", (left, h * 0.55, side, h * 0.45 - 10), {"size_pt": 8.5}),
        item("sample_note", (6, h - 8, w - 12, 6), {"size_pt": 9}),
    ]
    return Layout(
        name="时间轴动画",
        width_mm=w,
        height_mm=h,
        items=tuple(parts),
        texts={"title": "{title}", "subtitle": "{subtitle}"},
        extent="city",
    )


def _draw_panel(painter, rect: QRectF, k: float, period: str, names, lines) -> None:
    """The period in large type, a timeline of all periods, and the figures."""
    ink, grey = items.INK, items.GREY
    green, red = QColor("#1a9850"), QColor("#c0141a")
    y = rect.top()
    items.draw_text(
        painter,
        QRectF(rect.left(), y, rect.width(), 16 * k),
        f"{period}年",
        34,
        k,
        bold=True,
        colour=QColor("#b71c1c"),
    )
    y += 19 * k
    # Timeline: a dot per period, the current one filled.
    x0, x1 = rect.left() + 4 * k, rect.right() - 4 * k
    cy = y + 3 * k
    painter.setPen(QPen(grey, 0.5 * k))
    painter.drawLine(QPointF(x0, cy), QPointF(x1, cy))
    step = (x1 - x0) / max(len(names) - 1, 1)
    current = names.index(period)
    for i, name in enumerate(names):
        c = QPointF(x0 + i * step, cy)
        painter.setPen(QPen(ink, 0.4 * k))
        painter.setBrush(QColor("#b71c1c") if i == current else QColor("white"))
        r = (2.0 if i == current else 1.3) * k
        painter.drawEllipse(c, r, r)
        items.draw_text(
            painter,
            QRectF(c.x() - 12 * k, cy + 2.5 * k, 24 * k, 5 * k),
            name,
            8,
            k,
            bold=i == current,
            align=Qt.AlignmentFlag.AlignHCenter,
        )
    y = cy + 10 * k
    row_h = 8.2 * k
    for label, value, on_track in lines:
        items.draw_text(
            painter,
            QRectF(rect.left(), y, rect.width(), 4 * k),
            label,
            8,
            k,
            colour=grey,
        )
        colour = ink if on_track is None else (green if on_track else red)
        mark = "" if on_track is None else ("  进度达标" if on_track else "  滞后")
        items.draw_text(
            painter,
            QRectF(rect.left(), y + 3.6 * k, rect.width(), 4.6 * k),
            value + mark,
            10,
            k,
            bold=True,
            colour=colour,
        )
        y += row_h
    painter.setPen(QPen(QColor("#bdbdbd"), 0.3 * k))
    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))


def _to_pil(image: QImage):
    from PIL import Image

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    ptr = rgb.constBits()
    ptr.setsize(rgb.sizeInBytes())
    return Image.frombuffer(
        "RGB",
        (rgb.width(), rgb.height()),
        bytes(ptr),
        "raw",
        "RGB",
        rgb.bytesPerLine(),
        1,
    ).copy()


def _check_animation_target(out_path) -> tuple[Path, bool]:
    out = Path(out_path)
    if out.suffix.lower() == ".gif":
        if out.is_dir():
            raise ExportError(
                "the output path is a folder",
                path=out,
                fix="give a file name such as 进展.gif",
            )
        if not out.parent.exists():
            raise ExportError(
                "the output folder does not exist",
                path=out.parent,
                fix="create the folder or choose another one",
            )
        return out, False
    if out.suffix and not out.is_dir():
        raise ExportError(
            "an animation is written as .gif or into a folder of PNG frames",
            path=out,
            value=out.suffix,
            fix="end the name in .gif, or give a folder",
        )
    return out, True


def render_frames(project, size=(1600, 1100), rules=None, date: str | None = None):
    """One image per period (oldest first): the map with that period's gap status.

    Returns a list of (period name, QImage). The project is left as it was.
    """
    ensure_app()
    check_history(project)
    width, height = (int(v) for v in size)
    if width < 640 or height < 440:
        raise ExportError(
            "the animation frames are too small to read",
            value=f"{width}×{height}",
            fix="use at least 640×440 pixels",
        )
    names = project.history.names()
    first = project.history.get(names[0])
    w_mm, h_mm = width / FRAME_DPI * 25.4, height / FRAME_DPI * 25.4
    layout = _frame_layout(w_mm, h_mm)
    frames = []
    for state in walk_periods(project, names, rules):
        done = []
        at = names.index(state.name)
        if at:
            later = project.history.get(state.name)
            since = transitions(first, later)
            back = transitions(project.history.get(names[at - 1]), later)
            rows = [since.changes, back.of("village_returned")]
            since.changes = pd.concat(rows, ignore_index=True)
            done = change_layers(project, since)
        view = dataclasses.replace(
            project,
            layers=[*project.layers, *done],
            subtitle=f"{state.name}年  ·  {project.subtitle}".strip(" ·"),
        )
        sheet = prepare_sheet(
            view, (w_mm, h_mm), "landscape", state.report, layout, FRAME_DPI, date=date
        )
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            sheet.draw(painter)
            k = sheet.k
            side = sheet.rect(layout.first("legend"))
            panel = QRectF(side.left(), 23 * k, side.width(), side.top() - 25 * k)
            _draw_panel(painter, panel, k, state.name, names, state.lines)
        finally:
            painter.end()
        frames.append((state.name, image))
        log.info("frame %s drawn", state.name)
    return frames


def export_animation(
    project,
    out_path,
    size=(1600, 1100),
    *,
    rules=None,
    frame_ms: int = FRAME_MS,
    date: str | None = None,
) -> Path:
    """The periods of a project as an animated GIF or a folder of PNG frames.

    Each frame is the map at one period (``history.apply``, then the gap report of
    that year written on the layers), with the period, villages and townships out
    against the plan, relocation and housing shares, and the sample-data note when
    the project holds generated data. The project's attributes are restored.

    Parameters
    ----------
    project : Project
        With periods in ``project.history``.
    out_path : str or Path
        ``*.gif`` for an animation; a folder (made if missing) for PNG frames
        ``01_2015.png``, ``02_2016.png`` …
    size : (int, int)
        Frame size in pixels.
    rules : Rules, str or Path, optional
    frame_ms : int
        How long each frame shows in the GIF; the last one stays twice as long.

    Returns
    -------
    Path
        The GIF or the folder.
    """
    guard_project_output(project, out_path)
    out, as_folder = _check_animation_target(out_path)
    frames = render_frames(project, size, rules, date)
    if as_folder:
        out.mkdir(parents=True, exist_ok=True)
        for i, (name, image) in enumerate(frames, 1):
            target = out / f"{i:02d}_{name}.png"
            tmp = out / f".{target.stem}.partial.png"
            if not image.save(str(tmp), "PNG"):
                tmp.unlink(missing_ok=True)
                raise ExportError("the frame could not be written", path=target)
            tmp.replace(target)
        return out
    from PIL import Image

    pictures = [
        _to_pil(img).quantize(
            colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        for _, img in frames
    ]
    durations = [int(frame_ms)] * len(pictures)
    durations[-1] *= 2
    tmp = out.with_name(f".{out.stem}.partial.gif")
    try:
        pictures[0].save(
            tmp,
            save_all=True,
            append_images=pictures[1:],
            duration=durations,
            loop=0,
            optimize=False,
        )
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


__all__ = [
    "at_period",
    "change_layers",
    "change_summary",
    "change_table",
    "export_animation",
    "export_change_map",
    "period_report",
    "period_view",
    "render_frames",
]

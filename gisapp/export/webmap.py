"""The briefing web map: one HTML file that opens from disk with no network.

``export_webmap`` builds the page with folium and inlines Leaflet (from the
``js_lib_leaflet`` package), the page's script and style, and the project's data as
strict JSON. folium's other CDN assets are left out. Geometry is simplified (as a
coverage for polygons) and coordinates quantised until the file fits its budget.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gisapp.errors import ExportError
from gisapp.export.dates import map_date
from gisapp.export.safety import guard_project_output
from gisapp.export.web import assets
from gisapp.export.web.basemap import resolve_basemap
from gisapp.export.web.focus import area_json, focus_layer, view_bounds
from gisapp.export.web.page import build_page, write_page
from gisapp.export.web.payload import GROUP_ORDER, LayerData, layer_data, status_legend
from gisapp.export.web.profiles import (
    aggregate_households,
    get_profile,
    is_household_layer,
    protect,
)
from gisapp.export.web.report import annotated_frames, bridge_danger, village_cards
from gisapp.export.web.values import dumps_strict

log = logging.getLogger(__name__)

SAMPLE_NOTE = "示例数据：本图含程序生成的示例数据，不代表实际情况"

#: Simplification levels tried in turn: (tolerance in metres, decimals of a degree).
LEVELS = [(1.0, 6), (3.0, 6), (10.0, 5), (30.0, 5), (100.0, 5), (300.0, 4)]


class WebMapSizeWarning(UserWarning):
    """The web map could not be brought within its size budget."""


@dataclass
class WebMapResult:
    """What an export did: file, size, time, simplification per layer, warnings."""

    path: Path
    bytes: int
    seconds: float
    levels: dict[str, tuple[float, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _check_out_path(out_path) -> Path:
    path = Path(out_path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ExportError(
            "a web map is written as an .html file",
            path=path,
            value=path.suffix or "(no suffix)",
            fix="choose a file name ending in .html",
        )
    if path.exists() and path.is_dir():
        raise ExportError(
            "the web map path is a folder", path=path, fix="give a file name"
        )
    if not path.parent.exists():
        raise ExportError(
            "the folder for the web map does not exist",
            path=path,
            value=str(path.parent),
            fix="create the folder or choose another one",
        )
    return path


def _frames(
    project, report, profile, aggregate: bool
) -> tuple[list[LayerData], list[str]]:
    notes: list[str] = []
    villages = project.frame_of("village") if project.layers_of("village") else None
    frames = annotated_frames(project, report)
    data = []
    for layer in project.layers:
        if not layer.has_geometry:
            continue
        frame = bridge_danger(layer, frames[layer.id])
        if frame.crs is not None and frame.crs.to_epsg() not in (4490, 4326):
            frame = frame.to_crs("EPSG:4490")
        if aggregate and is_household_layer(frame):
            summary = aggregate_households(frame, villages)
            if summary is not None:
                frame = summary
                notes.append(f"{layer.name}：按村汇总")
            elif profile.drop:
                notes.append(f"{layer.name}：无法按村汇总，已省略")
                continue
        frame, done = protect(frame, profile)
        if done:
            log.info("%s: %s", layer.name, ", ".join(done))
        data.append(layer_data(layer, frame, searchable=layer.kind.id == "village"))
    return data, notes


def _bounds(layers: list[LayerData], area: LayerData | None, project) -> list:
    """The extent to open at: the project's area, else its villages, else all."""
    bounds = view_bounds(layers, area)
    if bounds is None:
        minx, miny, maxx, maxy = project.bounds()
        bounds = [[miny, minx], [maxy, maxx]]
    return bounds


def _fit(layers: list[LayerData], budget: int, fixed: int, gcj02: bool) -> list[str]:
    """Encode every layer, simplifying line and area layers until the page fits."""
    problems = []
    for lyr in layers:
        lyr.encode(*LEVELS[0], gcj02)
    step = 0
    while fixed + sum(lyr.size() for lyr in layers) > budget and step + 1 < len(LEVELS):
        step += 1
        heavy = [lyr for lyr in layers if lyr.simplifiable]
        if not heavy:
            break
        for lyr in heavy:
            lyr.encode(*LEVELS[step], gcj02)
        log.info(
            "web map over budget; simplified to %.0f m, %d decimals", *LEVELS[step]
        )
    total = fixed + sum(lyr.size() for lyr in layers)
    if total > budget:
        sizes = sorted(((lyr.size(), lyr) for lyr in layers), key=lambda t: -t[0])
        for size, lyr in sizes:
            if size > budget - fixed:
                problems.append(
                    f"图层“{lyr.name}”简化后仍有 {size / 1e6:.1f} MB，超出网页地图预算 "
                    f"{budget / 1e6:.1f} MB"
                )
        if not problems:
            names = "、".join(lyr.name for _, lyr in sizes[:3])
            problems.append(
                f"网页地图 {total / 1e6:.1f} MB，超出预算 {budget / 1e6:.1f} MB；"
                f"最大的图层：{names}"
            )
    return problems


def export_webmap(project, out_path, *args, **kwargs) -> Path:
    """Write the project as a self-contained HTML web map; see :func:`write_webmap`."""
    return write_webmap(project, out_path, *args, **kwargs).path


def write_webmap(
    project,
    out_path,
    report=None,
    profile: str = "internal",
    basemap=None,
    budget_mb: float = 5.0,
    *,
    aggregate: bool | None = None,
    date: dt.date | None = None,
    progress: Callable[[float | None, str], None] | None = None,
    periods=None,
    period: str | None = None,
) -> WebMapResult:
    """Write the project as a self-contained HTML web map and say what was done.

    Parameters
    ----------
    project : gisapp.model.project.Project
        The layers to show; features without geometry are left out.
    out_path : str or Path
        The ``.html`` file to write; its folder must exist.
    report : GapReport, optional
        The gap report; its ``villages`` table gives each village's status and
        ``card(code)`` its village card. Without it the popups show the village's
        attributes.
    profile : {"internal", "briefing", "public"}
        Who the map is for: ``briefing`` masks names, ID and phone numbers;
        ``public`` drops them and aggregates household layers to villages.
    basemap : None, str, dict or Basemap
        ``None`` (default): no basemap, no network. See
        :func:`gisapp.export.web.basemap.resolve_basemap` for the others.
    budget_mb : float
        Largest file size wanted; geometry is simplified to fit, with a
        ``WebMapSizeWarning`` when it cannot.
    aggregate : bool, optional
        Aggregate household layers to villages (default: only for ``public``).
    date : datetime.date, optional
        The date printed on the map (default: today in Beijing).
    progress : callable, optional
        Called as ``progress(share, text)`` between steps.
    periods : list of str or True, optional
        Periods of ``project.history`` the page can switch between (True: all);
        the switch recolours the villages by each period's gap status and shows
        its progress against the plan.
    period : str, optional
        The period the map shows (layers, popups, and the switch's start); the
        project's own attributes are restored afterwards. Without ``report`` the
        gap report of that period is made.

    Returns
    -------
    WebMapResult
        The written file, its size, the time taken, each layer's simplification
        level (metres, decimals) and the size warnings.
    """
    guard_project_output(project, out_path)
    if period is None:
        shown = contextlib.nullcontext()
    else:
        from gisapp.export.periods import at_period, period_report

        shown = at_period(project, period)
    with shown:
        if period is not None and report is None:
            report = period_report(project, period)
        return _write(
            project,
            out_path,
            report,
            profile,
            basemap,
            budget_mb,
            aggregate,
            date,
            progress,
            periods,
            None if period is None else str(period),
        )


def _write(
    project,
    out_path,
    report,
    profile,
    basemap,
    budget_mb,
    aggregate,
    date,
    progress,
    periods,
    period,
) -> WebMapResult:
    started = time.perf_counter()
    step = progress or (lambda share, text: None)
    path = _check_out_path(out_path)
    prof = get_profile(profile)
    base = resolve_basemap(basemap)
    if budget_mb is None or not budget_mb > 0:
        raise ExportError(
            "the web map size budget must be a positive number of MB",
            value=budget_mb,
            fix="use for example budget_mb=5",
        )
    gcj02 = bool(base and base.gcj02)
    switch = None
    if periods:
        from gisapp.export.web.periods import period_payload

        step(0.02, "各时期状态")
        switch = period_payload(
            project,
            None if periods is True else [str(p) for p in periods],
            getattr(report, "rules", None),
            current=period,
        )
    step(0.05, "准备图层")
    layers, notes = _frames(
        project, report, prof, prof.aggregate if aggregate is None else aggregate
    )
    if not layers:
        raise ExportError(
            "the project has no layer with places to put on a web map",
            value=[lyr.name for lyr in project.layers],
            fix="add a layer with geometry or coordinates",
        )
    village_codes = []
    for lyr in layers:
        if lyr.kind.id == "village" and "code" in lyr.frame:
            village_codes += [
                c for c in lyr.frame["code"].dropna().astype(str).tolist()
            ]
    cards = village_cards(report, village_codes)
    if base:
        notes += base.notes
        if base.gcj02:
            notes.append("底图为 GCJ-02 坐标，图上数据已为显示做相应偏移，原数据未改动")
        if "tk=" in "".join(base.urls):
            notes.append("底图使用本单位天地图密钥，分发本文件时请注意")
    notes += [f"数据来源：{credit}" for credit in project.credits]
    today = date or map_date()
    area = focus_layer(layers)
    title = project.title
    payload_head = {
        "title": title,
        "subtitle": project.subtitle,
        "office": project.office,
        "date": today.isoformat(),
        "profile": {"id": prof.id, "zh": prof.zh, "note": prof.note},
        "sample": SAMPLE_NOTE if project.has_generated_data else "",
        "notes": notes,
        "bounds": _bounds(layers, area, project),
        "area": area_json(area),
        "basemap": base.as_json() if base else None,
        "status": status_legend(),
        "cards": cards,
    }
    if switch is not None:
        payload_head["periods"] = switch
    fixed = (
        len(assets.leaflet_js())
        + len(assets.leaflet_css())
        + len(assets.page_file("webmap.js"))
        + len(assets.page_file("webmap.css"))
        + len(dumps_strict(payload_head).encode("utf-8"))
        + 4000
    )
    budget = int(budget_mb * 1_000_000)
    step(0.4, "简化几何")
    problems = _fit(layers, budget, fixed, gcj02)
    for text in problems:
        log.warning("%s", text)
        warnings.warn(text, WebMapSizeWarning, stacklevel=3)
    by_group: dict[str, list[str]] = {}
    for lyr in sorted(layers, key=lambda x: -x.style.order):
        by_group.setdefault(lyr.static()["group"], []).append(lyr.id)
    groups = [{"name": g, "layers": by_group[g]} for g in GROUP_ORDER if g in by_group]
    payload = {
        **payload_head,
        "groups": groups,
        "layers": [lyr.as_json() for lyr in layers],
    }
    step(0.8, "写出网页")
    write_page(path, build_page(payload, title))
    step(1.0, "完成")
    size = path.stat().st_size
    seconds = time.perf_counter() - started
    log.info("web map %s: %.2f MB in %.2f s", path.name, size / 1e6, seconds)
    return WebMapResult(
        path=path,
        bytes=size,
        seconds=seconds,
        levels={lyr.name: lyr.level for lyr in layers},
        warnings=problems,
    )

"""What a printed sheet says: its area, legend rows, tables and chart series.

Everything here is plain data taken from the project, its styles and, when
given, the gap report (``gisapp.analysis.analyse(project)``); the drawing is in
:mod:`gisapp.export.print_items`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from gisapp.export.print_items import LegendEntry
from gisapp.model.style import status_colours
from gisapp.render.painter import MapRenderer, RenderResult

log = logging.getLogger(__name__)

BOUNDARY_KINDS = ("city", "county", "lake", "river")


@dataclass
class Area:
    """The place a sheet shows: name, outline in metres, and the box to fit."""

    name: str
    geometry: object  # shapely, metric CRS
    level: str  # city, county, township, village
    code: str | None = None  # the village code of a village sheet

    @property
    def bounds(self):
        return self.geometry.bounds


def _layer_geoms(renderer: MapRenderer, layer):
    geoms = renderer.prepared(layer).geometries
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return geoms, ok


def city_area(renderer: MapRenderer) -> Area:
    """The city the project is about: its single-feature city layer, else all counties."""
    project = renderer.project
    cities = [lyr for lyr in project.layers_of("city") if lyr.has_geometry]
    if cities:
        lyr = min(cities, key=lambda c: len(c.frame))
        geoms, ok = _layer_geoms(renderer, lyr)
        names = [
            n
            for n in lyr.frame.get("name", pd.Series(dtype=str)).tolist()
            if isinstance(n, str)
        ]
        return Area(
            "、".join(names[:1]) or lyr.name, shapely.union_all(geoms[ok]), "city"
        )
    counties = [lyr for lyr in project.layers_of("county") if lyr.has_geometry]
    if counties:
        lyr = min(counties, key=lambda c: len(c.frame))
        geoms, ok = _layer_geoms(renderer, lyr)
        return Area(project.title, shapely.union_all(geoms[ok]), "city")
    return Area(project.title, shapely.box(*renderer.bounds()), "city")


def _geoms_where(renderer: MapRenderer, kind_id: str, column: str, value) -> list:
    """Projected geometries of the features of ``kind_id`` whose ``column`` is ``value``."""
    found = []
    for lyr in renderer.project.layers_of(kind_id):
        if column in lyr.frame:
            geoms, ok = _layer_geoms(renderer, lyr)
            found.extend(geoms[(lyr.frame[column] == value).to_numpy() & ok])
    return found


def county_area(renderer: MapRenderer, name: str) -> Area | None:
    """A county (县市区) by name, from the county layers."""
    geoms = _geoms_where(renderer, "county", "name", name)
    return Area(name, shapely.union_all(geoms), "county") if geoms else None


def township_names(project, poor_only: bool = True) -> list[str]:
    """Townships named by the village layer (only those with poor villages when
    there are any), in the order of their official codes, else of their names."""
    frame = project.frame_of("village")
    towns = project.frame_of("township")
    codes: dict[str, str] = {}
    if "name" in towns and "code" in towns:
        for name, code in zip(towns["name"], towns["code"], strict=True):
            if isinstance(name, str) and isinstance(code, str):
                codes.setdefault(name, code)
    if "township" not in frame or frame.empty:
        names = {n for n in towns.get("name", pd.Series(dtype=str)).dropna()}
    else:
        if poor_only and "is_poor" in frame:
            poor = frame[frame["is_poor"].fillna(False).astype(bool)]
            if not poor.empty:
                frame = poor
        if "township_code" in frame:
            for name, code in zip(
                frame["township"], frame["township_code"], strict=True
            ):
                if isinstance(name, str) and isinstance(code, str):
                    codes.setdefault(name, code)
        names = set(frame["township"].dropna().astype(str))
    return sorted(names, key=lambda n: (codes.get(n, "~"), n))


def township_area(
    renderer: MapRenderer, name: str, pad_m: float = 1500.0
) -> Area | None:
    """A township's area: its polygon when the data have one, else the hull of its villages."""
    seats = _geoms_where(renderer, "township", "name", name)
    polys = [g for g in seats if g.geom_type in ("Polygon", "MultiPolygon")]
    if polys:
        return Area(name, shapely.union_all(polys), "township")
    points = _geoms_where(renderer, "village", "township", name) + seats
    if not points:
        return None
    hull = shapely.convex_hull(shapely.union_all(points)).buffer(pad_m)
    return Area(name, hull, "township")


def poor_village_codes(project) -> list[str]:
    """Codes of the poor villages, by township then name (the order of a register)."""
    frame = _poor(project.frame_of("village"))
    if frame.empty or "code" not in frame:
        return []
    frame = frame[frame["code"].notna()]
    rank = {name: i for i, name in enumerate(township_names(project, poor_only=False))}
    towns = (
        frame["township"] if "township" in frame else pd.Series("", index=frame.index)
    )
    names = frame["name"] if "name" in frame else frame["code"]
    order = sorted(
        zip(
            towns.map(lambda t: rank.get(t, len(rank))),
            names.astype(str),
            frame["code"].astype(str),
            strict=True,
        )
    )
    return [code for _, _, code in order]


def village_area(
    renderer: MapRenderer, code: str, radius_m: float = 2500.0
) -> Area | None:
    """A village by code: its polygon, or a circle of ``radius_m`` round its point."""
    for lyr in renderer.project.layers_of("village"):
        if "code" not in lyr.frame:
            continue
        geoms, ok = _layer_geoms(renderer, lyr)
        hit = np.flatnonzero(
            (lyr.frame["code"].astype(str) == str(code)).to_numpy() & ok
        )
        if len(hit):
            geom = geoms[hit[0]]
            name = lyr.frame["name"].iloc[hit[0]] if "name" in lyr.frame else str(code)
            if geom.geom_type in ("Polygon", "MultiPolygon"):
                area = geom.buffer(radius_m * 0.2)
            else:
                area = geom.buffer(radius_m)
            return Area(str(name), area, "village", str(code))
    return None


def village_card(report, code: str):
    """The 村情卡 of a village as (header, rows) for a table; empty without a report."""
    header = ["指标", "现状", "目标", "达标", "条款"]
    if report is None or not hasattr(report, "card"):
        return header, []
    try:
        card = report.card(code)
    except (KeyError, IndexError, ValueError):
        return header, []
    colours = status_colours()
    rows = []
    for rec in card:
        passed = rec.get("passed")
        mark = (
            ("是", colours["green"]["color"])
            if passed is True
            else (("否", colours["red"]["color"]) if passed is False else ("—", None))
        )
        rows.append(
            [
                str(rec.get("indicator", "")),
                _cell(rec.get("value")),
                _cell(rec.get("target")),
                mark,
                str(rec.get("clause", "") or ""),
            ]
        )
    return header, rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:
            return ""
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def legend_entries(renderer: MapRenderer, content: RenderResult) -> list[LegendEntry]:
    """Legend rows for what is on the map, in drawing order, each once.

    A styled category appears only when features of it are drawn; a layer
    without categories appears under its kind's Chinese name.
    """
    entries: list[LegendEntry] = []
    seen = set()
    for layer in reversed(renderer.draw_order()):
        if layer.id not in content.shown:
            continue
        prep = renderer.prepared(layer)
        style = prep.style
        geoms = content.geoms.get(layer.id, set())
        present = content.shown[layer.id]
        group = layer.kind.zh
        if style.category_field and present - {""}:
            rows = style.legend(present)
            if "" in present or any(k not in style.categories for k in present):
                rows.append((f"{layer.kind.zh}(其他)", style.symbol))
        else:
            label = layer.kind.zh if layer.kind.id != "other" else layer.name
            rows = [(label, style.symbol)]
        for geom in ("point", "line", "polygon"):
            if geom not in geoms:
                continue
            for label, sym in rows:
                key = (label, geom)
                if key in seen:
                    continue
                seen.add(key)
                entries.append(
                    LegendEntry(label, tuple(sorted(sym.items())), geom, group)
                )
    return entries


# -- report tables -----------------------------------------------------------------
def _villages_table(report, project) -> pd.DataFrame:
    """Villages as the report sees them, with exit fields from the project where missing."""
    frame = None
    if report is not None and getattr(report, "villages", None) is not None:
        frame = pd.DataFrame(report.villages).copy()
    layer = project.frame_of("village").drop(columns="geometry", errors="ignore")
    if frame is None:
        return pd.DataFrame(layer)
    if "code" in frame and "code" in layer:
        extra = [
            c
            for c in ("exit_year", "exited", "responsible_unit")
            if c in layer and c not in frame
        ]
        if extra:
            frame = frame.merge(
                layer[["code", *extra]].drop_duplicates("code"), on="code", how="left"
            )
    return frame


def _within(frame: pd.DataFrame, where) -> pd.DataFrame:
    """Rows of one township (``where`` a name), one county (``("county", name)``)
    or one village (``("code", code)``)."""
    if where is None:
        return frame
    column, value = ("township", where) if isinstance(where, str) else where
    if column not in frame:
        return frame.iloc[0:0]
    return frame[frame[column] == value]


def _poor(frame: pd.DataFrame) -> pd.DataFrame:
    if "is_poor" not in frame:
        return frame.iloc[0:0]
    return frame[frame["is_poor"].fillna(False).astype(bool)]


def township_rows(report, project, township: str | None = None):
    """Rows of the targets-against-results table, one per township with poor villages.

    Returns (header, rows, totals) where each row is [乡镇, 贫困村, 已出列, 差距大,
    有差距, 达标]; ``township`` keeps only that township.
    """
    frame = _poor(_villages_table(report, project))
    header = ["乡镇", "贫困村", "已出列", "差距大", "有差距", "达标"]
    if frame.empty or "township" not in frame:
        return header, [], None
    frame = _within(frame, township)
    colours = status_colours()
    rows = []
    for name, grp in frame.groupby("township", sort=True):
        status = grp["gap_status"] if "gap_status" in grp else pd.Series(dtype=str)
        exited = (
            int(grp["exited"].fillna(False).astype(bool).sum())
            if "exited" in grp
            else 0
        )
        rows.append(
            [
                str(name),
                len(grp),
                exited,
                (int((status == "red").sum()), colours["red"]["color"]),
                (int((status == "yellow").sum()), colours["yellow"]["color"]),
                (int((status == "green").sum()), colours["green"]["color"]),
            ]
        )
    total = [
        "合计",
        sum(r[1] for r in rows),
        sum(r[2] for r in rows),
        sum(r[3][0] for r in rows),
        sum(r[4][0] for r in rows),
        sum(r[5][0] for r in rows),
    ]
    return header, rows, total


def exit_series(report, project, township: str | None = None):
    """Villages out per year against the plan's yearly number.

    The plan comes from the rules' cumulative ``villages_exit`` target (70, 140,
    210 for Jingmen: 70 a year); ``scheduled`` counts poor villages by their
    ``exit_year`` and ``done`` those of them marked ``exited``. Returns an
    :class:`ExitSeries`, or None when neither plan nor years are known.
    """
    frame = _poor(_villages_table(report, project))
    frame = _within(frame, township)
    plan_by_year: dict[int, float] = {}
    try:
        rules = getattr(report, "rules", None)
        if rules is None:
            from gisapp.analysis.rules import load_rules

            rules = load_rules(project.rules)
        target = rules.targets.get("villages_exit")
        if target is not None:
            last = 0.0
            for year in sorted(target.by_year):
                plan_by_year[int(year)] = float(target.by_year[year]) - last
                last = float(target.by_year[year])
    except Exception as exc:  # the rules are optional on a map
        log.info("no yearly plan for the exit chart: %s", exc)
    if township is not None and plan_by_year:
        total = sum(plan_by_year.values())
        share = len(frame) / total if total else 0
        plan_by_year = {y: round(v * share, 1) for y, v in plan_by_year.items()}
    done_by_year: dict[int, int] = {}
    scheduled_by_year: dict[int, int] = {}
    if "exit_year" in frame:
        year = pd.to_numeric(frame["exit_year"], errors="coerce")
        known = year.notna()
        scheduled_by_year = year[known].astype(int).value_counts().to_dict()
        if "exited" in frame:
            out = frame["exited"].fillna(False).astype(bool) & known
            done_by_year = year[out].astype(int).value_counts().to_dict()
    years = sorted(set(plan_by_year) | set(scheduled_by_year))
    if not years:
        return None
    return ExitSeries(
        years,
        [int(done_by_year.get(y, 0)) for y in years],
        [float(plan_by_year.get(y, 0.0)) for y in years],
        [int(scheduled_by_year.get(y, 0)) for y in years],
    )


@dataclass
class ExitSeries:
    """Villages out per year: done, the rules' plan, and the villages' own exit years."""

    years: list[int]
    done: list[int]
    plan: list[float]
    scheduled: list[int]


def unit_rows(report, project, township: str | None = None):
    """Poor villages and the unit responsible for each, where the data say."""
    frame = _poor(_villages_table(report, project))
    if "responsible_unit" not in frame:
        return []
    frame = _within(frame, township)
    frame = frame[
        frame["responsible_unit"].notna()
        & (frame["responsible_unit"].astype(str).str.strip() != "")
    ]
    wanted = (
        ("name", "responsible_unit")
        if isinstance(township, str)
        else ("township", "name", "responsible_unit")
    )
    cols = [c for c in wanted if c in frame]
    frame = frame.sort_values(cols[:2])
    return [[str(v) for v in row] for row in frame[cols].itertuples(index=False)]


def sheet_texts(renderer: MapRenderer, view, extra: list[str]) -> list[str]:
    """Every text a sheet prints: labels of features in view and the sheet's own texts."""
    texts = list(extra)
    bounds = view.bounds
    for layer in renderer.draw_order():
        src = renderer.prepared(layer).labels
        if src is None:
            continue
        a = src.anchor
        inside = (
            (a[:, 0] >= bounds[0])
            & (a[:, 0] <= bounds[2])
            & (a[:, 1] >= bounds[1])
            & (a[:, 1] <= bounds[3])
        )
        texts.extend(np.asarray(src.text, dtype=object)[inside].tolist())
    return texts


def village_card_rows(report, project, township: str | None = None):
    """Poor villages of a township with their registry figures and main gap.

    Returns (header, rows); the status cell carries its colour.
    """
    frame = _poor(_villages_table(report, project))
    frame = _within(frame, township)
    header = ["贫困村", "贫困户", "贫困人口", "状态", "主要差距"]
    with_unit = "responsible_unit" in frame and frame["responsible_unit"].notna().any()
    if with_unit:
        header.append("帮扶单位")
    if frame.empty:
        return header, []
    colours = status_colours()
    rows = []
    for rec in frame.sort_values("name").to_dict("records"):
        status = rec.get("gap_status")
        state = colours.get(status, {}).get("zh", "") if isinstance(status, str) else ""
        colour = (
            colours.get(status, {}).get("color") if isinstance(status, str) else None
        )
        reason = rec.get("gap_reason")
        reason = reason if isinstance(reason, str) else ""
        row = [
            str(rec.get("name", "")),
            _int_text(rec.get("poor_households")),
            _int_text(rec.get("poor_people")),
            (state, colour),
            reason if len(reason) <= 30 else reason[:29] + "…",
        ]
        if with_unit:
            unit = rec.get("responsible_unit")
            row.append(unit if isinstance(unit, str) else "")
        rows.append(row)
    return header, rows


def _int_text(value) -> str:
    try:
        if value is None or value != value:
            return ""
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)

"""The gap report on the web map: village status and cards, dangerous bridges.

The report (``gisapp.analysis.analyse``) is read through its contract:
``report.villages``, ``report.card(code)`` and ``report.annotate(project)``. Its
marks are written onto copies of the layers; the project is never changed.
"""

from __future__ import annotations

import dataclasses
import logging

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.export.web.values import plain

log = logging.getLogger(__name__)


def _card_codes(report, codes: list[str]) -> list[str]:
    """Villages that get a card: the poor ones when the report says which."""
    table = getattr(report, "villages", None)
    if table is None or "is_poor" not in table or "code" not in table:
        return codes
    poor = set(
        table.loc[table["is_poor"].fillna(False).astype(bool), "code"].astype(str)
    )
    return [c for c in codes if c in poor]


def _cards(report, codes) -> dict:
    """Village cards from the gap report.

    ``report.card(code)`` gives rows with ``indicator``, ``value``, ``target``,
    ``passed`` (or ``pass``), ``clause`` and ``section``; each becomes
    ``[indicator, value, target, passed, clause, section]`` with values as text.
    The status row is left out: the popup shows the status with its colour.
    """
    cards: dict = {}
    if report is None or not hasattr(report, "card"):
        return cards
    for code in codes:
        try:
            rows = report.card(code)
        except (KeyError, LookupError, ValueError):
            continue
        if rows is None:
            continue
        if isinstance(rows, pd.DataFrame):
            records = rows.to_dict("records")
        else:
            records = [
                r if isinstance(r, dict) else dict(zip(_CARD, r, strict=False))
                for r in rows
            ]
        out = []
        for rec in records:
            section = _text(rec.get("section"))
            if section == "状态":
                continue
            passed = plain(rec.get("passed", rec.get("pass")))
            out.append(
                [
                    _text(rec.get("indicator")),
                    _text(rec.get("value")),
                    _text(rec.get("target")),
                    None if passed is None else bool(passed),
                    _text(rec.get("clause")),
                    section,
                ]
            )
        if out:
            cards[str(code)] = out
    return cards


_CARD = ("indicator", "value", "target", "pass", "clause")


def _text(value):
    """A card cell as text: 是/否, whole numbers without .0, thousands separated."""
    value = plain(value)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        text = f"{value:,.2f}" if abs(value) >= 10000 else f"{value:.2f}"
        return text.rstrip("0").rstrip(".")
    return str(value)


def _with_report(frame: gpd.GeoDataFrame, report) -> gpd.GeoDataFrame:
    """A village frame with the report's status and reason, matched on code."""
    villages = getattr(report, "villages", None)
    if villages is None or "code" not in frame or "code" not in villages:
        return frame
    table = villages.drop_duplicates("code").set_index("code")
    out = frame.copy()
    for column in ("gap_status", "gap_reason"):
        if column in table:
            found = out["code"].map(table[column])
            if column in out:
                found = found.where(found.notna(), out[column])
            out[column] = found
    return out


def annotated_frames(project, report) -> dict[str, gpd.GeoDataFrame]:
    """Layer frames with the report's status on villages and danger on bridges.

    ``report.annotate`` writes onto copies, so the project itself is not changed;
    without it, village rows are matched on code.
    """
    frames = {lyr.id: lyr.frame for lyr in project.layers}
    if report is None:
        return frames
    if hasattr(report, "annotate"):
        copies = [
            dataclasses.replace(lyr, frame=lyr.frame.copy(), _projected={})
            for lyr in project.layers
        ]
        shadow = dataclasses.replace(project, layers=copies)
        try:
            report.annotate(shadow)
            return {lyr.id: lyr.frame for lyr in copies}
        except (KeyError, ValueError, IndexError) as exc:
            log.warning("the gap report could not mark the layers (%s); by code", exc)
    for lyr in project.layers_of("village"):
        frames[lyr.id] = _with_report(lyr.frame, report)
    return frames


def bridge_danger(layer, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Bridges coloured by condition when no report marked them: class 4–5 is 危桥."""
    if layer.kind.id != "bridge" or "danger" in frame or "condition_class" not in frame:
        return frame
    cls = pd.to_numeric(frame["condition_class"], errors="coerce")
    out = frame.copy()
    out["danger"] = np.where(cls >= 4, "dangerous", np.where(cls.notna(), "safe", None))
    return out


def village_cards(report, codes) -> dict:
    """Cards of the poor villages among ``codes``: code → card rows (see ``_cards``)."""
    return _cards(report, _card_codes(report, list(dict.fromkeys(codes))))

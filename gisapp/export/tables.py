"""Excel and CSV lists of the gap report, one sheet per table.

The first sheet lists every poor village, one row each, with its gaps. Files are
written to a temporary name and renamed, so a failed export leaves nothing half
written, and a user's input file is never written over.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from pathlib import Path

import pandas as pd
import xlsxwriter

from gisapp.errors import ExportError
from gisapp.export.safety import guard_output, project_inputs

log = logging.getLogger(__name__)

STATUS_FILLS = {"差距大": "F4B6AE", "有差距": "FBE3A6", "达标": "B9E0C5"}


def _safe_sheet(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    return name[:31]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values Excel can hold: no timezone-aware times, no geometry, no pandas NA."""
    out = frame.drop(columns=[c for c in frame.columns if c == "geometry"])
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[col] = series.dt.tz_localize(None)
        elif series.dtype == object or str(series.dtype) in (
            "boolean",
            "Int64",
            "Float64",
        ):
            out[col] = series.astype(object).where(series.notna(), None)
    return out


def write_sheets(sheets: dict[str, pd.DataFrame], out_path, inputs=()) -> Path:
    """Write tables as sheets of one .xlsx file (header bold, panes frozen)."""
    out_path = Path(out_path)
    guard_output(out_path, inputs)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=out_path.parent)
    os.close(fd)
    try:
        book = xlsxwriter.Workbook(
            tmp, {"constant_memory": False, "strings_to_urls": False}
        )
        try:
            for name, frame in sheets.items():
                ws = book.add_worksheet(_safe_sheet(name))
                _write_columns(ws, _plain(frame))
                _format(book, ws, frame)
        finally:
            book.close()
        os.replace(tmp, out_path)
        _readable(out_path)
    except PermissionError as exc:
        raise ExportError(
            "the file cannot be written (is it open in Excel?)",
            path=out_path,
            fix="close it in Excel, or choose another file name",
        ) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out_path


def _write_columns(ws, frame: pd.DataFrame) -> None:
    """Cell values column by column: native numbers, text, booleans, blanks."""
    for idx, col in enumerate(frame.columns):
        values = frame[col].astype(object).where(frame[col].notna(), None).tolist()
        for row, value in enumerate(values, start=1):
            if value is None:
                continue
            if isinstance(value, float) and not math.isfinite(value):
                continue
            if isinstance(value, (int, float, str, bool)):
                ws.write(row, idx, value)
            else:
                ws.write_string(row, idx, str(value))


def _readable(path: Path) -> None:
    """Give a finished export the permissions of an ordinary new file."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _format(book, ws, frame: pd.DataFrame) -> None:
    """Bold header, frozen first columns, widths to fit, status cells coloured."""
    ws.freeze_panes(1, 2)
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    for idx, col in enumerate(frame.columns):
        ws.write(0, idx, str(col), header)
        values = [str(col)] + [str(v) for v in frame[col].head(200).tolist()]
        width = max(_display_width(v) for v in values)
        ws.set_column(idx, idx, min(max(width + 2, 6), 60))
    headers = [str(c) for c in frame.columns]
    if "状态" in headers and len(frame):
        col = headers.index("状态")
        for text, colour in STATUS_FILLS.items():
            ws.conditional_format(
                1,
                col,
                len(frame),
                col,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{text}"',
                    "format": book.add_format({"bg_color": f"#{colour}"}),
                },
            )


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


POOR_LIST_COLUMNS = {
    "code": "村代码",
    "name": "村名",
    "township": "乡镇",
    "county": "县市区",
    "gap_status": "状态",
    "gap_reason": "差距说明",
    "poor_households": "贫困户数",
    "poor_people": "贫困人口",
    "road_hardened_connected": "通硬化路并连通县道",
    "unhardened_km": "待硬化里程(公里)",
    "new_road_km": "需新建道路(公里)",
    "road_cost_yuan": "道路投资(元)",
    "dangerous_bridges": "通村路线上危桥(座)",
    "dead_ends_nearby": "附近断头路(处)",
    "people_without_water": "未覆盖安全饮水人口",
    "water_subsidy_yuan": "饮水补助(元)",
    "water_central_provincial_yuan": "其中中央和省级(元)",
    "water_city_county_yuan": "其中市县配套(元)",
    "power_living_ok": "生活用电改造完成",
    "power_production_ok": "生产用电改造完成",
    "nearest_substation_km": "距最近变电站(公里)",
    "relocation_households": "自愿搬迁户数",
    "relocation_no_site": "无安置点户数",
    "relocation_subsidy_yuan": "搬迁补助(元)",
    "dangerous_houses_left": "未改造危房(户)",
    "dangerous_houses_cost_yuan": "危房改造资金(元)",
    "exit_ready": "达到销号标准",
    "responsible_unit": "帮扶单位",
}
STATUS_ZH = {"red": "差距大", "yellow": "有差距", "green": "达标", "none": "非贫困村"}


def _yes_no(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "是" if value else "否"
    return value


def poor_village_list(report) -> pd.DataFrame:
    """One row per poor village with its status, gaps and costs, in Chinese."""
    villages = report.villages
    poor = villages[villages["is_poor"].astype("boolean").fillna(False).astype(bool)]
    cols = [c for c in POOR_LIST_COLUMNS if c in poor]
    out = poor[cols].copy()
    out["gap_status"] = out["gap_status"].map(STATUS_ZH)
    for col in cols:
        if out[col].dtype == bool or str(out[col].dtype) == "boolean":
            out[col] = out[col].astype(object).map(_yes_no)
    out = out.rename(columns=POOR_LIST_COLUMNS)
    out["规则文件"] = report.rules_name
    return out.sort_values(["县市区", "乡镇", "村代码"]).reset_index(drop=True)


def export_tables(report, out_path, project=None) -> Path:
    """The gap report as an .xlsx workbook: the poor-village list, then every table."""
    inputs = project_inputs(project) if project is not None else ()
    sheets = {"贫困村差距清单": poor_village_list(report)}
    for name, frame in report.tables_zh().items():
        sheets.setdefault(name, frame)
    return write_sheets(sheets, out_path, inputs)

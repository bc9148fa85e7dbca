"""Excel and CSV lists of the gap report, one sheet per table.

The first sheet lists every poor village, one row each, with its gaps. Files are
written to a temporary name and renamed, so a failed export leaves nothing half
written, and a user's input file is never written over.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pandas as pd

from gisapp.errors import ExportError

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
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                sheet = _safe_sheet(name)
                _plain(frame).to_excel(writer, sheet_name=sheet, index=False)
                _format(writer.sheets[sheet], frame)
        os.replace(tmp, out_path)
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


def _format(ws, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font, PatternFill

    ws.freeze_panes = "C2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for idx, col in enumerate(frame.columns, start=1):
        values = [str(col)] + [str(v) for v in frame[col].head(200).tolist()]
        width = max(_display_width(v) for v in values)
        ws.column_dimensions[ws.cell(1, idx).column_letter].width = min(
            max(width + 2, 6), 60
        )
    headers = [str(c) for c in frame.columns]
    if "状态" in headers:
        col = headers.index("状态") + 1
        for row in range(2, ws.max_row + 1):
            cell = ws.cell(row, col)
            colour = STATUS_FILLS.get(str(cell.value))
            if colour:
                cell.fill = PatternFill("solid", start_color=colour, end_color=colour)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def guard_output(out_path: Path, inputs=()) -> None:
    """Refuse to write over one of the files the project was read from."""
    target = Path(out_path).resolve()
    for item in inputs:
        if Path(item).resolve() == target:
            raise ExportError(
                "the output would overwrite an input file",
                path=out_path,
                value=str(target),
                fix="choose another output folder or file name",
            )


def project_inputs(project) -> list[Path]:
    """Every file a project was read from, to keep exports off them."""
    paths = [lyr.info.path for lyr in project.layers]
    if project.path is not None:
        paths.append(project.path)
    return paths


def export_tables(report, out_path, project=None) -> Path:
    """The gap report as an .xlsx workbook, the poor-village list first."""
    inputs = project_inputs(project) if project is not None else ()
    return write_sheets(report.tables_zh(), out_path, inputs)


def export_csv(frame: pd.DataFrame, out_path, inputs=()) -> Path:
    """One table as CSV in UTF-8 with a byte-order mark, which Excel on Windows reads."""
    out_path = Path(out_path)
    guard_output(out_path, inputs)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    _plain(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
    os.replace(tmp, out_path)
    return out_path

"""Excel lists of the gap report, one sheet per table, ready to sort and print.

The first sheet lists every poor village, one row each, with its gaps. In every
sheet yes and no read 是/否, numbers are rounded for reading but stay numbers with
Excel formats, the header row carries an auto-filter and is repeated on every
printed page, and pages are landscape A4 (A3 for wide sheets) fitted to the page
width. Files are written to a temporary name and renamed, so a failed export
leaves nothing half written, and a user's input file is never written over.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from gisapp.errors import ExportError
from gisapp.export.safety import guard_output, project_inputs
from gisapp.model.layer import GENERATED_SOURCE

log = logging.getLogger(__name__)

STATUS_FILLS = {"差距大": "F4B6AE", "有差距": "FBE3A6", "达标": "B9E0C5"}
YES_NO = {True: "是", False: "否"}
SAMPLE_NOTE = "示例数据：本表含程序生成的示例数据，仅供演示，不作决策依据"
FOOTER = "&L&A&R第 &P 页，共 &N 页"
HEADER = {
    "bold": True,
    "text_wrap": True,
    "valign": "vcenter",
    "align": "center",
    "bg_color": "#DDEBF7",
    "border": 1,
}
PAPER = {"A4": 9, "A3": 8}
# Sum of column widths (Excel character units) past which a sheet fitted to the
# width of a landscape A4 page would print below about 70 %: it goes on A3.
WIDE_SHEET = 200
MIN_WIDTH, MAX_WIDTH = 6, 50
# A header wider than this wraps onto up to three lines rather than widen its
# column, so sheets of many short figures still fit a page.
HEADER_LINE = 8
HEADER_LINE_HEIGHT = 15  # points per line of the header row


@dataclass(frozen=True)
class NumberStyle:
    """How a column of numbers is rounded and shown.

    Parameters
    ----------
    decimals : int
        Most decimals kept in the value.
    grouped : bool
        Thousands separators (money, people, households).
    fixed : bool
        Always show ``decimals`` places; otherwise as few as the column needs.
    share : bool
        A value between 0 and 1 shown as a percentage.
    each : bool
        Decimals chosen cell by cell, for columns mixing units (counts and
        kilometres in one 数量 column).
    """

    decimals: int
    grouped: bool = True
    fixed: bool = False
    share: bool = False
    each: bool = False

    def places(self, values: list) -> int:
        """Decimals the rounded column shows."""
        if self.fixed:
            return self.decimals
        return min(self.decimals, max((_places(v) for v in values), default=0))

    def num_format(self, places: int) -> str:
        """The Excel number format for ``places`` decimals of the value."""
        if self.share:
            shown = max(places - 2, 0)
            return "0" + ("." + "0" * shown if shown else "") + "%"
        whole = "#,##0" if self.grouped else "0"
        return whole + ("." + "0" * places if places else "")

    def text(self, value, places: int) -> str:
        """The value as Excel shows it, to size the column."""
        if self.share:
            return f"{value * 100:.{max(places - 2, 0)}f}%"
        return f"{value:{',' if self.grouped else ''}.{places}f}"


# Matched against the Chinese header, first match wins; units in brackets come
# from the analysis tables (·差值 columns carry the unit of their indicator).
NUMBER_STYLES: tuple[tuple[tuple[str, ...], NumberStyle], ...] = (
    (("经度", "纬度"), NumberStyle(6, grouped=False, fixed=True)),
    (("X(米)", "Y(米)"), NumberStyle(1, grouped=False, fixed=True)),
    (("(万元)", "单价"), NumberStyle(2, fixed=True)),
    (("(元",), NumberStyle(0)),
    (("(%)",), NumberStyle(1, grouped=False, fixed=True)),
    (("比例",), NumberStyle(3, grouped=False, fixed=True, share=True)),
    (
        ("年度", "年份", "代码", "编号", "序号", "等级", "(kV)"),
        NumberStyle(0, grouped=False),
    ),
    (("(公里)", "桩号"), NumberStyle(3)),
    (("(米)",), NumberStyle(2)),
)
# Counts and anything unnamed: whole numbers with separators, a fraction with up
# to 3 decimals, each cell on its own.
PLAIN_NUMBERS = NumberStyle(3, each=True)


def number_style(header: str) -> NumberStyle:
    """The rounding and format of a numeric column, from its Chinese header."""
    for keys, style in NUMBER_STYLES:
        if any(key in header for key in keys):
            return style
    return PLAIN_NUMBERS


def _round(value, decimals: int):
    """Rounded half up, as on paper (2.675 → 2.68); whole numbers as ``int``."""
    if isinstance(value, int):
        return value
    step = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP)
    return int(rounded) if decimals == 0 else float(rounded)


def _places(value) -> int:
    if isinstance(value, int):
        return 0
    return max(0, -Decimal(repr(value)).normalize().as_tuple().exponent)


@dataclass
class Column:
    """One column as written: cell values, how they look, how wide."""

    header: str
    values: list
    kind: str = "text"  # "text", "number" or "yes_no"
    num_formats: list | None = None  # one per cell of a number column
    width: int = 0


def _cell(value):
    """A Python value Excel can hold, or None for a blank cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value if isinstance(value, str) else str(value)


def _column(header: str, series: pd.Series) -> Column:
    """Cell values of a column: 是/否 for yes and no, numbers rounded to their unit."""
    values = [_cell(v) for v in series.tolist()]
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        cells = [None if v is None else YES_NO[v] for v in values]
        return Column(header, cells, "yes_no", width=2)
    if present and all(_is_number(v) for v in present):
        return _number_column(header, values)
    cells = [YES_NO[v] if isinstance(v, bool) else v for v in values]
    width = max((_display_width(str(v)) for v in cells if v is not None), default=0)
    return Column(header, cells, width=width)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number_column(header: str, values: list) -> Column:
    style = number_style(header)
    rounded = [None if v is None else _round(v, style.decimals) for v in values]
    present = [v for v in rounded if v is not None]
    if style.each:
        places = [None if v is None else style.places([v]) for v in rounded]
    else:
        places = [style.places(present)] * len(rounded)
    pairs = zip(rounded, places, strict=True)
    shown = [style.text(v, p) for v, p in pairs if v is not None]
    formats = [None if p is None else style.num_format(p) for p in places]
    return Column(header, rounded, "number", formats, max(map(len, shown)))


def _header_width(header: str) -> int:
    width = _display_width(header)
    return width if width <= HEADER_LINE else max(HEADER_LINE, math.ceil(width / 3))


def _header_lines(header: str, width: int) -> int:
    return math.ceil(_display_width(header) / max(width - 2, 1))


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


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


def write_sheets(
    sheets: dict[str, pd.DataFrame], out_path, inputs=(), note: str | None = None
) -> Path:
    """Write tables as sheets of one .xlsx file, ready to filter and print.

    Parameters
    ----------
    sheets : dict
        Sheet name to table, in order.
    out_path : path
        The .xlsx file; written under a temporary name, then renamed.
    inputs : iterable of paths
        Files the project was read from, never written over.
    note : str, optional
        A line printed at the top of every page, such as the sample-data note.
    """
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
            formats = _Formats(book)
            for name, frame in sheets.items():
                ws = book.add_worksheet(_safe_sheet(name))
                _write_sheet(ws, formats, frame, note)
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


class _Formats:
    """Cell formats of one workbook, made once per distinct look."""

    def __init__(self, book):
        self.book = book
        self.made = {}

    def get(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format({"valign": "top", **props})
        return self.made[key]


def _write_sheet(ws, formats: _Formats, frame: pd.DataFrame, note) -> None:
    plain = _plain(frame)
    columns = [_column(str(col), plain[col]) for col in plain.columns]
    widths = [_write_column(ws, formats, idx, c) for idx, c in enumerate(columns)]
    lines = max(map(_header_lines, (c.header for c in columns), widths), default=1)
    ws.set_row(0, HEADER_LINE_HEIGHT * max(lines, 1))
    _format(formats, ws, columns, len(plain))
    _page_setup(ws, sum(widths), note)


def _write_column(ws, formats: _Formats, idx: int, column: Column) -> int:
    """Header and cells of one column; returns the column's width."""
    width = max(column.width, _header_width(column.header)) + 2
    width = min(max(width, MIN_WIDTH), MAX_WIDTH)
    ws.set_column(idx, idx, width)
    ws.write_string(0, idx, column.header, formats.get(**HEADER))
    cells = zip(column.values, _looks(formats, column), strict=True)
    for row, (value, look) in enumerate(cells, start=1):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            ws.write_string(row, idx, value, look)
        else:
            ws.write_number(row, idx, value, look)
    return width


def _looks(formats: _Formats, column: Column) -> list:
    """The format of each cell: number formats, 是/否 centred, long text wrapped."""
    if column.kind == "number":
        return [formats.get(num_format=f) if f else None for f in column.num_formats]
    if column.kind == "yes_no":
        look = formats.get(align="center")
    else:
        look = formats.get(text_wrap=column.width + 2 > MAX_WIDTH)
    return [look] * len(column.values)


def _readable(path: Path) -> None:
    """Give a finished export the permissions of an ordinary new file."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _format(formats: _Formats, ws, columns: list[Column], rows: int) -> None:
    """Frozen header and first columns, auto-filter, status cells coloured."""
    ws.freeze_panes(1, 2)
    if columns:
        ws.autofilter(0, 0, rows, len(columns) - 1)
    # Codes are text on purpose (leading zeros, 12 digits): no green warnings.
    ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
    headers = [c.header for c in columns]
    if "状态" not in headers or not rows:
        return
    col = headers.index("状态")
    for text, colour in STATUS_FILLS.items():
        ws.conditional_format(
            1,
            col,
            rows,
            col,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{text}"',
                "format": formats.book.add_format({"bg_color": f"#{colour}"}),
            },
        )


def _page_setup(ws, width: int, note: str | None) -> None:
    """Landscape, one page wide, header row on every page, page x of y below."""
    ws.set_landscape()
    ws.set_paper(PAPER["A3" if width > WIDE_SHEET else "A4"])
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.hide_gridlines(0)  # gridlines printed, so rows can be followed on paper
    ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
    ws.set_footer(FOOTER)
    if note:
        ws.set_header('&C&"-,Bold"&KC00000' + note.replace("&", "&&"))


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
    if isinstance(value, (bool, np.bool_)):
        return YES_NO[bool(value)]
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


def sample_note(report, project=None) -> str | None:
    """The sample-data note when the report rests on generated layers."""
    if project is not None:
        generated = project.has_generated_data
    else:
        source = report.villages.get("source")
        generated = source is not None and bool((source == GENERATED_SOURCE).any())
    return SAMPLE_NOTE if generated else None


def export_tables(report, out_path, project=None) -> Path:
    """The gap report as an .xlsx workbook: the poor-village list, then every table."""
    inputs = project_inputs(project) if project is not None else ()
    sheets = {"贫困村差距清单": poor_village_list(report)}
    for name, frame in report.tables_zh().items():
        sheets.setdefault(name, frame)
    return write_sheets(sheets, out_path, inputs, note=sample_note(report, project))

"""The gap lists as a planning officer opens and prints them in Excel.

Small tables made here check each rule of the look (是/否, rounding, number
formats, filter, print set-up); the sample project's full workbook checks that
every sheet of the real export follows them.
"""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gisapp.export.tables import SAMPLE_NOTE, export_tables, write_sheets

A4, A3 = 9, 8


def written(tmp_path, sheets, **kwargs):
    path = write_sheets(sheets, tmp_path / "清单.xlsx", **kwargs)
    return load_workbook(path)


def column(ws, header):
    """The cells under ``header`` in the first row."""
    headers = [c.value for c in ws[1]]
    idx = headers.index(header) + 1
    return [ws.cell(row, idx) for row in range(2, ws.max_row + 1)]


def width(ws, idx: int) -> float:
    """A column's width, also when openpyxl read it as part of a group."""
    for dim in ws.column_dimensions.values():
        if dim.min and dim.min <= idx <= dim.max:
            return dim.width
    return ws.column_dimensions[get_column_letter(idx)].width


def test_yes_and_no_read_是_否_and_unknown_stays_blank(tmp_path):
    frame = pd.DataFrame(
        {
            "村代码": ["420802100201", "420802100202", "420802100203"],
            "通客车": [True, False, True],
            "已摘帽": pd.array([True, None, False], dtype="boolean"),
            "危桥": [False, None, True],
        }
    )
    ws = written(tmp_path, {"村级差距": frame}).active
    assert [c.value for c in column(ws, "通客车")] == ["是", "否", "是"]
    assert [c.value for c in column(ws, "已摘帽")] == ["是", None, "否"]
    assert [c.value for c in column(ws, "危桥")] == ["否", None, "是"]
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert not [v for v in cells if isinstance(v, bool) or v in ("TRUE", "FALSE")]


def test_numbers_are_rounded_to_their_unit_and_stay_numbers(tmp_path):
    frame = pd.DataFrame(
        {
            "乡镇名称": ["栗溪镇", "子陵铺镇"],
            "农村人均可支配收入(元)": [14298.19245065368, 12350.5],
            "村集体经济收入(万元)": [9.655, 120.0],
            "安全饮水覆盖率(%)": [87.84, 100.0],
            "贫困村达标比例": [0.93812, 0.1],
            "贫困人口": [5446.0, 12178.0],
            "年度": [2015, 2016],
            "村组道路(公里)": [96.49199999999999, 0.6364],
            "经度": [112.1944351234, 112.5],
        }
    )
    ws = written(tmp_path, {"乡镇汇总": frame}).active
    expected = {
        "农村人均可支配收入(元)": ([14298, 12351], "#,##0"),
        "村集体经济收入(万元)": ([9.66, 120.0], "#,##0.00"),
        "安全饮水覆盖率(%)": ([87.8, 100.0], "0.0"),
        "贫困村达标比例": ([0.938, 0.1], "0.0%"),
        "贫困人口": ([5446, 12178], "#,##0"),
        "年度": ([2015, 2016], "0"),
        "村组道路(公里)": ([96.492, 0.636], "#,##0.000"),
        "经度": ([112.194435, 112.5], "0.000000"),
    }
    for header, (values, number_format) in expected.items():
        cells = column(ws, header)
        assert [c.value for c in cells] == values, header
        assert {c.number_format for c in cells} == {number_format}, header
        assert {c.data_type for c in cells} == {"n"}, header
    assert all(isinstance(c.value, int) for c in column(ws, "贫困人口"))


def test_a_column_shows_only_the_decimals_it_needs(tmp_path):
    frame = pd.DataFrame(
        {
            "距离(米)": [1.623, 1211.555],
            "距管网/水厂(米)": [2194.0, 0.0],
            "桥长(米)": [44.7, 20.0],
            "危房户数": [3, 1200],
        }
    )
    ws = written(tmp_path, {"路网修正": frame}).active
    assert [c.value for c in column(ws, "距离(米)")] == [1.62, 1211.56]
    assert column(ws, "距离(米)")[0].number_format == "#,##0.00"
    assert column(ws, "距管网/水厂(米)")[0].number_format == "#,##0"
    assert column(ws, "桥长(米)")[0].number_format == "#,##0.0"
    assert column(ws, "危房户数")[1].number_format == "#,##0"


def test_a_column_of_mixed_units_shows_each_figure_as_it_is(tmp_path):
    changes = pd.DataFrame(
        {"变化": ["贫困村销号", "道路硬化", "易地搬迁"], "数量": [1.0, 0.7054, 1200.0]}
    )
    ws = written(tmp_path, {"变化清单": changes}).active
    cells = column(ws, "数量")
    assert [c.value for c in cells] == [1, 0.705, 1200]
    assert [c.number_format for c in cells] == ["#,##0", "#,##0.000", "#,##0"]


def test_codes_stay_text(tmp_path):
    frame = pd.DataFrame({"村代码": ["420802100201"], "序号": ["1"], "数值": ["10"]})
    ws = written(tmp_path, {"规则": frame}).active
    assert [c.data_type for c in ws[2]] == ["s", "s", "s"]
    assert ws["A2"].value == "420802100201"


def test_every_sheet_has_a_filter_and_prints_its_header_on_each_page(tmp_path):
    villages = pd.DataFrame(
        {
            "村代码": ["1", "2", "3"],
            "村名": ["栗溪村", "马集村", "胡畈村"],
            "贫困户数": [1, 2, 3],
        }
    )
    empty = pd.DataFrame({"代码": [], "名称": []})
    book = written(tmp_path, {"贫困村差距清单": villages, "电力待改造": empty})
    for ws, ref in zip(book.worksheets, ("A1:C4", "A1:B1"), strict=True):
        assert ws.auto_filter.ref == ref, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.freeze_panes == "C2", ws.title
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert setup.paperSize == A4, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, ws.title
        assert ws.oddFooter.left.text == "&A", ws.title
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
        assert ws.print_options.gridLines, ws.title
        assert not ws.oddHeader.center.text, "no note asked for, none printed"


def test_a_wide_sheet_prints_on_a3_and_a_narrow_one_on_a4(tmp_path):
    wide = pd.DataFrame({f"饮水补助{i}(元)": [1_381_600] for i in range(30)})
    narrow = pd.DataFrame({"安置点名称": ["栗溪集镇集中安置点"], "容纳户数": [143]})
    book = written(tmp_path, {"村级差距": wide, "安置点": narrow})
    assert book["村级差距"].page_setup.paperSize == A3
    assert book["安置点"].page_setup.paperSize == A4


def test_the_sample_note_is_printed_at_the_top_of_every_page(tmp_path):
    frame = pd.DataFrame({"村代码": ["1"], "数据来源": ["示例数据(程序生成)"]})
    book = written(tmp_path, {"甲": frame, "乙": frame}, note=SAMPLE_NOTE)
    for ws in book.worksheets:
        assert SAMPLE_NOTE in ws.oddHeader.center.text


def test_columns_fit_chinese_text_and_long_text_wraps(tmp_path):
    reason = "安全饮水覆盖率(%) 87.8(目标≥100),117人未覆盖；" * 4
    frame = pd.DataFrame(
        {
            "村名": ["栗树湾村"],
            "帮扶单位": ["东宝区民政局"],
            "差距说明": [reason],
            "通硬化路并连通县道": [True],
        }
    )
    ws = written(tmp_path, {"贫困村差距清单": frame}).active
    assert width(ws, 1) >= 8 + 2  # four characters, two units each
    assert width(ws, 2) >= 12 + 2
    assert 30 <= width(ws, 3) <= 51
    assert ws["C2"].alignment.wrap_text
    assert width(ws, 4) < 18, "a long header wraps instead of widening its column"
    assert ws["A1"].alignment.wrap_text and ws["A1"].font.b
    assert ws.row_dimensions[1].height >= 30, "room for the wrapped header"


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    """The sample project's lists as the battlemap command writes them."""
    from gisapp.analysis import analyse, load_rules
    from gisapp.model.project import load_project
    from gisapp.paths import SAMPLE_PROJECT

    project = load_project(SAMPLE_PROJECT)
    report = analyse(project, load_rules(project.rules))
    out = tmp_path_factory.mktemp("lists") / "贫困村差距清单.xlsx"
    export_tables(report, out, project)
    return load_workbook(out)


def test_the_sample_lists_read_是_否_and_print_well_on_every_sheet(sample_book):
    assert sample_book.sheetnames[0] == "贫困村差距清单"
    for ws in sample_book.worksheets:
        cells = [c for row in ws.iter_rows(min_row=2) for c in row]
        assert not [c.coordinate for c in cells if isinstance(c.value, bool)], ws.title
        assert ws.auto_filter.ref == ws.dimensions, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.freeze_panes == "C2", ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize in (A4, A3), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.oddFooter.left.text == "&A", ws.title
        assert SAMPLE_NOTE in ws.oddHeader.center.text, ws.title
    villages = sample_book["村级差距"]
    assert villages.page_setup.paperSize == A3
    assert {c.value for c in column(villages, "通客车")} == {"是", "否"}
    assert "示例数据(程序生成)" in {c.value for c in column(villages, "数据来源")}


def test_the_sample_summaries_show_whole_yuan_and_grouped_people(sample_book):
    townships = sample_book["乡镇汇总"]
    income = [c for c in column(townships, "农村人均可支配收入(元)") if c.value]
    assert income and all(isinstance(c.value, int) for c in income)
    assert {c.number_format for c in income} == {"#,##0"}
    people = column(townships, "贫困人口")
    assert {c.number_format for c in people} == {"#,##0"}
    share = column(townships, "贫困村达标比例")
    assert {c.number_format for c in share} == {"0.0%"}
    for ws in sample_book.worksheets:
        for cell in (c for row in ws.iter_rows(min_row=2) for c in row):
            if isinstance(cell.value, float):
                assert cell.value == round(cell.value, 6), (ws.title, cell.coordinate)
                assert cell.number_format != "General", (ws.title, cell.coordinate)

"""Tables as offices save them: tab-separated GBK text, Excel with a title row."""

from __future__ import annotations

import openpyxl
import pytest

from gisapp.data.readers import read_source


def test_tab_separated_gbk_text(tmp_path):
    path = tmp_path / "水厂.txt"
    text = "名称\t经度\t纬度\r\n石门坎村水厂\t112.2005\t31.0490\r\n岩脚水厂\t\t\r\n"
    path.write_bytes(text.encode("gbk"))
    loaded = read_source(path)[0]
    assert loaded.info.encoding == "gbk"
    assert list(loaded.frame.columns[:3]) == ["名称", "经度", "纬度"]
    assert loaded.frame.geometry.iloc[0].x == pytest.approx(112.2005)
    assert dict(loaded.info.row_issues) == {"3": "no coordinates"}


def test_excel_title_row_above_the_header(tmp_path):
    path = tmp_path / "登记表.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "水源点"
    sheet.append(["清溪镇水源点坐标登记表（2023年）"])
    sheet.merge_cells("A1:D1")
    sheet.append(["编号", "名称", "经度", "纬度"])
    sheet.append(["SY-01", "甲", "112°12′0″", "31°0′0″"])
    sheet.append(["SY-02", "乙", "112°13′0″", "31°1′60″"])
    book.save(path)
    loaded = read_source(path)[0]
    assert list(loaded.frame.columns[:4]) == ["编号", "名称", "经度", "纬度"]
    assert len(loaded.frame) == 2
    geom = loaded.frame.geometry.iloc[0]
    assert (geom.x, geom.y) == pytest.approx((112.2, 31.0))
    # Excel shows the bad value on row 4 (title, header, SY-01, SY-02).
    assert list(dict(loaded.info.row_issues)) == ["4"]
    assert "seconds 60" in dict(loaded.info.row_issues)["4"]


def test_every_sheet_is_offered(tmp_path):
    path = tmp_path / "台账.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由清溪镇填报"])
    data = book.create_sheet("村级台账")
    data.append(["村名", "户数"])
    data.append(["上坝村", 412])
    book.save(path)
    from gisapp.data.readers import list_layers

    assert list_layers(path) == ["说明", "村级台账"]
    loaded = read_source(path, "村级台账")[0]
    assert loaded.frame["村名"].tolist() == ["上坝村"]
    assert loaded.info.layer == "村级台账"
    note = read_source(path, "说明")[0]
    assert list(note.frame.columns) == ["本表由清溪镇填报"] and len(note.frame) == 0

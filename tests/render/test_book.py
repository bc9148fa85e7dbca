"""Township books: one page per township, rebuilt only where data changed."""

from __future__ import annotations

from printcheck import page_sizes_mm, text
from printfixtures import report_of
from pypdf import PdfReader

from gisapp.export.book import export_book


def test_one_page_per_township_with_its_own_legend(tiny_project, tmp_path):
    report = report_of(tiny_project)
    out = tmp_path / "图册.pdf"
    result = export_book(tiny_project, out, report=report, date="2016年5月1日")
    # The poor villages lie in 甲镇 (0, 2) and 乙镇 (4).
    assert result.pages == ["甲镇", "乙镇"]
    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    assert [o.title for o in reader.outline] == ["甲镇", "乙镇"]
    assert all(abs(w - 297) < 0.5 and abs(h - 420) < 0.5 for w, h in page_sizes_mm(out))
    first, _ = text(out, 1)
    second, _ = text(out, 2)
    assert "甲镇脱贫攻坚作战图" in first and "乙镇脱贫攻坚作战图" in second
    # Village cards of the page's own township only.
    assert "测试0村" in first and "市交通局" in first
    assert "市供电公司" not in first and "市供电公司" in second


def test_rerun_rebuilds_only_changed_pages(tiny_project, tmp_path):
    report = report_of(tiny_project)
    out = tmp_path / "book.pdf"
    first = export_book(tiny_project, out, report=report, date="2016年5月1日")
    assert first.rebuilt == ["甲镇", "乙镇"]
    again = export_book(tiny_project, out, report=report, date="2016年5月1日")
    assert again.rebuilt == [] and again.reused == ["甲镇", "乙镇"]
    # A change in 乙镇's village (4) changes only its page.
    village = tiny_project.first("village")
    village.frame.loc[4, "poor_people"] = 999
    village.changed()
    report = report_of(tiny_project)
    third = export_book(tiny_project, out, report=report, date="2016年5月1日")
    assert third.rebuilt == ["乙镇"] and third.reused == ["甲镇"]
    assert len(PdfReader(str(out)).pages) == 2


def test_village_book_one_page_per_poor_village(tiny_project, tmp_path):
    out = tmp_path / "村册.pdf"
    result = export_book(
        tiny_project,
        out,
        report=report_of(tiny_project),
        layout="village",
        page="A4",
        level="village",
    )
    # Poor villages 0, 2, 4 (is_poor on even numbers), ordered by township then name.
    assert result.pages == ["420800000000", "420800000002", "420800000004"]
    reader = PdfReader(str(out))
    assert len(reader.pages) == 3
    assert [o.title for o in reader.outline] == [
        "测试0村(420800000000)",
        "测试2村(420800000002)",
        "测试4村(420800000004)",
    ]
    first, _ = text(out, 1)
    assert "测试0村 村情图" in first

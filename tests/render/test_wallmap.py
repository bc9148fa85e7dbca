"""The battle map sheet: what it prints, checked in the produced files."""

from __future__ import annotations

import pytest
from printcheck import fonts, page_sizes_mm, text
from printfixtures import report_of

from gisapp.errors import ExportError
from gisapp.export.print_layout import load_layout, page_size_mm
from gisapp.export.print_sheet import SAMPLE_NOTE
from gisapp.export.wallmap import export_wallmap

# Legend rows for the tiny project, read off styles/*.toml and layers/*.toml by hand.
TINY_LEGEND = {
    ("贫困村 · 差距大", "point"),
    ("贫困村 · 有差距", "point"),
    ("贫困村 · 达标", "point"),
    ("非贫困村", "point"),
    ("乡镇", "point"),
    ("沥青路面(已硬化)", "line"),
    ("砂石路面(未硬化)", "line"),
    ("县市区界", "polygon"),
}


@pytest.mark.parametrize(
    ("page", "orientation", "size"),
    [
        ("A1", "landscape", (841, 594)),
        ("A3", "portrait", (297, 420)),
        ("1000x700", "landscape", (1000, 700)),
    ],
)
def test_page_sizes(tiny_project, tmp_path, page, orientation, size):
    out = export_wallmap(tiny_project, tmp_path / "m.pdf", page, orientation)
    ((w, h),) = page_sizes_mm(out)
    assert abs(w - size[0]) < 0.5 and abs(h - size[1]) < 0.5


def test_legend_has_exactly_the_classes_on_the_map(tiny_project, tmp_path):
    outcome = []
    out = export_wallmap(tiny_project, tmp_path / "m.pdf", "A2", outcome=outcome)
    legend = {(e.label, e.geom) for e in outcome[0].legend}
    assert legend == TINY_LEGEND
    copied, _ = text(out)
    for label, _ in TINY_LEGEND:
        assert label in copied


def test_legend_drops_classes_outside_the_map(tiny_project, tmp_path):
    """Hiding the roads removes both road rows; the villages' rows stay."""
    tiny_project.first("road").visible = False
    outcome = []
    export_wallmap(tiny_project, tmp_path / "m.pdf", "A3", outcome=outcome)
    labels = {e.label for e in outcome[0].legend}
    assert labels == {lab for lab, _ in TINY_LEGEND} - {
        "沥青路面(已硬化)",
        "砂石路面(未硬化)",
    }


def test_sheet_texts_fonts_and_sample_note(tiny_project, tmp_path):
    tiny_project.subtitle = "2016—2018年"
    tiny_project.office = "测试市扶贫办"
    out = export_wallmap(tiny_project, tmp_path / "m.pdf", "A1", date="2016年5月1日")
    copied, warnings = text(out)
    assert "Syntax" not in warnings
    for expected in (
        "测试作战图",
        "2016—2018年",
        "内部用图",
        "测试市扶贫办",
        "2016年5月1日",
        "CGCS2000",
        "比例尺",
        "图",
        "北",
        SAMPLE_NOTE[:6],
    ):
        assert expected in copied, expected
    # Poor-village labels are text in the PDF.
    assert "测试0村" in copied and "测试2村" in copied
    rows, _ = fonts(out)
    assert rows and all(r["emb"] == "yes" and r["uni"] == "yes" for r in rows)


def test_no_sample_note_for_surveyed_data(tiny_project, tmp_path):
    village = tiny_project.first("village")
    village.frame["source"] = "县扶贫办台账"
    out = export_wallmap(tiny_project, tmp_path / "m.pdf", "A3")
    copied, _ = text(out)
    assert "示例数据" not in copied


def test_report_tables_and_chart(tiny_project, tmp_path):
    report = report_of(tiny_project)
    out = export_wallmap(tiny_project, tmp_path / "m.pdf", "A1", report=report)
    copied, _ = text(out)
    # Township table: 甲镇 has poor villages 0 (red) and 2 (yellow, out in 2016);
    # 乙镇 has village 4 (green, out in 2017). Totals: 3 poor, 2 out.
    assert "贫困村目标与完成情况" in copied
    assert "甲镇" in copied and "乙镇" in copied and "合计" in copied
    assert "贫困村出列进度" in copied
    # The default rules plan 70 villages a year (70, 140, 210 cumulative).
    assert "70个/年" in copied
    for year in ("2016年", "2017年", "2018年"):
        assert year in copied


def test_without_report_no_tables(tiny_project, tmp_path):
    out = export_wallmap(tiny_project, tmp_path / "m.pdf", "A1")
    copied, _ = text(out)
    assert "贫困村目标与完成情况" not in copied and "贫困村出列进度" not in copied


def test_bad_input_names_the_fix_and_keeps_user_file(tiny_project, tmp_path):
    out = tmp_path / "m.pdf"
    out.write_bytes(b"keep me")
    with pytest.raises(ExportError) as err:
        export_wallmap(tiny_project, out, "B7")
    assert "A0" in err.value.fix
    with pytest.raises(ExportError):
        export_wallmap(tiny_project, tmp_path / "m.docx")
    with pytest.raises(ExportError):
        export_wallmap(tiny_project, tmp_path / "missing" / "m.pdf")
    assert out.read_bytes() == b"keep me"


def test_layout_file_errors_and_copies(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[page]\nsize = "A3"\n[[item]]\ntype = "map"\nrect = [0, 0, 500, 100]\n',
        encoding="utf-8",
    )
    with pytest.raises(ExportError) as err:
        load_layout(bad)
    assert "does not lie on" in err.value.problem
    for name in ("city", "county", "township"):
        layout = load_layout(name)
        assert layout.first("map") is not None
    # A layout fitted to another page keeps its items inside the page.
    w, h = page_size_mm("A4", "landscape")
    fitted = load_layout("city").fitted(w, h)
    for item in fitted.items:
        x, y, iw, ih = item.rect
        assert x + iw <= w + 0.01 and y + ih <= h + 0.01


def test_png_export_is_the_page_at_dpi(tiny_project, tmp_path):
    from PyQt6.QtGui import QImage

    out = export_wallmap(tiny_project, tmp_path / "m.png", "A4", "portrait", dpi=100)
    img = QImage(str(out))
    # 210 × 297 mm at 100 dpi = 826.8 × 1169.3 → 827 × 1169 pixels.
    assert (img.width(), img.height()) == (827, 1169)
    assert round(img.dotsPerMeterX() * 0.0254) == 100


def test_progress_reported_and_cancel_leaves_nothing(tiny_project, tmp_path):
    shares = []
    out = export_wallmap(
        tiny_project,
        tmp_path / "m.png",
        "A4",
        dpi=150,
        progress=lambda share, text: shares.append(share),
    )
    assert out.exists() and shares[-1] == 1.0
    known = [s for s in shares if s is not None]
    assert known == sorted(known)
    with pytest.raises(ExportError):
        export_wallmap(tiny_project, tmp_path / "c.pdf", "A4", cancel=lambda: True)
    with pytest.raises(ExportError):
        export_wallmap(
            tiny_project, tmp_path / "c.png", "A4", dpi=150, cancel=lambda: True
        )
    assert not (tmp_path / "c.pdf").exists() and not (tmp_path / "c.png").exists()
    assert not list(tmp_path.glob(".*partial*"))


def test_county_sheet_by_name_and_unknown_names(tiny_project, tmp_path):
    report = report_of(tiny_project)
    out = export_wallmap(
        tiny_project,
        tmp_path / "c.pdf",
        "A2",
        report=report,
        layout="county",
        area="测试县",
    )
    copied, _ = text(out)
    assert "测试县精准脱贫作战图" in copied
    with pytest.raises(ExportError) as err:
        export_wallmap(
            tiny_project, tmp_path / "x.pdf", "A2", layout="county", area="无此县"
        )
    assert "测试县" in err.value.fix
    with pytest.raises(ExportError) as err:
        export_wallmap(
            tiny_project, tmp_path / "y.pdf", "A3", layout="township", area="丙镇"
        )
    assert "甲镇" in err.value.fix

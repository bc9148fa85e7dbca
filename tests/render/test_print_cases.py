"""Cases 28 (Chinese fonts embedded in an A1 PDF) and 29 (A0 at high dpi)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from printcheck import fonts, image_count, page_sizes_mm, text, tiff_tags
from pypdf import PdfReader

from gisapp.errors import ExportError
from gisapp.export.print_raster import estimate
from gisapp.export.wallmap import export_wallmap
from gisapp.model.project import load_project

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def case28(cases_dir):
    return cases_dir / "28-print-pdf-font-embedding"


@pytest.fixture
def case29(cases_dir):
    return cases_dir / "29-print-a0-pixel-limits"


def test_case28_a1_pdf_embeds_fonts_and_text_copies_out(case28, tmp_path):
    layout = json.loads((case28 / "layout.json").read_text(encoding="utf-8"))
    project = load_project(case28 / "villages_print.geojson")
    project.title = layout["title"]
    out = tmp_path / layout["output"]
    export_wallmap(
        project,
        out,
        page=layout["page"]["size"],
        orientation=layout["page"]["orientation"],
    )
    rows, warnings = fonts(out)
    assert rows, "the PDF lists no fonts"
    assert all(r["emb"] == "yes" and r["uni"] == "yes" for r in rows), rows
    assert all(r["sub"] == "yes" for r in rows), rows  # subsets, tagged as such
    # The cross-reference table still points at every object after tagging.
    reader = PdfReader(str(out), strict=True)
    numbers = [n for n in reader.xref[0] if n > 0]
    assert numbers
    for num in numbers:
        assert reader.get_object(num) is not None
    assert "Syntax" not in warnings and "Mismatch" not in warnings
    copied, warnings = text(out)
    assert "Syntax" not in warnings
    assert layout["title"] in copied
    # The village names of the file are printed as text, not outlines.
    assert "上坝村" in copied or "岩脚村" in copied or layout["title"] in copied
    ((w, h),) = page_sizes_mm(out)
    assert abs(w - layout["page"]["width_mm"]) < 0.5
    assert abs(h - layout["page"]["height_mm"]) < 0.5
    assert image_count(out) == 0  # nothing was rasterised


def test_case29_estimates_match_the_print_jobs(case29):
    jobs = json.loads((case29 / "print_jobs.json").read_text(encoding="utf-8"))["jobs"]
    for job in jobs:
        est = estimate(job["width_mm"], job["height_mm"], job["dpi"])
        assert [est.width_px, est.height_px] == job["pixels_if_rasterised"]
        assert est.full_image_bytes == job["rgba_bytes_if_rasterised"]
        assert est.strip_bytes < 128 * 2**20  # tiled: the pixels in memory stay small


def test_case29_refuses_what_cannot_fit_and_names_the_fix(case29, tmp_path):
    project = load_project(case29 / "villages_print.geojson")
    out = tmp_path / "a0.tif"
    out.write_bytes(b"user file")
    with pytest.raises(ExportError) as err:
        export_wallmap(project, out, "A0", "portrait", dpi=1200, max_memory_mb=200)
    assert "PDF" in err.value.message()
    assert out.read_bytes() == b"user file"  # nothing overwritten
    assert not list(tmp_path.glob(".*partial*"))


def test_case29_pdf_size_does_not_depend_on_dpi(case29, tmp_path):
    project = load_project(case29 / "villages_print.geojson")
    sizes = []
    for dpi in (300, 1200):
        out = tmp_path / f"a0_{dpi}.pdf"
        export_wallmap(project, out, "A0", "portrait", dpi=dpi, date="2023年11月1日")
        assert image_count(out) == 0
        sizes.append(out.stat().st_size)
        ((w, h),) = page_sizes_mm(out)
        assert (round(w), round(h)) == (841, 1189)
    assert abs(sizes[0] - sizes[1]) / sizes[0] < 0.25


def test_case29_a0_tiff_at_300_dpi_is_exact_and_bounded(case29, tmp_path):
    """The TIFF is 9933 × 14043 px with 300 dpi written; peak memory stays small."""
    out = tmp_path / "a0.tif"
    script = textwrap.dedent(f"""
        import os
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from gisapp.export.wallmap import export_wallmap
        from gisapp.model.project import load_project
        p = load_project({str(case29 / "villages_print.geojson")!r})
        export_wallmap(p, {str(out)!r}, "A0", "portrait", dpi=300)
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM"):
                print(line.split()[1])
    """)
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    peak_mb = int(run.stdout.split()[-1]) / 1024
    job = json.loads((case29 / "print_jobs.json").read_text(encoding="utf-8"))["jobs"][
        0
    ]
    tags = tiff_tags(out)
    assert [tags[256], tags[257]] == job["pixels_if_rasterised"]
    assert tags[282] == pytest.approx(300) and tags[283] == pytest.approx(300)
    assert tags[296] == 2  # inches
    # One RGBA image of the sheet would be 532 MB; tiles keep far below it.
    assert peak_mb < job["rgba_bytes_if_rasterised"] / 2**20

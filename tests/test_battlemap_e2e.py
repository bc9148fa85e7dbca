"""A planning officer's day end to end: real Jingmen files plus the generated layers,
through the battlemap command, checked by the content of the three products."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "jingmen" / "project.toml"

pytestmark = pytest.mark.slow


def generated_files() -> list[Path]:
    """The sample project's generated layer files (its real copies left out)."""
    with SAMPLE.open("rb") as fh:
        raw = tomllib.load(fh)
    paths = []
    for entry in raw["layers"]:
        path = (SAMPLE.parent / entry["path"]).resolve()
        if (
            "real" not in path.relative_to(SAMPLE.parent.resolve()).parts
            and path not in paths
        ):
            paths.append(path)
    return paths


@pytest.fixture(scope="module")
def battlemap(tmp_path_factory, jingmen_dir):
    """Run the command once on the shared real data plus the generated layers."""
    out = tmp_path_factory.mktemp("battlemap")
    real = sorted(
        p for p in jingmen_dir.iterdir() if p.suffix in (".gpkg", ".geojson", ".csv")
    )
    files = [str(p) for p in real + generated_files()]
    proc = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "battlemap", *files, "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return out, proc


def embedded_font_sizes(pdf: Path) -> list[tuple[str, int]]:
    """Name and size of every embedded font program in a PDF."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                descriptor = desc.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        data = descriptor[key].get_object().get_data()
                        out.append((str(font["/BaseFont"]), len(data)))
    assert out, "no embedded font programs"
    return out


def poor_villages() -> list[tuple[str, str]]:
    from gisapp.model.project import load_project

    project = load_project(SAMPLE)
    frame = project.frame_of("village")
    poor = frame[frame["is_poor"].fillna(False).astype(bool)]
    return list(zip(poor["code"], poor["name"], strict=True))


def test_wall_map_is_a1_with_embedded_chinese_fonts(battlemap):
    out, _ = battlemap
    pdf = next(out.glob("*.pdf"))
    from pypdf import PdfReader

    page = PdfReader(pdf).pages[0]
    w_mm = float(page.mediabox.width) / 72 * 25.4
    h_mm = float(page.mediabox.height) / 72 * 25.4
    assert sorted((round(w_mm), round(h_mm))) == [594, 841]
    if shutil.which("pdffonts"):
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True
        ).stdout
        rows = fonts.splitlines()[2:]
        assert rows, "no fonts in the PDF: text was turned into outlines"
        assert all(re.search(r"Identity-H\s+yes\b", row) for row in rows), fonts
    for name, size in embedded_font_sizes(pdf):
        assert size < 2_000_000, f"{name} is embedded whole ({size} bytes), not subset"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "示例数据" in text
    assert "荆门" in text


def test_web_map_holds_every_poor_village_and_loads_nothing(battlemap):
    out, _ = battlemap
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    for code, name in poor_villages():
        assert code in html, f"poor village {name} ({code}) missing from the web map"
    loaded = re.findall(r"<(?:script|link)[^>]+(?:src|href)=[\"'](https?:)?//", html)
    assert not loaded, "the web map loads files from the network"
    assert "示例数据" in html


def test_gap_list_has_one_filled_row_per_poor_village(battlemap):
    out, _ = battlemap
    book = load_workbook(next(out.glob("*.xlsx")), read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 210
    codes = {str(r[header.index("村代码")]) for r in body}
    assert codes == {c for c, _ in poor_villages()}
    status = header.index("状态")
    assert {r[status] for r in body} <= {"差距大", "有差距", "达标"}
    for col, name in enumerate(header):
        filled = sum(1 for r in body if r[col] not in (None, ""))
        assert filled == len(body) or name in ("差距说明",), f"column {name} has gaps"


def test_real_data_alone_loads_and_reports_what_it_lacks(tmp_path, jingmen_dir):
    """The public files hold no village positions: check says so in one line."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "check", str(jingmen_dir)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert proc.returncode == 2, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "village" in lines[0] and "villages_nbs2023.csv" in lines[0]


def test_real_data_alone_makes_a_wall_map(tmp_path, jingmen_dir):
    """Boundaries, rivers, seats and OpenStreetMap substations print without villages."""
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "main.py"),
            "battlemap",
            str(jingmen_dir),
            "-o",
            str(tmp_path),
            "--only",
            "pdf",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    pdf = next(tmp_path.glob("*.pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "荆门市" in text
    assert "示例数据" not in text  # nothing generated is shown
    assert "© OpenStreetMap contributors" in text  # ODbL asks for the credit

"""The command line as an officer or a script uses it: help, inspect, check, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "jingmen" / "project.toml"


def run(*args, timeout=300):
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def test_help_names_every_command():
    proc = run("--help")
    assert proc.returncode == 0
    for command in (
        "battlemap",
        "inspect",
        "check",
        "webmap",
        "book",
        "poster",
        "changes",
        "animate",
    ):
        assert command in proc.stdout


def test_inspect_says_how_a_gbk_shapefile_was_read(cases_dir):
    shp = cases_dir / "01-shp-gbk-no-cpg" / "b_ldid_00" / "villages.shp"
    proc = run("inspect", shp, "--json")
    assert proc.returncode == 0, proc.stderr
    layer = json.loads(proc.stdout)["layers"][0]
    assert layer["encoding"].lower() in ("gbk", "gb18030", "cp936")
    assert layer["kind"] == "village"
    assert layer["mapping"]["CUNMING"] == "name"
    assert layer["feature_count"] == 10
    assert len(layer["extent"]) == 4


def test_inspect_text_output_names_crs_and_fields(jingmen_dir):
    proc = run("inspect", jingmen_dir / "townships.csv")
    assert proc.returncode == 0, proc.stderr
    assert "EPSG:4490" in proc.stdout
    assert "assumed" in proc.stdout
    assert "nbs2023_code → code" in proc.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["inspect", "没有这个文件.shp"], ["没有这个文件.shp", "does not exist"]),
        (["inspect", REPO / "README.md"], ["README.md", "not supported", ".md"]),
        (["check", REPO / "no_such_project.toml"], ["no_such_project.toml"]),
    ],
)
def test_bad_input_gives_one_line_with_the_file_and_the_fix(args, words):
    proc = run(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0]
    assert "fix" in lines[0]


def test_check_lists_the_210_poor_villages_with_status():
    proc = run("check", SAMPLE, "--json")
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert len(payload["villages"]) == 210
    assert {v["gap_status"] for v in payload["villages"]} <= {"red", "yellow", "green"}
    assert payload["rules"].startswith("jingmen-2016")
    assert payload["townships"]


def test_battlemap_refuses_to_write_over_an_input(tmp_path):
    layer = tmp_path / "贫困村差距清单.xlsx"
    layer.write_bytes(b"not really a workbook")
    (tmp_path / "villages.csv").write_text(
        "村代码,村名,经度,纬度\n420802100201,栗溪村,112.0,31.2\n", encoding="utf-8"
    )
    proc = run(
        "battlemap", tmp_path / "villages.csv", layer, "-o", tmp_path, "--only", "xlsx"
    )
    assert proc.returncode != 0
    assert layer.read_bytes() == b"not really a workbook"


def test_changes_between_two_periods_writes_map_and_list(tmp_path):
    proc = run("changes", SAMPLE, "--from", "2015", "--to", "2016", "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    from openpyxl import load_workbook

    pdf = next(tmp_path.glob("*.pdf"))
    assert pdf.stat().st_size > 10_000
    sheet = load_workbook(next(tmp_path.glob("*.xlsx")), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    changes = [r[0] for r in rows[1:]]
    assert changes.count("贫困村销号") == 70

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


# Bad input an office really produces; each gives exit 2 and one line that names
# the file, the problem, the value and the fix.


def one_line(proc, *words):
    """The one error line of a run that exited 2, checked for ``words``."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for word in (*words, "fix"):
        assert word in lines[0], lines[0]
    return lines[0]


def write_villages(folder: Path, **columns) -> Path:
    """A village layer of three villages as a GeoPackage in ``folder``."""
    import geopandas as gpd
    import shapely

    data = {
        "村代码": ["420802100201", "420802100202", "420802101201"],
        "村名": ["栗溪村", "双河村", "石桥村"],
        "乡镇": ["栗溪镇", "栗溪镇", "子陵铺镇"],
        "贫困村": ["是", "是", "否"],
        **columns,
    }
    frame = gpd.GeoDataFrame(
        data,
        geometry=shapely.points([112.00, 112.02, 112.20], [31.27, 31.25, 31.13]),
        crs="EPSG:4490",
    )
    path = folder / "行政村.gpkg"
    frame.to_file(path)
    return path


PROJECT_HEAD = """[project]
title = "栗溪镇挂图作战"

[[layers]]
path = "行政村.gpkg"
kind = "village"
name = "行政村"
"""


def test_a_shapefile_without_its_dbf_is_refused_and_inspect_says_why(tmp_path):
    import geopandas as gpd
    import shapely

    shp = tmp_path / "村委会.shp"
    gpd.GeoDataFrame(
        {"村名": ["栗溪村"]}, geometry=shapely.points([112.0], [31.2]), crs="EPSG:4490"
    ).to_file(shp)
    shp.with_suffix(".dbf").unlink()
    one_line(run("check", shp), "村委会.shp", "村委会.dbf", ".dbf")
    proc = run("battlemap", shp, "-o", tmp_path / "out")
    one_line(proc, "村委会.dbf")
    assert not (tmp_path / "out").exists()
    proc = run("inspect", shp)
    assert proc.returncode == 0, proc.stderr
    assert ".dbf file is missing" in proc.stdout


def test_a_period_list_without_codes_is_refused(tmp_path):
    import pandas as pd

    write_villages(tmp_path)
    pd.DataFrame({"村名": ["栗溪村"], "是否出列": ["是"]}).to_excel(
        tmp_path / "2016年台账.xlsx", index=False
    )
    (tmp_path / "project.toml").write_text(
        PROJECT_HEAD + '\n[[periods]]\nname = "2016"\npath = "2016年台账.xlsx"\n',
        encoding="utf-8",
    )
    one_line(run("check", tmp_path), "2016年台账.xlsx", "2016", "村名, 是否出列")


def test_a_list_joined_by_name_says_so(tmp_path):
    write_villages(tmp_path)
    (tmp_path / "台账.csv").write_text(
        "村名,乡镇,贫困户数\n栗溪村,栗溪镇,12\n石桥村,子陵铺镇,7\n", encoding="utf-8"
    )
    (tmp_path / "project.toml").write_text(
        PROJECT_HEAD + '\n[[layers]]\npath = "台账.csv"\nkind = "village"\n'
        'join = "village"\n',
        encoding="utf-8",
    )
    proc = run("check", tmp_path, "--json")
    assert proc.returncode == 0, proc.stderr
    said = [m for m in json.loads(proc.stdout)["messages"] if m.startswith("台账.csv")]
    assert any("按乡镇内村名关联到「行政村」2 行" in m for m in said), said
    assert not any("按代码关联" in m for m in said), said


@pytest.mark.parametrize(
    "encoding, said",
    [("gbk", "GBK"), ("utf-8-sig", None), ("utf-16", "UTF-16")],
    ids=["ansi", "utf-8-bom", "unicode"],
)
def test_a_project_file_saved_by_notepad_is_read(tmp_path, encoding, said):
    write_villages(tmp_path)
    text = PROJECT_HEAD.replace("\n", "\r\n")
    (tmp_path / "project.toml").write_bytes(text.encode(encoding))
    proc = run("check", tmp_path / "project.toml", "--json")
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert [v["name"] for v in payload["villages"]] == ["栗溪村", "双河村"]
    notes = [m for m in payload["messages"] if m.startswith("project.toml")]
    if said:  # the text was not UTF-8: the messages say how it was read
        assert any(said in m and "UTF-8" in m for m in notes), notes
    else:
        assert not notes, notes


def test_a_project_file_that_is_not_text_is_refused(tmp_path):
    (tmp_path / "project.toml").write_bytes(bytes(range(256)) * 4)
    one_line(run("check", tmp_path / "project.toml"), "project.toml", "UTF-8")


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    taken = tmp_path / "成果.pdf"
    taken.write_bytes(b"last year's map")
    line = one_line(run("battlemap", SAMPLE, "-o", taken), "成果.pdf", "is a file")
    assert str(taken) in line
    assert taken.read_bytes() == b"last year's map"


def test_an_internal_error_exits_3_with_and_without_verbose():
    code = (
        "import sys, gisapp.cli as cli\n"
        "def broken(args):\n"
        "    raise ZeroDivisionError('division by zero')\n"
        "cli.COMMAND_FUNCTIONS['check'] = broken\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    for flags in ([], ["-v"]):
        proc = subprocess.run(
            [sys.executable, "-c", code, *flags, "check", SAMPLE],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        assert proc.returncode == 3, (flags, proc.stderr)
        assert "internal error: ZeroDivisionError" in proc.stderr
    assert "Traceback" in proc.stderr  # -v shows the maintainer where


@pytest.mark.parametrize(
    "text, words",
    [
        ("", ["(empty file)", "[[layers]]"]),
        (PROJECT_HEAD.replace("[[layers]]", "[[layer]]"), ["did you mean [[layers]]"]),
    ],
    ids=["empty", "misspelt"],
)
def test_a_project_file_without_layers_names_the_cause(tmp_path, text, words):
    write_villages(tmp_path)
    (tmp_path / "project.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    one_line(run("battlemap", tmp_path, "-o", out), "project.toml", *words)
    assert not out.exists()


def test_a_failed_battlemap_leaves_no_outputs_and_keeps_earlier_ones(tmp_path):
    # A list without places loads, but there is no map to draw it on.
    (tmp_path / "台账.csv").write_text(
        "村代码,村名,贫困户数\n420802100201,栗溪村,12\n", encoding="utf-8"
    )
    (tmp_path / "project.toml").write_text(
        '[[layers]]\npath = "台账.csv"\nkind = "village"\njoin = "village"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "作战图_A4.pdf"
    earlier.write_bytes(b"last week's wall map")
    one_line(run("battlemap", tmp_path, "-o", out, "--page", "A4"), "web map")
    assert [p.name for p in out.iterdir()] == ["作战图_A4.pdf"]
    assert earlier.read_bytes() == b"last week's wall map"
    one_line(run("battlemap", tmp_path, "-o", tmp_path / "新" / "out"), "web map")
    assert not (tmp_path / "新").exists()


def test_a_missing_project_file_is_named_with_its_full_path(tmp_path):
    missing = tmp_path / "项目" / "project.toml"
    one_line(run("check", missing), str(missing), "does not exist")


def test_the_window_without_a_display_says_what_to_do():
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux needs a display server")
    proc = subprocess.run(
        [sys.executable, str(REPO / "main.py"), str(SAMPLE)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    one_line(proc, "display", "xvfb-run", "battlemap")


def test_an_earlier_map_open_elsewhere_keeps_the_whole_earlier_set(
    tmp_path, monkeypatch
):
    import os

    from gisapp.errors import ExportError
    from gisapp.export import safety

    targets = {"pdf": tmp_path / "作战图_A1.pdf", "xlsx": tmp_path / "清单.xlsx"}
    for path in targets.values():
        path.write_bytes(b"earlier " + path.name.encode())
    replace = os.replace

    def locked(src, dst):  # Windows refuses to move a file a PDF reader holds
        if Path(src) == targets["xlsx"]:
            raise PermissionError(13, "Permission denied")
        replace(src, dst)

    monkeypatch.setattr(safety.os, "replace", locked)
    with pytest.raises(ExportError, match="cannot be replaced") as err:
        with safety.written_together(targets) as staged:
            for path in staged.values():
                path.write_bytes(b"new")
    assert err.value.path == targets["xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["作战图_A1.pdf", "清单.xlsx"]
    for path in targets.values():
        assert path.read_bytes() == b"earlier " + path.name.encode()


def test_changes_leave_nothing_when_the_list_cannot_be_written(tmp_path, monkeypatch):
    import gisapp.export.tables as tables
    from gisapp.cli import main

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tables, "write_sheets", full_disk)
    out = tmp_path / "out"
    out.mkdir()
    (out / "旧文件.txt").write_text("keep", encoding="utf-8")
    code = main(
        ["changes", str(SAMPLE), "--from", "2015", "--to", "2016", "-o", str(out)]
    )
    assert code != 0
    assert sorted(p.name for p in out.iterdir()) == ["旧文件.txt"]
    assert (out / "旧文件.txt").read_text(encoding="utf-8") == "keep"

"""The campaign over time on paper and in briefings: at_period, change map and
table, animation. Expected figures: 70 villages a year (the plan), the 4 villages
of the sample that fall back in 2017, and the 2017 road list read on its own.
"""

from __future__ import annotations

import os
import subprocess

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pandas as pd
import pytest

from gisapp.errors import ExportError, ProjectError
from gisapp.export.timeline import (
    at_period,
    change_table,
    export_animation,
    export_change_map,
)
from gisapp.model.project import Project, load_project
from gisapp.paths import SAMPLE_PROJECT
from gisapp.render.fonts import ensure_app

ROADS_2017 = SAMPLE_PROJECT.parent / "periods" / "2017年道路硬化台账.xlsx"


@pytest.fixture(scope="module")
def project():
    ensure_app()
    return load_project(SAMPLE_PROJECT)


def _attributes(project):
    return {
        layer.id: layer.frame.drop(columns="geometry").copy()
        for layer in project.layers
    }


def test_at_period_shows_the_period_and_restores_everything(project):
    before = _attributes(project)
    with at_period(project, "2018") as p:
        villages = p.first("village").frame
        poor = villages["is_poor"].astype(bool)
        assert int(villages.loc[poor, "exited"].astype(bool).sum()) == 210
        villages["gap_status"] = "green"
    after = _attributes(project)
    assert before.keys() == after.keys()
    for key, frame in before.items():
        pd.testing.assert_frame_equal(after[key], frame)
    assert "gap_status" not in project.first("village").frame


def test_at_period_restores_after_an_error(project):
    before = _attributes(project)
    with pytest.raises(RuntimeError), at_period(project, "2017"):
        exited = project.first("village").frame["exited"]
        assert int(exited.astype("boolean").fillna(False).sum()) == 136
        raise RuntimeError("stop")
    for key, frame in _attributes(project).items():
        pd.testing.assert_frame_equal(frame, before[key])


def test_change_table_2016_to_2017(project):
    table = change_table(project, "2016", "2017")
    assert list(table.columns) == [
        "变化",
        "代码/序号",
        "名称",
        "乡镇",
        "数量",
        "单位",
        "时期",
    ]
    assert (table["变化"] == "贫困村销号").sum() == 70
    assert (table["变化"] == "返贫重新纳入").sum() == 4
    assert (table["变化"] == "贫困乡镇摘帽").sum() == 3
    roads = pd.read_excel(ROADS_2017)
    km = (roads["止点桩号"] - roads["起点桩号"]).sum()
    hardened = table[table["变化"] == "道路硬化"]
    assert len(hardened) == len(roads)
    assert hardened["数量"].sum() == pytest.approx(km, abs=0.01)
    assert set(hardened["单位"]) == {"公里"}
    # The legend's order: villages first, then townships, roads, bridges.
    firsts = table.drop_duplicates("变化")["变化"].tolist()
    assert firsts[:4] == ["贫困村销号", "返贫重新纳入", "贫困乡镇摘帽", "道路硬化"]


def test_periods_must_exist_and_run_forward(project):
    with pytest.raises(ExportError, match="earlier"):
        change_table(project, "2018", "2016")
    with pytest.raises(ProjectError, match="no such period"):
        change_table(project, "2015", "2020")
    with pytest.raises(ExportError, match="no periods"):
        with at_period(Project(), "2016"):
            pass


def test_change_map_pdf_names_every_change_in_the_legend(project, tmp_path):
    out = tmp_path / "变化图.pdf"
    outcome = []
    export_change_map(project, "2016", "2017", out, page="A3", dpi=150, outcome=outcome)
    labels = {e.label for e in outcome[0].legend}
    for label in (
        "贫困村销号(脱贫出列)",
        "返贫重新纳入",
        "贫困乡镇摘帽",
        "道路硬化(期间完成)",
        "危桥改造(期间完成)",
    ):
        assert label in labels
    run = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = run.stdout.replace(" ", "")
    for words in (
        "2016年—2017年变化统计",
        "贫困村销号:70个",
        "返贫重新纳入:4个",
        "贫困乡镇摘帽:3个",
        "返贫重新纳入",
        "示例数据",
    ):
        assert words in text
    assert "gap_status" not in project.first("village").frame


def test_change_map_refuses_a_folder_and_keeps_files(project, tmp_path):
    keep = tmp_path / "图.docx"
    keep.write_bytes(b"user's file")
    with pytest.raises(ExportError):
        export_change_map(project, "2016", "2017", keep, page="A4", dpi=72)
    assert keep.read_bytes() == b"user's file"


def test_animation_has_one_frame_per_period(project, tmp_path):
    from PIL import Image, ImageSequence

    before = _attributes(project)
    gif = export_animation(project, tmp_path / "进展.gif", size=(800, 550))
    with Image.open(gif) as img:
        assert img.format == "GIF"
        assert img.n_frames == len(project.history.names()) == 4
        assert img.size == (800, 550)
        frames = [f.convert("RGB") for f in ImageSequence.Iterator(img)]
    # Frames differ: the villages change colour from one year to the next.
    assert frames[0].tobytes() != frames[-1].tobytes()
    for key, frame in _attributes(project).items():
        pd.testing.assert_frame_equal(frame, before[key])


def test_animation_as_png_frames_and_bad_names(project, tmp_path):
    folder = export_animation(project, tmp_path / "frames", size=(700, 480))
    names = sorted(p.name for p in folder.glob("*.png"))
    assert names == ["01_2015.png", "02_2016.png", "03_2017.png", "04_2018.png"]
    with pytest.raises(ExportError, match="gif"):
        export_animation(project, tmp_path / "进展.mp4")
    assert not (tmp_path / "进展.mp4").exists()
    with pytest.raises(ExportError, match="too small"):
        export_animation(project, tmp_path / "x.gif", size=(100, 80))


def test_wall_map_of_a_chosen_period(project, tmp_path):
    from gisapp.export.periods import period_view
    from gisapp.export.wallmap import export_wallmap

    legends = {}
    for name in ("2015", "2018"):
        outcome = []
        with period_view(project, name) as report:
            assert project.subtitle.startswith(f"{name}年状态")
            export_wallmap(
                project,
                tmp_path / f"{name}.pdf",
                page="A4",
                report=report,
                dpi=100,
                outcome=outcome,
            )
        legends[name] = {e.label for e in outcome[0].legend}
    # 2015: 98 poor villages far from target; 2018: all 210 meet the standards.
    assert "贫困村 · 差距大" in legends["2015"]
    assert "贫困村 · 差距大" not in legends["2018"]
    assert "贫困村 · 达标" in legends["2018"]
    assert not project.subtitle.startswith("2018")
    assert "gap_status" not in project.first("village").frame

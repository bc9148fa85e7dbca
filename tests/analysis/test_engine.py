"""``analyse`` on a small project made in code: tables, card, write-back, export."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.analysis import GapReport, analyse
from tests.analysis.helpers import X0, Y0, layer, project

KM = 1000.0


def _pt(x, y):
    return shapely.Point(X0 + x * KM, Y0 + y * KM)


def _ln(*pts):
    return shapely.LineString([(X0 + x * KM, Y0 + y * KM) for x, y in pts])


VILLAGE_ROW = {
    "township": "示例镇",
    "township_code": "420822100",
    "county": "沙洋县",
    "county_code": "420822",
    "population": 1000,
    "poor_people": 120,
    "collective_income": 6.0,
    "income_per_person": 9000.0,
    "safe_water_pct": 100.0,
    "power_living_upgraded": True,
    "power_production_upgraded": True,
    "has_clinic": True,
    "has_fibre": True,
    "has_bus": True,
    "dangerous_houses": 0,
    "relocation_households": 0,
}


@pytest.fixture()
def proj():
    villages = layer(
        "village",
        [
            {**VILLAGE_ROW, "code": "420822100201", "name": "东村", "is_poor": True},
            {
                **VILLAGE_ROW,
                "code": "420822100202",
                "name": "西村",
                "is_poor": True,
                "safe_water_pct": 90.0,
                "dangerous_houses": 3,
            },
            {**VILLAGE_ROW, "code": "420822100203", "name": "南村", "is_poor": False},
        ],
        [_pt(2, 3), _pt(6, 2), _pt(8, -1)],
    )
    roads = layer(
        "road",
        [
            {
                "code": "X001",
                "name": "县道",
                "road_class": "county",
                "surface": "asphalt",
            },
            {
                "code": "C001",
                "name": "东村路",
                "road_class": "village",
                "surface": "cement",
            },
            {
                "code": "C002",
                "name": "西村路",
                "road_class": "village",
                "surface": "gravel",
            },
            {
                "code": "C003",
                "name": "南村路",
                "road_class": "village",
                "surface": "cement",
            },
        ],
        [
            _ln((0, 0), (10, 0)),
            _ln((2, 0), (2, 3)),
            _ln((6, 0), (6, 2)),
            _ln((8, 0), (8, -1)),
        ],
    )
    bridges = layer(
        "bridge",
        [
            {"code": "B1", "name": "东桥", "condition_class": 4, "length_m": 25.0},
            {"code": "B2", "name": "南桥", "condition_class": 1},
        ],
        [_pt(2, 1), _pt(8, -0.5)],
    )
    towns = layer(
        "township",
        [
            {
                "code": "420822100",
                "name": "示例镇",
                "county": "沙洋县",
                "county_code": "420822",
                "is_poor": True,
                "budget_revenue_per_person": 400.0,
            }
        ],
        [_pt(5, 1)],
    )
    return project(villages, roads, bridges, towns)


@pytest.fixture()
def report(proj) -> GapReport:
    return analyse(proj, year=2016)


def test_one_row_per_village_with_identity_and_status(report):
    v = report.villages.set_index("code")
    assert list(v.index) == ["420822100201", "420822100202", "420822100203"]
    # 东村 has only a dangerous bridge on its route (no veto): yellow; 西村 has no
    # hardened road (veto): red.
    assert list(v["gap_status"]) == ["yellow", "red", "none"]
    assert v.loc["420822100201", "gap_reason"] == "通村路线上危桥(座) 1(目标≤0),危桥B1"
    assert v.loc["420822100203", "gap_reason"] == "非贫困村"
    assert report.rules_name == "jingmen-2016 v2016.1"


def test_village_gaps_and_costs(report):
    v = report.villages.set_index("code")
    east, west = v.loc["420822100201"], v.loc["420822100202"]
    assert east["road_hardened_connected"]
    assert east["dangerous_bridges"] == 1
    assert east["dangerous_bridge_codes"] == "B1"
    # 西村: 2 km of gravel at 400,000 yuan per km.
    assert not west["road_hardened_connected"]
    assert west["unhardened_km"] == pytest.approx(2.0)
    assert west["road_cost_yuan"] == pytest.approx(800_000)
    # 1,000 people at 90 %: 100 without water, 80,000 yuan.
    assert west["people_without_water"] == 100
    assert west["water_subsidy_yuan"] == 80_000
    assert west["dangerous_houses_cost_yuan"] == 150_000
    assert "需硬化2.0公里" in west["gap_reason"]
    assert "100人未覆盖" in west["gap_reason"]


def test_township_and_city_totals(report):
    t = report.townships.set_index("code").loc["420822100"]
    assert t["poor_villages"] == 2
    assert t["villages"] == 3
    assert (t["n_red"], t["n_yellow"]) == (1, 1)
    assert t["unhardened_km"] == pytest.approx(2.0)
    assert t["water_subsidy_yuan"] == 80_000
    city = report.city.iloc[0]
    assert city["rules"] == "jingmen-2016 v2016.1"
    assert city["road_cost_yuan"] == pytest.approx(800_000)
    assert city["poor_townships"] == 1
    county = report.county.set_index("county_code").loc["420822"]
    assert county["poor_villages"] == 2


def test_bridges_cut_off(report):
    b = report.bridges.set_index("code")
    assert b.loc["B1", "danger"] == "dangerous"
    assert b.loc["B1", "cut_off_villages"] == "东村"
    assert b.loc["B1", "rebuild_cost_yuan"] == pytest.approx(25 * 30_000)
    assert b.loc["B2", "danger"] == "safe"


def test_card_rows(report):
    card = report.card("420822100202")
    rows = {r["indicator"]: r for r in card}
    road = rows["通沥青(水泥)路"]
    assert road["value"] is False and road["target"] is True and road["passed"] is False
    assert road["clause"] == "十.1"
    water = rows["安全饮水覆盖率(%)"]
    assert (water["value"], water["target"], water["margin"]) == (90.0, 100.0, -10.0)
    assert rows["饮水补助(元)"]["value"] == 80_000
    assert rows["其中中央和省级(元)"]["value"] == 36_600
    assert rows["其中市县配套(元)"]["value"] == 43_400
    assert rows["状态"]["value"] == "差距大"
    assert all(
        set(r) >= {"indicator", "value", "target", "passed", "margin", "clause"}
        for r in card
    )


def test_card_for_an_unknown_code(report):
    with pytest.raises(Exception, match="no village has this code"):
        report.card("999")


def test_annotate_writes_the_styled_fields(report, proj):
    report.annotate(proj)
    village = proj.first("village").frame
    assert list(village["gap_status"]) == ["yellow", "red", "none"]
    assert list(proj.first("bridge").frame["danger"]) == ["dangerous", "safe"]


def test_tables_in_chinese(report):
    sheets = report.tables_zh()
    assert list(sheets) == [
        "村级差距",
        "乡镇汇总",
        "县市区汇总",
        "全市汇总",
        "年度进度",
        "电力待改造",
        "桥梁",
        "断头路",
        "路网修正",
        "安置点",
        "规则",
    ]
    village = sheets["村级差距"]
    for heading in (
        "村名",
        "状态",
        "差距说明",
        "待硬化里程(公里)",
        "饮水补助(元)",
        "其中中央和省级(元)",
    ):
        assert heading in village.columns
    assert "_layer" not in village.columns
    assert list(village["状态"]) == ["有差距", "差距大", "非贫困"]
    rules = sheets["规则"]
    assert (rules["规则文件"] == "jingmen-2016 v2016.1").all()
    assert "lon" not in sheets["断头路"].columns or "经度" in sheets["断头路"].columns


def test_project_without_villages_still_reports(proj):
    proj.layers = [lyr for lyr in proj.layers if lyr.kind.id != "village"]
    report = analyse(proj)
    assert report.villages.empty
    assert any("没有行政村" in n for n in report.notes)


def test_project_rules_setting_is_used(proj, tmp_path):
    text = (report_rules_path := analyse(proj).rules.path).read_text(encoding="utf-8")
    other = tmp_path / "other-2017.toml"
    other.write_text(
        text.replace('name = "jingmen-2016"', 'name = "other-2017"'), encoding="utf-8"
    )
    proj.rules = str(other)
    assert analyse(proj).rules_name == "other-2017 v2016.1"
    assert report_rules_path.name == "jingmen-2016.toml"
    assert np.isfinite(analyse(proj).villages["road_cost_yuan"]).all()


def test_without_roads_the_road_indicators_are_unknown():
    villages = layer(
        "village",
        [{**VILLAGE_ROW, "code": "420822100201", "name": "东村", "is_poor": True}],
        [_pt(0, 0)],
    )
    report = analyse(project(villages))
    row = report.villages.iloc[0]
    assert row["road_hardened_connected"] is pd.NA
    assert "缺数据:通沥青(水泥)路" in row["gap_reason"]
    # Only missing data, no failure: yellow, not red.
    assert row["gap_status"] == "yellow"
    assert any("没有道路图层" in n for n in report.notes)

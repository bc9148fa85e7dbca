"""The gap engine on the sample project of Jingmen: plausible, complete and quick."""

from __future__ import annotations

import time

import pytest

from gisapp.analysis import analyse
from gisapp.model.project import load_project
from gisapp.paths import SAMPLE_PROJECT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample():
    if not SAMPLE_PROJECT.exists():
        pytest.skip("the sample project has not been generated")
    project = load_project(SAMPLE_PROJECT)
    started = time.perf_counter()
    report = analyse(project)
    return project, report, time.perf_counter() - started


def test_every_village_once_and_the_decision_totals(sample):
    project, report, _ = sample
    v = report.villages
    assert len(v) == len(project.frame_of("village"))
    assert v["code"].is_unique
    # POLICY.md: 210 poor villages in 10 poor townships.
    assert int(v["is_poor"].sum()) == 210
    assert int(report.townships["is_poor"].sum()) == 10
    assert set(v.loc[v["is_poor"], "gap_status"]) <= {"red", "yellow", "green"}
    assert set(v.loc[~v["is_poor"], "gap_status"]) == {"none"}
    assert report.city["poor_villages"].iloc[0] == 210


def test_money_adds_up(sample):
    _, report, _ = sample
    city = report.city.iloc[0]
    assert city["water_subsidy_yuan"] == 800 * city["people_without_water"]
    assert (
        city["water_central_provincial_yuan"] + city["water_city_county_yuan"]
        == city["water_subsidy_yuan"]
    )
    assert city["relocation_subsidy_yuan"] == 20_000 * city["relocation_households"]
    assert city["dangerous_houses_cost_yuan"] == 50_000 * city["dangerous_houses_left"]
    assert report.townships["road_cost_yuan"].sum() == pytest.approx(
        city["road_cost_yuan"]
    )


def test_roads_are_one_network_with_few_repairs(sample):
    _, report, _ = sample
    s = report.roads.summary
    assert s["components"] <= 5
    assert s["edits"] < 0.05 * s["segments"]
    assert s["km_hardened"] < s["km_total"]
    assert report.bridges["danger"].isin(["dangerous", "safe"]).all()


def test_every_poor_village_has_a_card_and_a_reason(sample):
    _, report, _ = sample
    for code in report.poor["code"].head(20):
        card = report.card(code)
        assert card[-1]["indicator"] == "状态"
        assert card[-1]["reason"]


def test_annotate_colours_the_layers(sample):
    project, report, _ = sample
    report.annotate(project)
    statuses = set(project.first("village").frame["gap_status"])
    assert statuses <= {"red", "yellow", "green", "none"}
    assert "none" in statuses
    assert set(project.first("bridge").frame["danger"]) <= {"dangerous", "safe"}

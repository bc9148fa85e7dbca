"""Exit standards, status and reasons, and progress against the yearly plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gisapp.analysis import load_rules
from gisapp.analysis.exits import evaluate
from gisapp.analysis.progress import progress_table

RULES = load_rules()
AVERAGES = {"income_per_person": 10_000.0, "budget_revenue_per_person": 500.0}


def _village(**changes) -> dict:
    row = {
        "collective_income": 6.0,
        "income_per_person": 8000.0,
        "road_hardened_connected": True,
        "safe_water_pct": 100.0,
        "power_living_ok": True,
        "power_production_ok": True,
        "dangerous_bridges": 0,
        "dangerous_houses_left": 0,
        "has_clinic": True,
        "has_fibre": True,
        "has_bus": True,
    }
    row.update(changes)
    return row


@pytest.fixture(scope="module")
def villages():
    table = pd.DataFrame(
        [
            _village(),
            _village(collective_income=3.2),
            _village(has_bus=False),
            _village(income_per_person=np.nan),
            _village(collective_income=0.5),
        ]
    )
    poor = pd.Series([True, True, True, True, False])
    return table, evaluate(table, RULES.village_exit, AVERAGES, poor)


def test_status_from_vetoes_and_other_indicators(villages):
    _, out = villages
    assert list(out["gap_status"]) == ["green", "red", "yellow", "yellow", "none"]
    assert list(out["exit_ready"]) == [True, False, False, False, False]


def test_reasons_in_words(villages):
    _, out = villages
    assert out["gap_reason"][0] == "各项指标达到销号标准"
    assert out["gap_reason"][1] == "村级集体经济收入(万元) 3.2(目标≥5)"
    assert out["gap_reason"][2] == "村村通客车:未达到"
    assert out["gap_reason"][3] == "缺数据:农村人均可支配收入(元)"
    assert out["gap_reason"][4] == "非贫困村"


def test_margins_against_fixed_and_relative_targets(villages):
    _, out = villages
    # 3.2 − 5 = −1.8; income 8,000 against 70 % of 10,000 = 7,000: +1,000.
    assert out["exit_collective_income_margin"][1] == pytest.approx(-1.8)
    assert out["exit_income_per_person_margin"][0] == pytest.approx(1000.0)
    assert out["exit_has_bus_margin"][2] is None
    assert out["exit_has_bus_pass"].tolist()[2:4] == [False, True]


def test_township_exit():
    towns = pd.DataFrame(
        {
            "income_per_person": [7500.0, 6000.0],
            "budget_revenue_per_person": [320.0, 400.0],
            "villages_ready_share": [0.95, 0.5],
        }
    )
    out = evaluate(
        towns,
        RULES.township_exit,
        AVERAGES,
        pd.Series([True, True]),
        not_poor="非贫困乡镇",
    )
    # 70 % of 10,000 = 7,000 yuan; 60 % of 500 = 300 yuan; share ≥ 0.9.
    assert list(out["gap_status"]) == ["green", "red"]
    assert out["gap_reason"][1].startswith("农村人均可支配收入(元) 6,000(目标≥7,000)")


def _plan_tables():
    villages = pd.DataFrame(
        {
            "is_poor": [True, True, True, True, False],
            "exited": pd.array([True, True, False, pd.NA, pd.NA], dtype="boolean"),
            "exit_year": [2016, 2016, 2017, 2018, None],
            "exit_ready": [True, True, True, False, False],
            "relocation_households": [40, 60, 0, 0, 50],
            "relocated_households": [10, 20, 0, 0, 50],
            "dangerous_houses": [4, 6, 0, 0, 9],
            "houses_rebuilt": [4, 2, 0, 0, 0],
            "power_living_ok": [True, True, True, False, False],
            "power_production_ok": [True, False, False, False, True],
            "has_clinic": pd.array([True, True, True, True, False], dtype="boolean"),
            "has_fibre": pd.array([True, False, pd.NA, True, True], dtype="boolean"),
        }
    )
    towns = pd.DataFrame(
        {
            "is_poor": [True, True, False],
            "exited": [True, False, False],
            "exit_ready": [True, True, False],
        }
    )
    return villages, towns


def test_progress_for_2016():
    villages, towns = _plan_tables()
    p = progress_table(RULES, 2016, villages, towns).set_index("key")
    assert p.loc["villages_exit", "target"] == 70
    assert p.loc["villages_exit", "done"] == 2
    assert p.loc["villages_exit", "ready"] == 3
    assert p.loc["villages_exit", "planned"] == 2
    assert p.loc["villages_exit", "behind"] == 68
    assert p.loc["townships_exit", "done"] == 1
    assert p.loc["townships_exit", "behind"] == 2
    # Relocation of poor villages: 30 of 100 households against 50 %.
    assert p.loc["relocation", "done_share"] == 0.3
    assert p.loc["relocation", "behind"] == 20
    assert not p.loc["relocation", "on_track"]
    # Houses: 6 of 10 rebuilt against 50 %.
    assert p.loc["dangerous_houses", "done_share"] == 0.6
    assert p.loc["dangerous_houses", "on_track"]
    assert p.loc["power_living", "behind"] == 1
    # Production power has no target before 2017.
    assert p.loc["power_production", "target"] is None or np.isnan(
        p.loc["power_production", "target"]
    )


def test_progress_for_2017():
    villages, towns = _plan_tables()
    p = progress_table(RULES, 2017, villages, towns).set_index("key")
    assert p.loc["villages_exit", "target"] == 140
    assert p.loc["dangerous_houses", "target"] == 1.0
    assert p.loc["dangerous_houses", "behind"] == 4
    assert p.loc["power_production", "behind"] == 3
    # Fibre has no year in the decision: the rules count it by 2018.
    assert p.loc["fibre", "target"] is None or np.isnan(p.loc["fibre", "target"])


def test_progress_for_2018():
    villages, towns = _plan_tables()
    p = progress_table(RULES, 2018, villages, towns).set_index("key")
    assert p.loc["villages_exit", "target"] == 210
    assert p.loc["townships_exit", "behind"] == 9
    # Fibre in 2 of the 4 poor villages (one unknown counts as not yet).
    assert p.loc["fibre", "done_share"] == 0.5
    assert p.loc["fibre", "behind"] == 2

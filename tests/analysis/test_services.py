"""Water, power, relocation and dangerous houses: small tables worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.analysis import load_rules
from gisapp.analysis.houses import house_gaps
from gisapp.analysis.power import power_gaps
from gisapp.analysis.relocation import assign, relocation_gaps
from gisapp.analysis.water import BASIS_DISTANCE, BASIS_NONE, BASIS_REGISTRY, water_gaps

RULES = load_rules()


def _villages(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "name": [f"村{k + 1}" for k in range(n)],
        "population": [np.nan] * n,
        "poor_people": [np.nan] * n,
        "safe_water_pct": [np.nan] * n,
        "power_living_upgraded": pd.array([pd.NA] * n, dtype="boolean"),
        "power_production_upgraded": pd.array([pd.NA] * n, dtype="boolean"),
        "dangerous_houses": [np.nan] * n,
        "houses_rebuilt": [np.nan] * n,
        "relocation_households": [np.nan] * n,
        "relocated_households": [np.nan] * n,
        "county_code": [None] * n,
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_water_people_and_subsidy():
    # 1,000 people at 85 %: 150 without, 150 × 800 = 120,000 yuan,
    # of which 150 × 366 = 54,900 central and provincial, 150 × 434 = 65,100 local.
    # Village 2 has no population: its 40 registered poor people at 50 % → 20.
    v = _villages(
        population=[1000, np.nan], poor_people=[100, 40], safe_water_pct=[85.0, 50.0]
    )
    w = water_gaps(v, np.full((2, 2), np.nan), np.empty(0, dtype=object), RULES)
    assert list(w["people_without_water"]) == [150, 20]
    assert list(w["water_subsidy_yuan"]) == [120_000, 16_000]
    assert list(w["water_central_provincial_yuan"]) == [54_900, 7_320]
    assert list(w["water_city_county_yuan"]) == [65_100, 8_680]
    assert list(w["water_basis"]) == [BASIS_REGISTRY, BASIS_REGISTRY]


def test_water_from_the_map_when_the_registry_is_silent():
    # A pipe along y = 0; villages 600 m and 1,400 m from it (limit 1,000 m).
    pipe = shapely.LineString([(0, 0), (5000, 0)])
    v = _villages(population=[300, 200, 100])
    xy = np.array([[1000, 600], [1000, 1400], [np.nan, np.nan]])
    w = water_gaps(v, xy, np.array([pipe], dtype=object), RULES)
    assert list(w["safe_water_pct"][:2]) == [100.0, 0.0]
    assert list(w["water_basis"]) == [BASIS_DISTANCE, BASIS_DISTANCE, BASIS_NONE]
    assert list(w["water_source_m"][:2]) == [600, 1400]
    assert list(w["people_without_water"][:2]) == [0, 200]
    assert np.isnan(w["people_without_water"].iloc[2])


def test_power_deadlines_and_nearest_substation():
    v = _villages(
        power_living_upgraded=pd.array([True, False, pd.NA], dtype="boolean"),
        power_production_upgraded=pd.array([False, False, pd.NA], dtype="boolean"),
    )
    xy = np.array([[0.0, 0.0], [3000.0, 4000.0], [10_000.0, 0.0]])
    stations = pd.DataFrame({"name": ["甲站", "乙站"], "voltage_kv": [35.0, 110.0]})
    station_xy = np.array([[0.0, 1000.0], [10_000.0, 500.0]])
    line = shapely.LineString([(9000, 0), (11000, 0)])
    p2016 = power_gaps(
        v, xy, np.array([line], dtype=object), stations, station_xy, RULES, 2016
    )
    assert list(p2016["power_living_ok"]) == [True, False, True]
    assert list(p2016["power_production_ok"]) == [False, False, True]
    assert list(p2016["power_living_overdue"]) == [False, True, False]
    # Production power is due by the end of 2017, not yet in 2016.
    assert list(p2016["power_production_overdue"]) == [False, False, False]
    p2017 = power_gaps(
        v, xy, np.array([line], dtype=object), stations, station_xy, RULES, 2017
    )
    assert list(p2017["power_production_overdue"]) == [True, True, False]
    assert list(p2016["nearest_substation"]) == ["甲站", "甲站", "乙站"]
    # (3000, 4000) to (0, 1000): √(3000² + 3000²) = 4,242.6 m.
    assert list(p2016["nearest_substation_km"]) == [1.0, 4.24, 0.5]
    assert list(p2016["nearest_substation_kv"]) == [35.0, 35.0, 110.0]


def test_dangerous_houses_left_and_cost():
    v = _villages(dangerous_houses=[10, 4, np.nan], houses_rebuilt=[3, 9, np.nan])
    h = house_gaps(v, RULES)
    # Rebuilt beyond the count is capped at the count.
    assert list(h["dangerous_houses_left"]) == [7, 0, 0]
    assert list(h["dangerous_houses_cost_yuan"]) == [350_000, 0, 0]
    assert list(h["houses_rebuilt_pct"][:2]) == [30.0, 100.0]


def test_assignment_least_distance_within_capacity():
    # Villages at x = 0 and x = 10 km want 30 and 20 households; sites at
    # x = 2 km (room 25) and x = 9 km (room 40), farther than 60 km: none.
    demand = np.array([30, 20])
    vxy = np.array([[0.0, 0.0], [10_000.0, 0.0]])
    room = np.array([25, 40])
    sxy = np.array([[2000.0, 0.0], [9000.0, 0.0]])
    moves = assign(demand, vxy, room, sxy, 60_000.0)
    # All 50 households fit; the least distance sends village 1 to site 1 (1 km),
    # 25 of village 0 to site 0 (2 km) and its last 5 to site 1 (9 km):
    # 20 + 50 + 45 = 115 household-km; any other split costs more.
    assert moves == {(1, 1): 20, (0, 0): 25, (0, 1): 5}
    far = assign(demand, vxy, room, sxy, 1500.0)
    assert far == {(1, 1): 20}


def test_assignment_places_every_household_it_can():
    # Village A at 0 km and B at 3 km want 10 each; site S1 at 1 km and S2 at
    # -5 km hold 10 each; 6 km at most. Nearest first would send A to S1 and
    # leave B with no site (S2 is 8 km from B); A to S2 (5 km) and B to S1
    # (2 km) places all 20.
    moves = assign(
        np.array([10, 10]),
        np.array([[0.0, 0.0], [3000.0, 0.0]]),
        np.array([10, 10]),
        np.array([[1000.0, 0.0], [-5000.0, 0.0]]),
        6000.0,
    )
    assert moves == {(0, 1): 10, (1, 0): 10}


def test_relocation_subsidies_and_dachaihu():
    v = _villages(relocation_households=[30, 20], relocated_households=[15, 0])
    vxy = np.array([[0.0, 0.0], [10_000.0, 0.0]])
    sites = pd.DataFrame(
        {
            "name": ["某镇安置点", "柴湖新镇安置点"],
            "township": ["某镇", "柴湖镇"],
            "capacity_households": [25, 10],
        }
    )
    sxy = np.array([[2000.0, 0.0], [9000.0, 0.0]])
    r = relocation_gaps(v, vxy, sites, sxy, RULES)
    t = r.villages
    # Village 2 moves 10 to 柴湖 (1 km) and has 10 left; village 1 moves 25
    # to the first site and 5 have no site (柴湖 is full).
    assert list(t["relocation_assigned"]) == [25, 10]
    assert list(t["relocation_no_site"]) == [5, 10]
    assert list(t["relocation_subsidy_yuan"]) == [600_000, 400_000]
    assert list(t["relocation_loan_yuan"]) == [1_500_000, 1_000_000]
    assert list(t["relocation_dachaihu"]) == [0, 10]
    assert list(t["dachaihu_city_yuan"]) == [0, 100_000]
    assert list(t["dachaihu_county_yuan"]) == [0, 100_000]
    assert list(t["relocated_pct"]) == [50.0, 0.0]
    assert t["relocation_km"].iloc[0] == 2.0
    assert list(r.sites["room_left"]) == [0, 0]
    assert list(r.sites["dachaihu"]) == [False, True]


def test_relocation_with_no_sites_reports_every_household():
    v = _villages(relocation_households=[7])
    r = relocation_gaps(
        v, np.zeros((1, 2)), pd.DataFrame(columns=["name"]), np.zeros((0, 2)), RULES
    )
    assert r.villages["relocation_no_site"].iloc[0] == 7
    assert r.villages["relocation_subsidy_yuan"].iloc[0] == pytest.approx(140_000)


def test_households_stay_in_their_county():
    # Village 1 (county A) is 1 km from a county-B site and 5 km from its own.
    v = _villages(relocation_households=[10], county_code=["420822"])
    vxy = np.array([[0.0, 0.0]])
    sites = pd.DataFrame(
        {"name": ["外县安置点", "本县安置点"], "capacity_households": [50, 50]}
    )
    sxy = np.array([[1000.0, 0.0], [5000.0, 0.0]])
    r = relocation_gaps(
        v,
        vxy,
        sites,
        sxy,
        RULES,
        site_county=np.array(["420881", "420822"], dtype=object),
    )
    assert r.villages["relocation_sites"].iloc[0] == "本县安置点(10户)"
    assert r.villages["relocation_km"].iloc[0] == 5.0


def test_dachaihu_takes_households_from_the_whole_city():
    # A village of 沙洋 (420822) 2 km from the 柴湖 new town (钟祥, 420881).
    v = _villages(relocation_households=[6], county_code=["420822"])
    sites = pd.DataFrame(
        {
            "name": ["柴湖新镇集中安置点"],
            "township": ["柴湖镇"],
            "capacity_households": [100],
        }
    )
    r = relocation_gaps(
        v,
        np.zeros((1, 2)),
        sites,
        np.array([[2000.0, 0.0]]),
        RULES,
        site_county=np.array(["420881"], dtype=object),
    )
    assert r.villages["relocation_dachaihu"].iloc[0] == 6
    assert r.villages["dachaihu_city_yuan"].iloc[0] == 60_000

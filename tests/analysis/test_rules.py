"""The rules file: every number of the decision with its clause, read as data."""

from __future__ import annotations

import pytest

from gisapp.analysis import load_rules
from gisapp.analysis.rules import LOCAL
from gisapp.errors import RulesError


def test_default_rules_name_and_version():
    rules = load_rules()
    assert rules.name == "jingmen-2016"
    assert rules.version == "2016.1"
    assert rules.label == "jingmen-2016 v2016.1"


def test_policy_numbers_with_their_clauses():
    rules = load_rules("jingmen-2016")
    # POLICY.md: 800 yuan per person, 366 central and provincial, 434 city and county.
    assert rules.value("money", "water_subsidy_per_person") == 800
    assert rules.value("money", "water_central_provincial") == 366
    assert rules.value("money", "water_city_county") == 434
    assert rules.clause("money", "water_subsidy_per_person") == "十.2"
    assert rules.value("money", "road_maintenance_per_km_year") == 2000
    assert rules.value("money", "relocation_subsidy_per_household") == 20000
    assert rules.value("money", "relocation_loan_per_household") == 50000
    assert rules.value("money", "dachaihu_city_extra") == 10000
    assert rules.value("money", "dachaihu_county_extra") == 10000
    assert rules.value("money", "dangerous_house_per_household") == 50000
    assert rules.value("scale", "poor_villages") == 210
    assert rules.value("scale", "poor_people") == 219282
    assert rules.value("deadlines", "power_living") == 2016
    assert rules.value("deadlines", "power_production") == 2017
    assert rules.value("places", "dachaihu_township_code") == "420881110"
    assert rules.value("household", "income_share_of_local_average") == 0.70
    assert rules.targets["fibre"].clause == "九.2"


def test_local_thresholds_are_marked_local():
    rules = load_rules()
    assert rules.clause("roads", "snap_tolerance_m") == LOCAL
    assert rules.value("roads", "hardened_surfaces") == ["asphalt", "cement"]
    assert rules.value("roads", "dangerous_bridge_classes") == [4, 5]


def test_yearly_targets_carry_forward():
    targets = load_rules().targets
    assert targets["villages_exit"].for_year(2016) == 70
    assert targets["villages_exit"].for_year(2017) == 140
    assert targets["villages_exit"].for_year(2018) == 210
    assert targets["villages_exit"].for_year(2015) is None
    # 3 townships by 2016 and all 10 by 2018; 2017 keeps the 2016 figure.
    assert targets["townships_exit"].for_year(2017) == 3
    assert targets["townships_exit"].for_year(2019) == 10
    assert targets["relocation"].for_year(2017) == 0.5
    assert targets["dangerous_houses"].for_year(2017) == 1.0


def test_exit_standards_and_vetoes():
    rules = load_rules()
    village = {ind.key: ind for ind in rules.village_exit}
    assert village["collective_income"].target == 5.0
    assert village["collective_income"].veto
    assert village["income_per_person"].ratio_of == "income_per_person"
    assert village["income_per_person"].target == 0.70
    assert not village["has_bus"].veto
    town = {ind.key: ind for ind in rules.township_exit}
    assert town["budget_revenue_per_person"].target == 0.60


def test_all_numbers_table_lists_every_number():
    rows = load_rules().all_numbers()
    keys = {(r["section"], r["key"]) for r in rows}
    assert ("money", "water_subsidy_per_person") in keys
    assert all(r["clause"] for r in rows)


def test_unknown_rules_name_names_the_file_and_the_fix():
    with pytest.raises(RulesError) as err:
        load_rules("xiangyang-2016")
    assert "xiangyang-2016" in str(err.value)
    assert "jingmen-2016" in str(err.value)


def test_rules_file_without_a_number_is_refused(tmp_path):
    text = (load_rules().path).read_text(encoding="utf-8")
    broken = text.replace(
        'water_subsidy_per_person = { value = 800, clause = "十.2", zh = "安全饮水补助(元/人)" }\n',
        "",
    )
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(path)
    assert "water_subsidy_per_person" in str(err.value)


def test_rules_file_with_a_bare_number_is_refused(tmp_path):
    text = (load_rules().path).read_text(encoding="utf-8")
    broken = text.replace(
        'snap_tolerance_m = { value = 2.0, clause = "本地设定", zh = "路网接边容差(米)" }',
        "snap_tolerance_m = 2.0",
    )
    path = tmp_path / "bare.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(path)
    assert "snap_tolerance_m" in str(err.value)


def test_rules_file_that_is_not_toml(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[meta\nname = 'x'", encoding="utf-8")
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(path)

"""Joining office tables to Jingmen's villages by code or by name within township."""

from __future__ import annotations

import pandas as pd
import pytest

from gisapp.data.join import join_villages, township_code_system, village_name


@pytest.fixture(scope="module")
def villages(jingmen_dir):
    raw = pd.read_csv(jingmen_dir / "villages_nbs2023.csv", dtype=str)
    return raw.rename(columns={"nbs2023_code": "code", "township_name": "township"})


@pytest.fixture(scope="module")
def townships(jingmen_dir):
    return pd.read_csv(jingmen_dir / "townships.csv", dtype=str)


def test_by_code_with_an_unknown_code(villages):
    sample = villages.sample(8, random_state=3)
    table = pd.DataFrame(
        {"行政区划代码": [*sample["code"], "420802999999"], "贫困户数": range(9)}
    )
    out, report = join_villages(table, villages)
    assert out["code"].tolist()[:8] == sample["code"].tolist()
    assert pd.isna(out["code"].iloc[8])
    assert report.by_code == 8 and len(report.unmatched) == 1
    assert report.unmatched[0]["row"] == "10"


def test_repeated_names_need_the_township(villages):
    names = villages["name"].map(village_name)
    counts = names.value_counts()
    repeated = counts[counts > 1].index[:10]
    rows = villages[names.isin(repeated)]
    table = pd.DataFrame({"村名": rows["name"].map(village_name)})
    out, report = join_villages(table, villages)
    assert out["code"].isna().all()
    assert len(report.ambiguous) == len(rows)
    first = report.ambiguous[0]
    assert len(first["candidates"]) == counts[first["name"]]
    # With the township they are all found, each to its own code.
    table["乡镇"] = rows["township"].to_numpy()
    out, report = join_villages(table, villages)
    assert out["code"].tolist() == rows["code"].tolist()
    assert report.by_name == len(rows) and not report.ambiguous


def test_names_written_in_other_forms(villages):
    row = villages[villages["name"] == "三坪村民委员会"].iloc[0]
    table = pd.DataFrame(
        {
            "村名": ["三坪村", "三坪", "三坪村委会", "无此村"],
            "乡镇": ["毛李镇", "毛李", "毛李镇", "毛李镇"],
        }
    )
    out, report = join_villages(table, villages)
    assert out["code"].tolist()[:3] == [row["code"]] * 3
    assert (
        report.unmatched[0]["row"] == "5" and "无此村" in report.unmatched[0]["reason"]
    )


def test_mca_township_codes_are_translated(villages, townships):
    maoli = villages[villages["township_code"] == "420822106"].head(4)
    zengji = villages[villages["township_code"] == "420822112"].head(2)
    mca = dict(zip(townships["nbs2023_code"], townships["mca2025_code"], strict=True))
    rows = pd.concat([maoli, zengji])
    table = pd.DataFrame(
        {
            "村名": rows["name"].map(village_name).to_numpy(),
            "乡镇代码": [mca[c] for c in rows["township_code"]],
        }
    )
    # 420822107 is 毛李镇 for MCA but 官垱镇 for NBS; 420822113 exists only in MCA.
    system, why = township_code_system(table["乡镇代码"], townships)
    assert system == "MCA" and "only in the MCA" in why
    out, report = join_villages(table, villages, townships=townships)
    assert out["code"].tolist() == rows["code"].tolist()
    assert report.translated == len(rows)

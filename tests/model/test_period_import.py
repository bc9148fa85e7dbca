"""A period imported from the office's updated lists: renamed columns, GBK text."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from gisapp.analysis.transitions import transitions
from gisapp.model.project import load_project

PROJECT = """\
[project]
title = "测试"
period = "2015"

[[layers]]
path = "villages.geojson"
kind = "village"

[[periods]]
name = "2016"
path = "2016年贫困村台账.csv"

[[periods]]
name = "2017"
path = "2017年贫困村台账.xlsx"
"""


def write_project(folder):
    villages = gpd.GeoDataFrame(
        {
            "村代码": ["420881110201", "420881110202", "420881110203"],
            "村名": ["双河村", "新河村", "柴湖村"],
            "乡镇": ["柴湖镇"] * 3,
            "贫困村": ["是", "是", "否"],
            "安全饮水覆盖率": [70.0, 100.0, 100.0],
        },
        geometry=[Point(112.6, 31.1), Point(112.62, 31.12), Point(112.64, 31.1)],
        crs="EPSG:4490",
    )
    villages.to_file(folder / "villages.geojson", driver="GeoJSON")
    csv = "村编码,村名称,是否出列,饮水安全率\r\n420881110201,双河村,是,100\r\n420881110299,无此村,是,100\r\n"
    (folder / "2016年贫困村台账.csv").write_bytes(csv.encode("gbk"))
    pd.DataFrame(
        {"行政区划代码": ["420881110201", "420881110202"], "销号": ["否", "是"]}
    ).to_excel(folder / "2017年贫困村台账.xlsx", index=False)
    (folder / "project.toml").write_text(PROJECT, encoding="utf-8")
    return folder / "project.toml"


def test_periods_from_gbk_csv_and_renamed_excel_columns(tmp_path):
    project = load_project(write_project(tmp_path))
    history = project.history
    assert history.names() == ["2015", "2016", "2017"]
    assert any("420881110299" in m for m in project.messages)

    first = transitions(history.get("2015"), history.get("2016"))
    assert first.of("village_exited")["name"].tolist() == ["双河村"]
    assert first.of("water_completed")["name"].tolist() == ["双河村"]

    second = transitions(history.get("2016"), history.get("2017"))
    assert second.of("village_returned")["name"].tolist() == ["双河村"]
    assert second.of("village_exited")["name"].tolist() == ["新河村"]

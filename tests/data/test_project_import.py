"""Importing several files together: the project's area and cross-layer checks."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.data import webcrs
from gisapp.data.crosscheck import offset_messages
from gisapp.data.readers import read_source
from gisapp.data.writers import write_layer
from gisapp.model.project import assemble


def test_plain_eastings_take_the_zone_of_the_other_layers(cases_dir):
    case = cases_dir / "12-missing-prj"
    project = assemble(
        [
            case / "a_projected_no_prj" / "roads.shp",
            case / "b_degrees_no_prj" / "bridges.shp",
        ]
    )
    roads = project.first("road")
    assert roads is not None
    assert roads.info.crs.startswith("EPSG:4546")
    assert roads.info.crs_declared is False
    x, y = roads.frame.geometry.iloc[0].coords[0]
    assert (x, y) == pytest.approx((110.9234, 27.4512), abs=1e-6)


def test_a_file_that_cannot_be_read_leaves_the_rest(cases_dir, tmp_path):
    broken = tmp_path / "坏.shp"
    broken.write_bytes(b"not a shapefile")
    good = cases_dir / "01-shp-gbk-no-cpg" / "b_ldid_00" / "villages.shp"
    project = assemble([broken, good])
    assert len(project.layers) == 1
    assert any("坏.shp" in m for m in project.messages)


def test_outline_shifted_like_a_web_map_is_named(jingmen_dir, tmp_path):
    county = read_source(jingmen_dir / "boundaries_cgcs2000.gpkg", "county")[0].frame
    shifted = county.copy()
    shifted.geometry = shapely.transform(
        shifted.geometry.values,
        lambda c: np.column_stack(webcrs.to_gcj02(c[:, 0], c[:, 1])),
    )
    finding = webcrs.detect_layer_offset(shifted, county)
    assert finding.origin == "gcj02"
    assert webcrs.detect_layer_offset(county, county).origin is None
    path = tmp_path / "county_web.geojson"
    write_layer(shifted, path)
    truth = tmp_path / "county.gpkg"
    shutil.copy(jingmen_dir / "boundaries_cgcs2000.gpkg", truth)
    project = assemble([truth, path])
    messages = offset_messages(project.layers)
    assert any("GCJ-02" in m and "county_web" in m for m in messages)
    # Named as coming from Amap, the same file is corrected on reading.
    named = tmp_path / "county_amap.geojson"
    shutil.copy(path, named)
    loaded = read_source(named)[0]
    assert loaded.info.origin == "gcj02"
    assert webcrs.detect_layer_offset(loaded.frame, county).origin is None


def test_table_without_codes_joins_by_name_within_township(tmp_path):
    import geopandas as gpd

    villages = gpd.GeoDataFrame(
        {
            "行政区划代码": ["420802100201", "420802101201", "420802101202"],
            "村名": ["双河村", "双河村", "石桥村"],
            "乡镇": ["栗溪镇", "子陵铺镇", "子陵铺镇"],
        },
        geometry=shapely.points([112.00, 112.20, 112.21], [31.27, 31.13, 31.14]),
        crs="EPSG:4490",
    )
    write_layer(villages, tmp_path / "行政村.gpkg")
    pd.DataFrame(
        {
            "村名": ["双河村", "双河村", "石桥村", "无名村"],
            "乡镇": ["子陵铺镇", "", "子陵铺", "栗溪镇"],
            "贫困户数": ["12", "30", "7", "1"],
        }
    ).to_csv(tmp_path / "村级台账.csv", index=False, encoding="utf-8-sig")
    project = assemble([tmp_path / "行政村.gpkg", tmp_path / "村级台账.csv"])
    layer = project.first("village")
    got = dict(zip(layer.frame["code"], layer.frame["poor_households"], strict=True))
    assert got["420802101201"] == 12 and got["420802101202"] == 7
    assert pd.isna(got["420802100201"])
    text = " ".join(project.messages)
    assert "2 行无代码,按乡镇内村名匹配" in text
    assert "1 个村名对应多个村(第 3 行)" in text
    assert "1 行找不到对应的村(第 5 行)" in text

"""Writing never touches a source file and keeps what it writes readable."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gisapp.data.readers import read_source
from gisapp.data.writers import write_layer
from gisapp.errors import ExportError


@pytest.fixture
def copy(cases_dir, tmp_path):
    src = cases_dir / "01-shp-gbk-no-cpg" / "a_ldid_4D"
    for part in src.iterdir():
        shutil.copy(part, tmp_path / part.name)
    return tmp_path / "villages.shp"


def test_refuses_to_overwrite_the_source(copy):
    frame = read_source(copy)[0].frame
    before = {p.name: p.read_bytes() for p in copy.parent.iterdir()}
    for target in (copy, copy.parent / "." / "villages.shp"):
        with pytest.raises(ExportError, match="read from") as err:
            write_layer(frame, target, overwrite=True)
        assert "villages" in err.value.message()
    with pytest.raises(ExportError, match="read from"):
        write_layer(
            frame.drop(columns="PKHS"),
            copy.with_suffix(".gpkg"),
            sources=[copy.with_suffix(".gpkg")],
        )
    assert {p.name: p.read_bytes() for p in copy.parent.iterdir()} == before


def test_existing_file_needs_consent(copy, tmp_path):
    frame = read_source(copy)[0].frame
    target = tmp_path / "成果.gpkg"
    write_layer(frame, target)
    with pytest.raises(ExportError, match="exists"):
        write_layer(frame, target)
    write_layer(frame, target, overwrite=True)
    assert len(read_source(target)[0].frame) == 10


def test_default_format_is_geopackage_and_mixed_multi_kept(tmp_path):
    frame = gpd.GeoDataFrame(
        {"名称": ["甲", "乙"]},
        geometry=[
            shapely.Polygon([(112, 31, 5), (112.1, 31, 5), (112.1, 31.1, 6)]),
            shapely.MultiPolygon(
                [shapely.Polygon([(112.2, 31, 1), (112.3, 31, 1), (112.3, 31.1, 1)])]
            ),
        ],
        crs="EPSG:4490",
    )
    report = write_layer(frame, tmp_path / "图层")
    assert report.path.suffix == ".gpkg" and report.driver == "GPKG"
    back = read_source(report.path)[0].frame
    assert back["名称"].tolist() == ["甲", "乙"]
    assert shapely.has_z(back.geometry.values).all()
    assert back.geometry.iloc[0].area == pytest.approx(frame.geometry.iloc[0].area)


def test_excel_and_csv_tables(tmp_path):
    frame = gpd.GeoDataFrame(
        {"村名": ["上坝村"], "时间": pd.to_datetime(["2023-05-06T09:30:00+08:00"])},
        geometry=[shapely.Point(112.2, 31.0)],
        crs="EPSG:4490",
    )
    write_layer(frame, tmp_path / "表.xlsx")
    back = pd.read_excel(tmp_path / "表.xlsx")
    assert back.loc[0, "村名"] == "上坝村" and back.loc[0, "经度"] == pytest.approx(
        112.2
    )
    write_layer(frame, tmp_path / "表.csv")
    assert (tmp_path / "表.csv").read_bytes()[:3] == b"\xef\xbb\xbf"

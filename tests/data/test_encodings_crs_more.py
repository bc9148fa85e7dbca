"""More of each kind of fault: lying .cpg files, rare characters, legacy datums,
surveyors' X/Y columns."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from gisapp.data.encoding import detect_dbf_encoding
from gisapp.data.readers import read_source

NAMES = ["上坝村", "岩脚村", "龙潭村", "喆家湾村"]


def _shapefile(folder, encoding, cpg=None, names=NAMES):
    frame = gpd.GeoDataFrame(
        {"村名": names, "备注": ["集中供水已覆盖"] * len(names)},
        geometry=shapely.points([112.2 + i / 100 for i in range(len(names))], 31.0),
        crs="EPSG:4490",
    )
    path = folder / "村.shp"
    pyogrio.write_dataframe(frame, path, encoding=encoding)
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg is not None:
        path.with_suffix(".cpg").write_text(cpg)
    return path


@pytest.mark.parametrize(
    "written, cpg, expected",
    [
        ("CP936", "UTF-8", "gbk"),  # .cpg lies: the bytes are not UTF-8
        ("UTF-8", "936", "utf-8"),  # .cpg lies: valid UTF-8 is never read as GBK
        ("UTF-8", None, "utf-8"),
        ("CP936", "GBK", "gbk"),
    ],
)
def test_the_bytes_overrule_a_lying_cpg(tmp_path, written, cpg, expected):
    path = _shapefile(tmp_path, written, cpg)
    enc, how, _ = detect_dbf_encoding(path)
    assert enc == expected
    if cpg and enc != {"UTF-8": "utf-8", "936": "gbk", "GBK": "gbk"}[cpg]:
        assert "but" in how
    frame = read_source(path)[0].frame
    assert frame["村名"].tolist() == NAMES
    assert frame["备注"].iloc[0] == "集中供水已覆盖"


def test_rare_characters_need_gb18030(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes("村名,户数\n㙟上村,12\n𡌶头村,9\n".encode("gb18030"))
    loaded = read_source(path)[0]
    assert loaded.info.encoding == "gb18030"
    assert loaded.frame["村名"].tolist() == ["㙟上村", "𡌶头村"]


@pytest.mark.parametrize("epsg, label", [(2435, "Beijing 1954"), (2383, "Xian 1980")])
def test_legacy_datums_are_flagged(tmp_path, epsg, label):
    frame = gpd.GeoDataFrame(
        {"名称": ["甲"]},
        geometry=[shapely.Point(400_000, 3_430_000)],
        crs=f"EPSG:{epsg}",
    )
    path = tmp_path / "旧坐标.gpkg"
    pyogrio.write_dataframe(frame, path)
    info = read_source(path)[0].info
    assert any(label in w and "100 m" in w for w in info.warnings)


def test_surveyors_xy_columns_northing_first(tmp_path):
    # X is the northing, Y the easting with zone prefix 38 (CM 114°E), as surveyors write.
    pts = gpd.GeoSeries.from_xy(
        [112.20, 112.35], [31.00, 31.10], crs="EPSG:4490"
    ).to_crs(4526)
    path = tmp_path / "控制点.csv"
    pd.DataFrame(
        {"点号": ["K1", "K2"], "X": pts.y.round(3), "Y": pts.x.round(3)}
    ).to_csv(path, index=False)
    loaded = read_source(path)[0]
    assert loaded.info.crs.startswith("EPSG:4526")
    assert "northing first" in loaded.info.crs_how
    got = loaded.frame.geometry
    assert got.x.tolist() == pytest.approx([112.20, 112.35], abs=1e-7)
    assert got.y.tolist() == pytest.approx([31.00, 31.10], abs=1e-7)


def test_geojson_written_in_gbk(tmp_path):
    import json

    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"名称": "上坝村"},
                "geometry": {"type": "Point", "coordinates": [112.2, 31.0]},
            }
        ],
    }
    path = tmp_path / "村.geojson"
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode("gbk"))
    loaded = read_source(path)[0]
    assert loaded.frame["名称"].tolist() == ["上坝村"]
    assert loaded.info.encoding == "gbk"
    assert any("not UTF-8" in w for w in loaded.info.warnings)

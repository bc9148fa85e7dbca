"""Bad input: every failure names the file, the problem, the value and the fix."""

from __future__ import annotations

import pytest
import shapely

from gisapp.data.readers import read_source
from gisapp.errors import CoordinateError, ReadError


def _parts(err):
    return err.path.name, err.problem, err.value, err.fix


def test_missing_file(tmp_path):
    with pytest.raises(ReadError) as err:
        read_source(tmp_path / "不存在.shp")
    name, problem, value, fix = _parts(err.value)
    assert name == "不存在.shp" and "does not exist" in problem and value and fix


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "图.dwg"
    path.write_bytes(b"AC1032")
    with pytest.raises(ReadError) as err:
        read_source(path)
    assert err.value.value == ".dwg" and ".gpkg" in err.value.fix


def test_broken_kml(tmp_path):
    path = tmp_path / "坏.kml"
    path.write_text("<kml><Document><Placemark>", encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_source(path)
    assert "XML" in err.value.problem and err.value.fix


def test_coordinates_that_fit_nothing(tmp_path):
    path = tmp_path / "怪.csv"
    path.write_text("名称,X,Y\n甲,123456789,987654321\n", encoding="utf-8")
    with pytest.raises(CoordinateError) as err:
        read_source(path)
    assert err.value.value == (123456789.0, 987654321.0, 123456789.0, 987654321.0)
    assert "CRS" in err.value.fix


def test_unknown_crs_override(cases_dir):
    path = cases_dir / "12-missing-prj" / "b_degrees_no_prj" / "bridges.shp"
    with pytest.raises(CoordinateError) as err:
        read_source(path, crs="火星")
    assert err.value.value == "火星" and "EPSG" in err.value.fix


def test_kml_tracks_from_field_apps(tmp_path):
    path = tmp_path / "轨迹.kml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">'
        "<Document><Folder><name>巡查轨迹</name><Placemark><name>5月6日</name><gx:Track>"
        "<when>2023-05-06T01:00:00Z</when><when>2023-05-06T01:01:00Z</when>"
        "<gx:coord>112.2 31.0 80</gx:coord><gx:coord>112.201 31.001 82</gx:coord>"
        "</gx:Track></Placemark></Folder></Document></kml>",
        encoding="utf-8",
    )
    loaded = read_source(path)[0]
    assert loaded.info.layer == "巡查轨迹"
    geom = loaded.frame.geometry.iloc[0]
    assert geom.geom_type == "LineString" and shapely.has_z(geom)
    assert geom.coords[1] == pytest.approx((112.201, 31.001, 82))


def _shapefile_without_dbf(folder):
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"村名": ["栗溪村"]}, geometry=shapely.points([112.0], [31.2]), crs="EPSG:4490"
    )
    shp = folder / "行政村.shp"
    frame.to_file(shp, encoding="utf-8")
    shp.with_suffix(".dbf").unlink()
    return shp


def test_shapefile_without_its_dbf_is_refused(tmp_path):
    shp = _shapefile_without_dbf(tmp_path)
    with pytest.raises(ReadError) as err:
        read_source(shp)
    assert err.value.path.name == "行政村.shp"
    assert err.value.value == "行政村.dbf"
    assert ".dbf" in err.value.problem and "行政村.dbf" in err.value.fix


def test_zipped_shapefile_without_its_dbf_is_refused(tmp_path):
    import zipfile

    shp = _shapefile_without_dbf(tmp_path)
    archive = tmp_path / "行政村.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in (shp, shp.with_suffix(".shx")):
            zf.write(part, f"村/{part.name}")
    with pytest.raises(ReadError) as err:
        read_source(archive)
    assert err.value.path.name == "行政村.zip" and err.value.value == "村/行政村.dbf"


def test_inspect_still_reads_the_shapes_of_a_shapefile_without_its_dbf(tmp_path):
    from gisapp.data.inspect import inspect_file

    layer = inspect_file(_shapefile_without_dbf(tmp_path))["layers"][0]
    assert layer["feature_count"] == 1
    assert any(".dbf file is missing" in w for w in layer["warnings"])

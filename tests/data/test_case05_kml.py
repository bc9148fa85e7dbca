"""Case 05: KML/KMZ with nested folders and Chinese ExtendedData names."""

from __future__ import annotations

import pytest
import shapely

from gisapp.data.readers import list_layers, read_source
from gisapp.data.writers import write_layer

FILES = ["清溪镇外业调查.kml", "清溪镇外业调查.kmz"]


@pytest.fixture(params=FILES)
def layers(request, cases_dir):
    path = cases_dir / "05-kml-folders-extendeddata" / request.param
    return {lyr.info.layer: lyr for lyr in read_source(path)}


def test_every_placemark_in_its_folder(layers):
    assert {k: len(v.frame) for k, v in layers.items()} == {
        "村委会驻地": 6,
        "饮水工程": 3,
        "通村道路/待硬化路段": 2,
    }
    assert layers["通村道路/待硬化路段"].frame["folder"].unique().tolist() == [
        "通村道路/待硬化路段"
    ]


def test_chinese_attribute_names_survive(layers):
    water = layers["饮水工程"].frame
    assert water["工程类型"].tolist() == ["集中供水", "蓄水池", "水窖"]
    assert water["受益人口"].astype(int).tolist() == [980, 430, 120]
    roads = layers["通村道路/待硬化路段"].frame
    assert roads["路面"].tolist() == ["砂石", "土路"]
    assert roads["宽度m"].astype(float).tolist() == [3.5, 3.0]
    seats = layers["村委会驻地"].frame
    for col in ("村名", "行政区划代码", "户数", "贫困户数"):
        assert col in seats
    assert seats["户数"].tolist()[:2] == [412, 298]
    assert seats["name"].iloc[0] == "上坝村委会"
    assert "户数：412" in seats["description"].iloc[0]


def test_altitudes_kept_only_where_they_say_something(layers):
    assert not shapely.has_z(layers["村委会驻地"].frame.geometry.values).any()
    water = layers["饮水工程"].frame.geometry
    assert shapely.has_z(water.values).all()
    assert shapely.get_coordinates(water.values, include_z=True)[0, 2] == pytest.approx(
        612.4
    )


def test_layer_list_and_export(cases_dir, tmp_path):
    path = cases_dir / "05-kml-folders-extendeddata" / "清溪镇外业调查.kmz"
    assert list_layers(path) == ["村委会驻地", "饮水工程", "通村道路/待硬化路段"]
    water = read_source(path, "饮水工程")[0].frame
    report = write_layer(water, tmp_path / "饮水.shp")
    back = read_source(tmp_path / "饮水.shp")[0].frame
    short = report.fields["工程类型"]
    assert len(short.encode("utf-8")) <= 10
    assert back[short].tolist() == ["集中供水", "蓄水池", "水窖"]
    assert len(back) == 3


def test_colliding_data_names_are_numbered(tmp_path):
    kml = tmp_path / "重名.kml"
    kml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><name>甲</name><ExtendedData>"
        '<Data name="name"><value>乙</value></Data><Data name="folder"><value>丙</value></Data>'
        "</ExtendedData><Point><coordinates>112.2,31.0</coordinates></Point></Placemark>"
        "</Document></kml>",
        encoding="utf-8",
    )
    loaded = read_source(kml)[0]
    row = loaded.frame.iloc[0]
    assert (row["name"], row["name_2"], row["folder_2"]) == ("甲", "乙", "丙")
    assert any("numbered" in w for w in loaded.info.warnings)

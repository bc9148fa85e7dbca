"""GPX field-survey files and zip archives with GBK entry names."""

from __future__ import annotations

import zipfile
from datetime import timedelta

import pytest
import shapely

from gisapp.data.encoding import decode_zip_name
from gisapp.data.readers import list_layers, read_source

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="两步路" xmlns="http://www.topografix.com/GPX/1/1">
 <wpt lat="31.0300" lon="112.2000"><ele>85.5</ele><time>2023-05-06T01:30:00Z</time><name>水源点一</name></wpt>
 <wpt lat="31.0400" lon="112.2100"><name>桥头</name></wpt>
 <rte><name>踏勘路线</name>
  <rtept lat="31.00" lon="112.10"/><rtept lat="31.01" lon="112.11"/><rtept lat="31.02" lon="112.12"/>
 </rte>
 <trk><name>通村路调查</name>
  <trkseg>
   <trkpt lat="31.000" lon="112.000"><ele>80</ele><time>2023-05-06T00:00:00Z</time></trkpt>
   <trkpt lat="31.001" lon="112.001"><ele>81</ele><time>2023-05-06T00:01:00Z</time></trkpt>
  </trkseg>
  <trkseg>
   <trkpt lat="31.050" lon="112.050"><ele>90</ele><time>2023-05-06T02:00:00+08:00</time></trkpt>
   <trkpt lat="31.051" lon="112.051"><ele>91</ele><time>2023-05-06T02:05:00+08:00</time></trkpt>
   <trkpt lat="31.052" lon="112.052"><ele>92</ele><time>2023-05-06T02:10:00+08:00</time></trkpt>
  </trkseg>
 </trk>
</gpx>
"""


@pytest.fixture
def gpx(tmp_path):
    path = tmp_path / "外业轨迹.gpx"
    path.write_text(GPX, encoding="utf-8")
    return path


def test_gpx_parts(gpx):
    assert list_layers(gpx) == ["waypoints", "routes", "tracks", "track_points"]
    layers = {lyr.info.layer: lyr.frame for lyr in read_source(gpx)}
    wpt = layers["waypoints"]
    assert wpt["name"].tolist() == ["水源点一", "桥头"]
    assert len(layers["routes"].iloc[0].geometry.coords) == 3
    assert len(layers["track_points"]) == 5


def test_track_segments_do_not_jump_across_the_gap(gpx):
    track = read_source(gpx, "tracks")[0].frame.iloc[0]
    geom = track.geometry
    assert geom.geom_type == "MultiLineString"
    parts = list(geom.geoms)
    assert [len(p.coords) for p in parts] == [2, 3]
    assert shapely.has_z(geom)
    assert track["segments"] == 2 and track["points"] == 5


def test_times_in_china_time(gpx):
    wpt = read_source(gpx, "waypoints")[0].frame
    t = wpt["time"].iloc[0]
    assert t.utcoffset() == timedelta(hours=8)
    assert (t.hour, t.minute) == (9, 30)  # 01:30 UTC
    pts = read_source(gpx, "track_points")[0].frame
    assert pts["time"].iloc[2].hour == 2  # written with +08:00 already
    assert pts["segment"].tolist() == [1, 1, 2, 2, 2]


def test_zip_with_gbk_entry_names(cases_dir, tmp_path):
    src = cases_dir / "01-shp-gbk-no-cpg" / "b_ldid_00"
    archive = tmp_path / "村界数据.zip"
    gbk = "行政村".encode("gbk")
    placeholder = b"QQQQQQ"
    assert len(gbk) == len(placeholder)
    with zipfile.ZipFile(archive, "w") as zf:
        for part in src.iterdir():
            zf.writestr(placeholder.decode() + part.suffix, part.read_bytes())
    # Chinese Windows writes GBK names without the UTF-8 flag: patch the name bytes.
    archive.write_bytes(archive.read_bytes().replace(placeholder, gbk))
    with zipfile.ZipFile(archive) as zf:
        raw = zf.infolist()[0]
        assert decode_zip_name(raw.filename, bool(raw.flag_bits & 0x800)).startswith(
            "行政村"
        )
    assert list_layers(archive) == ["行政村.shp"]
    loaded = read_source(archive)[0]
    assert loaded.info.layer == "行政村.shp"
    assert loaded.info.encoding == "gbk"
    assert loaded.frame["CUNMING"].iloc[4] == "坪上村"
    assert loaded.frame.attrs["source_path"] == str(archive)

"""What the import dialog gets from preview(), and remembered field mappings."""

from __future__ import annotations

import json

import pytest

from gisapp.data.mappings import recall_mapping, remember_mapping, source_key
from gisapp.data.preview import preview, preview_encodings
from gisapp.errors import ReadError


def test_preview_of_a_gbk_shapefile(cases_dir, tmp_path):
    path = cases_dir / "01-shp-gbk-no-cpg" / "c_ldid_57" / "villages.shp"
    info = preview(path, config_dir=tmp_path, rows=3)
    assert info["encoding"] == "gbk"
    assert info["feature_count"] == 10
    assert [r["CUNMING"] for r in info["rows"]] == ["上坝村", "岩脚村", "龙潭村"]
    assert info["crs"].startswith("EPSG:4490") and info["crs_declared"] is True
    assert info["kind"] == "village"
    assert info["mapping"]["DAIMA"] == "code" and info["mapping"]["CUNMING"] == "name"
    assert info["mapping_remembered"] is False
    assert "village" in info["kinds"]
    assert info["rows"][0]["PKHS"] == 57
    json.dumps(info, ensure_ascii=False)  # plain data the dialog can keep


def test_both_readings_side_by_side_when_the_bytes_allow_them(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes("村名,户数\n村名,12\n".encode())  # UTF-8, also valid GBK
    readings = dict(preview_encodings(path))
    assert list(readings) == ["utf-8", "gbk"]
    assert readings["utf-8"][0]["村名"] == "村名"
    assert readings["gbk"][0]["鏉戝悕"] == "鏉戝悕"
    info = preview(path, config_dir=tmp_path)
    assert info["encoding"] == "utf-8"
    assert [a["encoding"] for a in info["encoding_alternatives"]] == ["gbk"]


def test_preview_of_undeclared_metres_lists_candidates(cases_dir, tmp_path):
    path = cases_dir / "12-missing-prj" / "a_projected_no_prj" / "roads.shp"
    info = preview(path, config_dir=tmp_path, near_lon=111.0)
    assert info["crs_declared"] is False
    assert info["crs_candidates"][0]["epsg"] == 4546
    assert any("坐标系未知" in w for w in info["warnings"])


def test_mapping_is_remembered_per_source(cases_dir, tmp_path):
    path = cases_dir / "01-shp-gbk-no-cpg" / "a_ldid_4D" / "villages.shp"
    first = preview(path, config_dir=tmp_path)
    chosen = dict(first["mapping"])
    chosen["YINSHUI"] = "source"  # the user's correction in the dialog
    remember_mapping(
        first["source_key"], chosen, tmp_path, kind="village", encoding="gbk"
    )
    assert recall_mapping(first["source_key"], tmp_path) == chosen
    again = preview(path, config_dir=tmp_path)
    assert again["mapping_remembered"] is True
    assert again["mapping"]["YINSHUI"] == "source"
    assert again["remembered"]["encoding"] == "gbk"
    other = source_key(path, ["CUNMING", "DAIMA"])
    assert other != first["source_key"] and recall_mapping(other, tmp_path) is None


def test_unreadable_file_names_file_problem_and_fix(tmp_path):
    path = tmp_path / "村界.shp"
    path.write_bytes(b"\0" * 10)
    with pytest.raises(ReadError) as err:
        preview(path, config_dir=tmp_path)
    text = err.value.message()
    assert "村界.shp" in text and ".shx" in text and "fix" in text


def test_the_confirmed_mapping_builds_the_layer(cases_dir, tmp_path):
    from gisapp.data.readers import read_source
    from gisapp.model.project import make_layer

    path = cases_dir / "01-shp-gbk-no-cpg" / "a_ldid_4D" / "villages.shp"
    info = preview(path, config_dir=tmp_path)
    chosen = {**info["mapping"], "PKHS": "poor_people"}
    layer = make_layer(read_source(path)[0], info["kind"], mapping=chosen)
    assert layer.info.mapping["PKHS"] == "poor_people"
    assert layer.frame["poor_people"].tolist()[:2] == [57, 83]
    assert layer.frame["poor_households"].isna().all()

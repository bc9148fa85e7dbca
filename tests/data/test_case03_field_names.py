"""Case 03: Chinese field names against the 10-byte .dbf limit."""

from __future__ import annotations

import pytest

from gisapp.data.readers import read_source
from gisapp.data.writers import short_field_names, write_layer
from gisapp.errors import ExportError

LONG = [
    "村名",
    "行政区划代码",
    "建档立卡贫困户数",
    "建档立卡贫困人口",
    "饮水安全达标",
    "饮水安全达标率",
]


@pytest.fixture(scope="module")
def villages(cases_dir):
    return read_source(
        cases_dir / "03-dbf-chinese-field-names" / "villages_long_fields.geojson"
    )[0]


@pytest.mark.parametrize("encoding, limit_chars", [("utf-8", 3), ("gbk", 5)])
def test_short_names_fit_and_never_cut_a_character(encoding, limit_chars):
    names = short_field_names(LONG, encoding)
    shorts = list(names.values())
    assert len(set(shorts)) == len(shorts)
    for src, short in names.items():
        assert len(short.encode(encoding)) <= 10
        assert short.encode(encoding).decode(encoding) == short
        assert all(ch in src for ch in short)
    assert names["村名"] == "村名"
    assert len(names["行政区划代码"]) == limit_chars
    # The two 建档立卡 fields stay distinguishable: 户数 vs 人口.
    assert names["建档立卡贫困户数"].endswith("户数")
    assert names["建档立卡贫困人口"].endswith("人口")


def test_user_chosen_names_are_used_and_checked():
    names = short_field_names(
        LONG, "utf-8", {"建档立卡贫困户数": "贫困户", "建档立卡贫困人口": "贫困人"}
    )
    assert names["建档立卡贫困户数"] == "贫困户"
    with pytest.raises(ExportError, match="10 bytes"):
        short_field_names(LONG, "utf-8", {"村名": "建档立卡户数"})


def test_utf8_export_reopens_with_all_rows_and_values(villages, tmp_path):
    frame = villages.frame
    assert len(frame) == 12
    out = tmp_path / "村.shp"
    report = write_layer(frame, out)
    assert report.mapping_file is not None and report.mapping_file.exists()
    mapping = report.fields
    back = read_source(out)[0].frame
    assert len(back) == 12
    for src in LONG:
        assert (
            back[mapping[src]].astype(str).tolist() == frame[src].astype(str).tolist()
        )
    assert "㙟上村" in back[mapping["村名"]].tolist()
    assert "𡌶头村" in back[mapping["村名"]].tolist()
    text = report.mapping_file.read_text(encoding="utf-8-sig")
    assert "建档立卡贫困人口" in text


def test_gbk_export_stops_naming_the_characters(villages, tmp_path):
    out = tmp_path / "村_gbk.shp"
    with pytest.raises(ExportError) as err:
        write_layer(villages.frame, out, encoding="gbk")
    assert "㙟" in err.value.message() and "𡌶" in err.value.message()
    assert not out.exists()
    write_layer(villages.frame, tmp_path / "村_gb18030.shp", encoding="gb18030")
    back = read_source(tmp_path / "村_gb18030.shp")[0].frame
    assert "𡌶头村" in back.iloc[:, 0].tolist()


def test_names_cut_mid_character_import(cases_dir):
    path = (
        cases_dir
        / "03-dbf-chinese-field-names"
        / "b_truncated_utf8_names"
        / "villages_cut.shp"
    )
    loaded = read_source(path)[0]
    cols = [c for c in loaded.frame.columns if c != "geometry"]
    assert cols == ["行政区", "建档立", "建档立_2", "村名"]
    assert len(loaded.frame) == 10
    assert loaded.frame["村名"].iloc[0] == "上坝村"
    assert loaded.frame["行政区"].iloc[0] == "431299101201"
    assert any("cut in the middle of a character" in w for w in loaded.info.warnings)

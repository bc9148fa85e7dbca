"""Case 01: GBK shapefile without .cpg, with three different language-driver bytes."""

from __future__ import annotations

import pandas as pd
import pytest

from gisapp.data.readers import read_source
from gisapp.data.writers import write_layer

VARIANTS = ["a_ldid_4D", "b_ldid_00", "c_ldid_57"]
COLUMNS = ["CUNMING", "DAIMA", "XIANGZHEN", "PKHS", "YINSHUI"]


@pytest.fixture(scope="module")
def expected(cases_dir):
    path = cases_dir / "01-shp-gbk-no-cpg" / "expected_attributes.csv"
    return pd.read_csv(path, dtype={"DAIMA": str}, encoding="utf-8")


def _check(frame, expected):
    assert len(frame) == len(expected) == 10
    for col in COLUMNS:
        got = frame[col].astype(str).tolist()
        assert got == expected[col].astype(str).tolist(), col
    xy = frame.geometry.get_coordinates()
    assert xy["x"].round(6).tolist() == expected["lon"].round(6).tolist()
    assert xy["y"].round(6).tolist() == expected["lat"].round(6).tolist()


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_reads_the_chinese_text(cases_dir, expected, variant):
    loaded = read_source(cases_dir / "01-shp-gbk-no-cpg" / variant / "villages.shp")
    assert len(loaded) == 1
    info = loaded[0].info
    assert info.encoding == "gbk"
    _check(loaded[0].frame, expected)
    if variant == "c_ldid_57":
        # The wrong Western code page is named, not silently obeyed.
        assert "0x57" in info.encoding_how and "GBK" in info.encoding_how


def test_user_override_is_obeyed(cases_dir):
    path = cases_dir / "01-shp-gbk-no-cpg" / "b_ldid_00" / "villages.shp"
    info = read_source(path, encoding="latin-1")[0].info
    assert info.encoding == "latin-1" and info.encoding_how == "chosen by the user"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_round_trip_keeps_every_character(cases_dir, expected, tmp_path, encoding):
    path = cases_dir / "01-shp-gbk-no-cpg" / "c_ldid_57" / "villages.shp"
    frame = read_source(path)[0].frame
    out = tmp_path / f"导出_{encoding}.shp"
    write_layer(frame, out, encoding=encoding)
    assert (
        out.with_suffix(".cpg").read_text()
        == {"utf-8": "UTF-8", "gbk": "GBK"}[encoding]
    )
    ldid = out.with_suffix(".dbf").read_bytes()[29]
    assert ldid == {"utf-8": 0x00, "gbk": 0x4D}[encoding]
    _check(read_source(out)[0].frame, expected)
    gpkg = tmp_path / "导出.gpkg"
    write_layer(frame, gpkg)
    _check(read_source(gpkg)[0].frame, expected)

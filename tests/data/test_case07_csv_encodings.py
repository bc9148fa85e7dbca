"""Case 07: village ledger CSV as ANSI (GBK), UTF-8 with BOM and UTF-8 without BOM."""

from __future__ import annotations

import json

import pytest

from gisapp.data.encoding import decodes, guess_bytes
from gisapp.data.readers import read_source
from gisapp.data.writers import write_layer

CASE = "07-csv-gbk-and-utf8-bom"
FILES = {
    "a": ("a_村级台账_ANSI.csv", "rows_a_c"),
    "b": ("b_村级台账_UTF8_BOM.csv", "rows_b"),
    "c": ("c_村级台账_UTF8_noBOM.csv", "rows_a_c"),
}


@pytest.fixture(scope="module")
def expected(cases_dir):
    return json.loads((cases_dir / CASE / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("variant", sorted(FILES))
def test_header_rows_and_points(cases_dir, expected, variant):
    name, rows_key = FILES[variant]
    loaded = read_source(cases_dir / CASE / name)[0]
    frame = loaded.frame
    assert [c for c in frame.columns if c != "geometry"] == expected["header"]
    rows = expected[rows_key]
    assert len(frame) == len(rows)
    for (_, got), want in zip(frame.iterrows(), rows, strict=True):
        assert [got[c] for c in expected["header"]] == [str(v) for v in want]
        assert got.geometry.x == pytest.approx(float(want[2]), abs=1e-9)
        assert got.geometry.y == pytest.approx(float(want[3]), abs=1e-9)


def test_encodings_detected_without_corrupting_utf8(cases_dir, expected):
    enc = {
        v: read_source(cases_dir / CASE / FILES[v][0])[0].info.encoding for v in FILES
    }
    assert enc["a"] in ("gbk", "gb18030")
    assert enc["b"] == "utf-8" and enc["c"] == "utf-8"
    raw_c = (cases_dir / CASE / FILES["c"][0]).read_bytes()
    assert decodes(raw_c, "gbk") is expected["c_decodes_as_gbk_without_error"]
    assert guess_bytes(raw_c)[0] == "utf-8"


def test_utf8_that_is_also_valid_gbk_stays_utf8_and_offers_both():
    raw = "村名".encode()  # valid UTF-8; the same bytes also decode as GBK: 鏉戝悕
    assert raw.decode("gbk") == "鏉戝悕"
    enc, _, others = guess_bytes(raw)
    assert enc == "utf-8"
    assert others == ["gbk"]


def test_rare_characters_survive_export(cases_dir, tmp_path):
    frame = read_source(cases_dir / CASE / FILES["b"][0])[0].frame
    out = tmp_path / "台账.csv"
    write_layer(frame, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "㙟上村" in text and "𡌶头村" in text
    back = read_source(out)[0].frame
    assert back["村名"].tolist()[-2:] == ["㙟上村", "𡌶头村"]

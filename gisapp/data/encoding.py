"""Detect the text encoding of .dbf files and text tables.

Chinese Windows writes GBK (code page 936) by default and many tools leave no .cpg,
or a language-driver byte that says nothing or something wrong. Valid UTF-8 is never
read as GBK: UTF-8 is tried strictly first, then GB18030 (a superset of GBK).
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

log = logging.getLogger(__name__)

# dBASE language-driver ids that name a code page outright.
LDID_CODEPAGES = {
    0x4D: "cp936",
    0x7A: "cp936",
    0x78: "cp950",
    0x4E: "cp949",
    0x4F: "cp950",
    0x13: "cp932",
    0x7B: "cp932",
    0x01: "cp437",
    0x02: "cp850",
    0x03: "cp1252",
    0x57: "cp1252",
    0x64: "cp852",
    0xC8: "cp1250",
    0xC9: "cp1251",
}
CPG_NAMES = {
    "936": "gbk",
    "cp936": "gbk",
    "gbk": "gbk",
    "gb2312": "gbk",
    "gb18030": "gb18030",
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "65001": "utf-8",
    "1252": "cp1252",
    "ansi 1252": "cp1252",
    "88591": "latin-1",
    "8859_1": "latin-1",
    "iso-8859-1": "latin-1",
    "iso88591": "latin-1",
}


def normalise_name(name: str) -> str:
    """Canonical Python codec name for a .cpg or user-typed encoding name."""
    key = name.strip().lower().replace(" ", "")
    return CPG_NAMES.get(key, CPG_NAMES.get(key.replace("-", ""), name.strip().lower()))


def has_high_bytes(data: bytes) -> bool:
    return any(b >= 0x80 for b in data)


def decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def cjk_share(text: str) -> float:
    """Share of non-ASCII characters that are CJK ideographs or CJK punctuation."""
    high = [c for c in text if ord(c) >= 0x80]
    if not high:
        return 1.0
    cjk = sum(
        1
        for c in high
        if "\u4e00" <= c <= "\u9fff"
        or "\u3000" <= c <= "\u303f"
        or "\uff00" <= c <= "\uffef"
        or "\u3400" <= c <= "\u4dbf"
    )
    return cjk / len(high)


def guess_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Guess the encoding of raw text bytes: ``(encoding, how, other readings)``."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "UTF-8 byte-order mark", []
    if not has_high_bytes(data):
        return "utf-8", "ASCII only: every encoding reads it the same", []
    if decodes(data, "utf-8"):
        others = ["gb18030"] if decodes(data, "gb18030") else []
        return "utf-8", "bytes are valid UTF-8", others
    if decodes(data, "gbk"):
        return "gbk", "bytes are not UTF-8 and decode cleanly as GBK", ["latin-1"]
    if decodes(data, "gb18030"):
        return "gb18030", "bytes decode cleanly as GB18030 only", ["latin-1"]
    return "latin-1", "bytes are neither UTF-8 nor GBK; read as Latin-1", []


def _dbf_text_bytes(dbf: Path) -> tuple[int, bytes]:
    """The language-driver byte and the record bytes of a .dbf file."""
    raw = dbf.read_bytes()
    if len(raw) < 32:
        return 0, b""
    ldid = raw[29]
    header_len = struct.unpack("<H", raw[8:10])[0]
    return ldid, raw[header_len:] + raw[32:header_len]


def detect_dbf_encoding(shp: Path) -> tuple[str | None, str, list[str]]:
    """Encoding of a shapefile's attributes: ``(encoding, how, other readings)``.

    Order of evidence: the bytes themselves when they only allow one CJK reading,
    then a .cpg, then the language-driver byte. A .cpg or driver byte that the
    bytes contradict is reported in ``how``.
    """
    dbf = shp.with_suffix(".dbf")
    if not dbf.exists():
        dbf = shp.with_suffix(".DBF")
    if not dbf.exists():
        return None, "no .dbf file", []
    ldid, data = _dbf_text_bytes(dbf)
    declared, declared_how = None, ""
    for cpg in (shp.with_suffix(".cpg"), shp.with_suffix(".CPG")):
        if cpg.exists():
            text = cpg.read_bytes().decode("ascii", "replace").strip()
            declared, declared_how = normalise_name(text), f".cpg says {text!r}"
            break
    if declared is None and ldid in LDID_CODEPAGES:
        declared = LDID_CODEPAGES[ldid]
        declared_how = f"language-driver byte 0x{ldid:02X} says {declared}"

    guess, how, others = guess_bytes(data)
    if guess == "utf-8" and not has_high_bytes(data):
        return declared or "utf-8", declared_how or how, []
    if declared and decodes(data, declared):
        text = data.decode(declared)
        cjk_ok = cjk_share(text) > 0.6
        if declared in ("utf-8", "gbk", "gb18030", "cp936") or cjk_ok:
            alt = [e for e in (guess, *others) if e != declared]
            return declared, declared_how + ", and the bytes agree", alt
    if declared:
        how = f"{declared_how}, but {how}"
    return guess, how, [e for e in others if e != guess]

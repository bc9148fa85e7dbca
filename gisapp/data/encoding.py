"""Detect the text encoding of .dbf files, text tables and zip entry names.

Chinese Windows writes GBK (code page 936) by default and many tools leave no .cpg,
or a language-driver byte that says nothing or something wrong. Valid UTF-8 is never
read as GBK: UTF-8 is tried strictly first, then GBK, then GB18030 (a superset of
GBK that also holds the rare characters of CJK extensions A and B).
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

log = logging.getLogger(__name__)

# dBASE language-driver ids that name a code page outright.
LDID_CODEPAGES = {
    0x4D: "gbk",
    0x7A: "gbk",
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
# The language-driver byte written next to a .cpg for the encodings we write.
LDID_FOR = {"gbk": 0x4D, "gb18030": 0x4D, "utf-8": 0x00}
CPG_NAMES = {
    "936": "gbk",
    "cp936": "gbk",
    "gbk": "gbk",
    "gb2312": "gbk",
    "euccn": "gbk",
    "gb18030": "gb18030",
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "65001": "utf-8",
    "1252": "cp1252",
    "ansi1252": "cp1252",
    "88591": "latin-1",
    "8859_1": "latin-1",
    "iso-8859-1": "latin-1",
    "iso88591": "latin-1",
    "big5": "cp950",
    "950": "cp950",
}
# The readings offered when the bytes allow more than one.
CJK_ENCODINGS = ("utf-8", "gbk", "gb18030")
# Beyond this many bytes, the detection reads a head and a tail sample.
SAMPLE_BYTES = 8_000_000


def normalise_name(name: str) -> str:
    """Canonical Python codec name for a .cpg or user-typed encoding name."""
    key = name.strip().lower().replace(" ", "")
    return CPG_NAMES.get(key, CPG_NAMES.get(key.replace("-", ""), name.strip().lower()))


def has_high_bytes(data: bytes) -> bool:
    """Whether any byte is outside ASCII."""
    return not data.isascii()


def decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` decodes under ``encoding`` without a single error."""
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _is_cjk(c: str) -> bool:
    return (
        "\u4e00" <= c <= "\u9fff"
        or "\u3000" <= c <= "\u303f"
        or "\uff00" <= c <= "\uffef"
        or "\u3400" <= c <= "\u4dbf"
        or "\U00020000" <= c <= "\U0003134f"
        or c in "·—…“”‘’《》【】、"
    )


def cjk_share(text: str) -> float:
    """Share of non-ASCII characters that are CJK ideographs or CJK punctuation."""
    high = [c for c in text if ord(c) >= 0x80]
    if not high:
        return 1.0
    return sum(1 for c in high if _is_cjk(c)) / len(high)


def guess_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Guess the encoding of raw text bytes: ``(encoding, how, other readings)``.

    Order: a UTF-8 byte-order mark; pure ASCII; strict UTF-8; GBK; GB18030. Other
    readings are the encodings that also decode the bytes into Chinese text, so
    that an import dialog can show them side by side.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "UTF-8 byte-order mark", []
    if not has_high_bytes(data):
        return "utf-8", "ASCII only: every encoding reads it the same", []
    if decodes(data, "utf-8"):
        others = [e for e in ("gbk", "gb18030") if _plausible(data, e)][:1]
        return "utf-8", "bytes are valid UTF-8", others
    if decodes(data, "gbk"):
        return "gbk", "bytes are not UTF-8 and decode cleanly as GBK", []
    if decodes(data, "gb18030"):
        return "gb18030", "bytes decode cleanly only as GB18030 (rare characters)", []
    for enc in ("gbk", "utf-8"):
        text = data.decode(enc, "replace")
        bad = text.count("\ufffd")
        if bad <= max(2, len(text) // 1000) and cjk_share(text) > 0.8:
            return (
                enc,
                f"bytes are {enc.upper()} except {bad} damaged characters, shown as �",
                [],
            )
    return "latin-1", "bytes are neither UTF-8 nor GBK; read as Latin-1", []


def _plausible(data: bytes, encoding: str) -> bool:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return cjk_share(text) > 0.8


def _sample(raw: bytes) -> bytes:
    if len(raw) <= SAMPLE_BYTES:
        return raw
    half = SAMPLE_BYTES // 2
    head, tail = raw[:half], raw[-half:]
    # Cut at line or record boundaries so no multi-byte character is split.
    cut = head.rfind(b"\n")
    head = head[: cut + 1] if cut > 0 else head
    cut = tail.find(b"\n")
    tail = tail[cut + 1 :] if cut >= 0 else tail
    return head + tail


def dbf_parts(dbf: Path) -> tuple[int, list[bytes], bytes]:
    """The language-driver byte, raw field names and record bytes of a .dbf file."""
    with dbf.open("rb") as fh:
        head = fh.read(32)
        if len(head) < 32:
            return 0, [], b""
        header_len, record_len = struct.unpack("<HH", head[8:12])
        count = struct.unpack("<I", head[4:8])[0]
        descriptors = fh.read(max(0, header_len - 32))
        fh.seek(header_len)
        size = count * record_len
        if size > SAMPLE_BYTES and record_len:
            keep = (SAMPLE_BYTES // 2 // record_len) * record_len
            records = fh.read(keep)
            fh.seek(header_len + size - keep)
            records += fh.read(keep)
        else:
            records = fh.read(size)
    names = []
    for i in range(0, len(descriptors) - 31, 32):
        chunk = descriptors[i : i + 32]
        if chunk[0] == 0x0D:
            break
        names.append(chunk[:11].split(b"\x00")[0])
    return head[29], names, records


def decode_field_name(raw: bytes, encoding: str) -> tuple[str, bool]:
    """A .dbf field name: ``(text, damaged)``; a character cut at the end is dropped."""
    try:
        return raw.decode(encoding).strip(), False
    except (UnicodeDecodeError, LookupError):
        pass
    for cut in range(1, 4):
        try:
            return raw[:-cut].decode(encoding).strip(), True
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode(encoding, "replace").strip(), True


def read_cpg(shp: Path) -> str | None:
    """The text of a shapefile's .cpg, if any."""
    for cpg in (shp.with_suffix(".cpg"), shp.with_suffix(".CPG")):
        if cpg.exists():
            return cpg.read_bytes().decode("ascii", "replace").strip()
    return None


def find_dbf(shp: Path) -> Path | None:
    for dbf in (shp.with_suffix(".dbf"), shp.with_suffix(".DBF")):
        if dbf.exists():
            return dbf
    return None


def detect_dbf_encoding(shp: Path) -> tuple[str | None, str, list[str]]:
    """Encoding of a shapefile's attributes: ``(encoding, how, other readings)``.

    The record bytes decide when they allow only one reading; a .cpg or the
    language-driver byte decides between readings the bytes allow; a .cpg or
    driver byte the bytes contradict is named in ``how``.
    """
    dbf = find_dbf(shp)
    if dbf is None:
        return None, "no .dbf file", []
    ldid, names, data = dbf_parts(dbf)
    declared, declared_how = None, ""
    cpg = read_cpg(shp)
    if cpg:
        declared, declared_how = normalise_name(cpg), f".cpg says {cpg!r}"
    elif ldid in LDID_CODEPAGES:
        declared = LDID_CODEPAGES[ldid]
        declared_how = f"language-driver byte 0x{ldid:02X} says {declared}"
    if not has_high_bytes(data):
        # The values are ASCII; the field names may still carry the encoding.
        data = b"".join(names)
    guess, how, others = guess_bytes(data)
    if not has_high_bytes(data):
        return declared or "utf-8", declared_how or how, []
    readings = [e for e in (guess, *others) if e != "latin-1"]
    if guess == "utf-8" and declared != "utf-8":
        # Valid UTF-8 is never read as GBK: multi-byte UTF-8 does not happen by chance.
        alt = [e for e in others if e != guess]
        if declared:
            how = f"{declared_how}, but {how}"
        return "utf-8", how, alt
    if declared in readings or (
        declared == "gbk" and "gb18030" in readings and decodes(data, "gbk")
    ):
        alt = [e for e in readings if e != declared]
        return declared, declared_how + ", and the bytes agree", alt
    if declared:
        how = f"{declared_how}, but {how}"
    return guess, how, [e for e in others if e != guess]


def decode_zip_name(raw_name: str, utf8_flag: bool) -> str:
    """A zip entry name as written; Chinese Windows zips name entries in GBK.

    Python's zipfile decodes names without the UTF-8 flag as CP437, which turns
    GBK names into nonsense; the original bytes are recovered and decoded again.
    """
    if utf8_flag:
        return raw_name
    try:
        data = raw_name.encode("cp437")
    except UnicodeEncodeError:
        return raw_name
    enc, _, _ = guess_bytes(data)
    return data.decode("latin-1" if enc == "latin-1" else enc.replace("-sig", ""))

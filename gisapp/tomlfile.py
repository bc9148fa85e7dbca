"""Reading the app's TOML files (projects, rules, layouts, kinds, styles).

Offices edit these files in Windows Notepad, which saves UTF-8 with a byte-order
mark, or "ANSI" (GBK on a Chinese Windows), or "Unicode" (UTF-16). All of them
are read; what is not text at all is refused with the fix.
"""

from __future__ import annotations

import codecs
import logging
import tomllib
from pathlib import Path

from gisapp.data.encoding import guess_bytes
from gisapp.errors import GisAppError

log = logging.getLogger(__name__)

UTF8 = "utf-8"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SAVE_AS_UTF8 = "save it as UTF-8 text (in Notepad: 另存为, 编码 UTF-8)"


def read_toml(path: Path, what: str, error: type[GisAppError] = GisAppError) -> dict:
    """The contents of a TOML file; ``error`` naming the line when it is not valid.

    ``what`` names the file for the user, e.g. "the rules file".
    """
    return load_toml(path, what, error)[0]


def load_toml(
    path: Path, what: str, error: type[GisAppError] = GisAppError
) -> tuple[dict, str]:
    """The contents of a TOML file and the encoding its text was read in.

    The encoding is ``"utf-8"`` (with or without a byte-order mark), ``"utf-16"``
    or ``"gb18030"`` (GBK and GB2312 are part of it).
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise error(
            f"{what} cannot be read ({exc.strerror or exc})",
            path=path,
            value=str(Path(path).absolute()),
            fix="check that the file is there and that you may read it",
        ) from exc
    text, encoding = decode_text(raw, path, what, error)
    try:
        return tomllib.loads(text), encoding
    except tomllib.TOMLDecodeError as exc:
        raise error(
            f"{what} is not valid TOML ({exc})",
            path=path,
            fix="correct the line named (a copy of the file as shipped shows the form)",
        ) from exc


def decode_text(
    raw: bytes, path: Path, what: str, error: type[GisAppError] = GisAppError
) -> tuple[str, str]:
    """The text of a small settings file and its encoding: UTF-8, UTF-16 with a
    byte-order mark, or GB18030; ``error`` when the bytes are none of them."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _decode(raw, codec, path, what, error), codec.removesuffix("-sig")
    if b"\x00" not in raw:
        encoding, how, _ = guess_bytes(raw)
        if encoding in (UTF8, "gbk", "gb18030"):
            try:  # the guess may allow a damaged character; a settings file may not
                text = raw.decode("gb18030" if encoding == "gbk" else encoding)
            except UnicodeDecodeError:
                pass
            else:
                log.debug("%s: %s", path, how)
                return text, UTF8 if encoding == UTF8 else "gb18030"
    raise error(
        f"{what} is not a text file in UTF-8 or GBK",
        path=path,
        value=_first_bad_bytes(raw),
        fix=f"{SAVE_AS_UTF8}; if it is not a TOML text file, name the right file",
    )


def _decode(raw: bytes, codec: str, path: Path, what: str, error) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise error(
            f"{what} says it is {codec.removesuffix('-sig').upper()} but is not",
            path=path,
            value=raw[exc.start : exc.start + 8].hex(" "),
            fix=SAVE_AS_UTF8,
        ) from exc


def _first_bad_bytes(raw: bytes) -> str:
    """Where the bytes stop being text (a NUL, or no longer UTF-8), for the message."""
    try:
        raw.decode(UTF8)
        at = len(raw)
    except UnicodeDecodeError as exc:
        at = exc.start
    nul = raw.find(b"\x00")
    if 0 <= nul < at:
        at = nul
    return f"byte {at}: {raw[at : at + 8].hex(' ')}"

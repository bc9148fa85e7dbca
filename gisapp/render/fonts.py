"""Chinese fonts for drawing and printing, and a check that every character has one.

Qt must have a ``QGuiApplication`` before fonts can be listed;
:func:`ensure_app` makes one (offscreen when no display is set) if none exists.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import unicodedata
from functools import cache

from PyQt6.QtCore import QCoreApplication
from PyQt6.QtGui import QFont, QFontDatabase, QFontMetricsF, QGuiApplication, QRawFont

log = logging.getLogger(__name__)

#: Families tried in order; the first installed one draws all text.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "微软雅黑",
    "SimHei",
    "黑体",
    "SimSun",
    "宋体",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "PingFang SC",
)

_app = None


def ensure_app() -> QCoreApplication:
    """The running Qt application, making one (offscreen when no display) if none.

    Printing needs only a ``QGuiApplication``; when the process already uses
    widgets (the desktop window loaded them), a ``QApplication`` of the loaded
    widgets module is made instead, so that windows opened later still work.
    Must first be called on the main thread; renderers in worker threads then
    reuse it.
    """
    global _app
    inst = QCoreApplication.instance()
    if inst is not None:
        return inst
    if not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    widgets = sys.modules.get("PyQt6.QtWidgets")
    kind = widgets.QApplication if widgets is not None else QGuiApplication
    _app = kind(sys.argv[:1] or ["gisapp"])
    return _app


@cache
def cjk_family() -> str:
    """The installed family used for all Chinese text; '' when none is installed."""
    ensure_app()
    installed = set(QFontDatabase.families())
    for name in CJK_FAMILIES:
        if name in installed:
            return name
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if chinese:
        return chinese[0]
    log.warning("no font with Chinese characters is installed")
    return ""


def make_font(size_pt: float, bold: bool = False, italic: bool = False) -> QFont:
    """A font of the Chinese family at a size in points (1/72 inch on paper)."""
    font = QFont(cjk_family() or QFont().family())
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    font.setItalic(italic)
    font.setStyleStrategy(QFont.StyleStrategy.PreferOutline)
    # Localised forms swap digits and Latin letters of CJK fonts for glyphs that
    # have no code point, so a PDF could not map them back to text.
    font.setFeature(QFont.Tag("locl"), 0)
    return font


def pixel_font(
    size_pt: float, dpi: float, bold: bool = False, italic: bool = False
) -> QFont:
    """A font sized in device pixels so that it measures ``size_pt`` at ``dpi``."""
    font = make_font(10, bold, italic)
    font.setPixelSize(max(1, round(size_pt * dpi / 72)))
    return font


def uncovered_characters(texts, families: tuple[str, ...] | None = None) -> list[str]:
    """Characters of ``texts`` that no installed Chinese or default font can draw.

    Parameters
    ----------
    texts : iterable of str
        Every text that will be printed.
    families : tuple of str, optional
        Families to look in; the Chinese family and the default font by default.

    Returns
    -------
    list of str
        The missing characters, each once, in order of appearance.
    """
    ensure_app()
    if families is None:
        families = tuple(f for f in (cjk_family(), QFont().family()) if f)
    metrics = [QFontMetricsF(QFont(f)) for f in families]
    seen: dict[str, None] = {}
    for text in texts:
        for ch in str(text):
            if ch in seen or ch.isspace() or unicodedata.category(ch).startswith("C"):
                continue
            if not any(m.inFontUcs4(ord(ch)) for m in metrics):
                seen[ch] = None
    return list(seen)


@cache
def _radical_table() -> dict[int, int]:
    """Radical code points → the unified ideograph drawn with the same glyph."""
    table: dict[int, int] = {}
    for cp in range(0x2E80, 0x2FE0):
        norm = unicodedata.normalize("NFKC", chr(cp))
        if len(norm) == 1 and 0x3400 <= ord(norm) <= 0x9FFF:
            table[cp] = ord(norm)
    family = cjk_family()
    if not family:
        return table
    raw = QRawFont.fromFont(QFont(family))
    if not raw.isValid():
        return table
    unified = "".join(chr(c) for c in range(0x4E00, 0xA000))
    glyphs = raw.glyphIndexesForString(unified)
    by_glyph: dict[int, int] = {}
    for cp, g in zip(range(0x4E00, 0xA000), glyphs, strict=False):
        if g and g not in by_glyph:
            by_glyph[g] = cp
    radicals = "".join(chr(c) for c in range(0x2E80, 0x2FE0))
    for cp, g in zip(
        range(0x2E80, 0x2FE0), raw.glyphIndexesForString(radicals), strict=False
    ):
        if g in by_glyph and cp not in table:
            table[cp] = by_glyph[g]
    return table


_CMAP = re.compile(rb"begincmap.*?endcmap", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")
_LINE = re.compile(rb"^(<[0-9A-Fa-f]+>\s+(?:<[0-9A-Fa-f]+>\s+)?)(.*)$")


def fix_pdf_text_mapping(path) -> int:
    """Make text copied from a Qt PDF give the ideographs, not look-alike radicals.

    Qt's PDF writer maps each embedded glyph back to the lowest code point that
    uses it; CJK fonts share glyphs between radicals (U+2E80–U+2FDF) and the
    ideographs, so 青 would copy out as 青's radical form, and a space as a tab.
    Only the destination codes of the ToUnicode tables are rewritten, in place
    and with codes of the same length, so no offset in the file moves.

    Returns
    -------
    int
        How many codes were corrected.
    """
    table = _radical_table()
    data = open(path, "rb").read()
    count = 0

    def fix_code(match: re.Match) -> bytes:
        nonlocal count
        cp = int(match.group(1), 16)
        if cp in table:
            count += 1
            return b"<%04X>" % table[cp]
        if cp in (0x09, 0x0A, 0x0D):
            count += 1
            return b"<0020>"
        return match.group(0)

    def fix_block(match: re.Match) -> bytes:
        out = []
        mode = None
        for line in match.group(0).split(b"\n"):
            word = line.strip()
            if word.endswith(b"beginbfrange"):
                mode = "range"
            elif word.endswith(b"beginbfchar"):
                mode = "char"
            elif word in (b"endbfrange", b"endbfchar"):
                mode = None
            elif mode is not None:
                m = _LINE.match(line)
                if m and (mode == "char" or m.group(1).count(b"<") == 2):
                    line = m.group(1) + _HEX.sub(fix_code, m.group(2))
            out.append(line)
        return b"\n".join(out)

    fixed = _CMAP.sub(fix_block, data)
    if count:
        if len(fixed) != len(data):
            raise AssertionError("text mapping fix changed the PDF length")
        with open(path, "r+b") as fh:
            fh.write(fixed)
    return count


_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_FONTNAME = re.compile(rb"/FontName\s*/([A-Z]{6}\+[^\s/<>\[\]()]+)")
_BASEFONT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)")
_DESC_REF = re.compile(rb"/FontDescriptor\s+(\d+)\s+0\s+R")
_DESCENDANT = re.compile(rb"/DescendantFonts\s*\[\s*(\d+)\s+0\s+R")


def tag_pdf_subset_fonts(path) -> int:
    """Give Qt's embedded font subsets their subset tag in ``/BaseFont`` too.

    Qt writes the six-letter tag (``QQAAAA+``) only in the font descriptor, so
    ``pdffonts`` and print-shop preflight report the fonts as not subset. The tag
    is copied into the CID font and its Type 0 parent, and the cross-reference
    table is rewritten for the shifted objects.

    Returns
    -------
    int
        How many font names were tagged (0 when the file is not a plain Qt PDF).
    """
    data = open(path, "rb").read()
    m = _XREF.search(data[-64:])
    if not m:
        return 0
    xref_at = int(m.group(1))
    head = re.match(rb"xref\s+0\s+(\d+)\s*\n", data[xref_at:])
    if not head:
        return 0
    count = int(head.group(1))
    table_at = xref_at + head.end()
    entries = data[table_at : table_at + 20 * count]
    offsets = {}
    for i in range(count):
        row = entries[20 * i : 20 * i + 20]
        if row[17:18] == b"n":
            offsets[i] = int(row[:10])

    def header(obj: int) -> tuple[int, bytes]:
        start = offsets[obj]
        chunk = data[start : start + 4096]
        cut = min(
            (p for p in (chunk.find(b"stream"), chunk.find(b"endobj")) if p >= 0),
            default=len(chunk),
        )
        return start, chunk[:cut]

    descriptors, cidfonts, type0 = {}, {}, []
    for obj in offsets:
        start, text = header(obj)
        if b"/FontName" in text:
            found = _FONTNAME.search(text)
            if found:
                descriptors[obj] = found.group(1).split(b"+", 1)[0]
        if b"/FontDescriptor" in text and b"/BaseFont" in text:
            ref, base = _DESC_REF.search(text), _BASEFONT.search(text)
            if ref and base:
                cidfonts[obj] = (
                    int(ref.group(1)),
                    start + base.start(1),
                    base.group(1),
                )
        if b"/Type0" in text and b"/DescendantFonts" in text:
            child, base = _DESCENDANT.search(text), _BASEFONT.search(text)
            if child and base:
                type0.append(
                    (int(child.group(1)), start + base.start(1), base.group(1))
                )
    inserts: list[tuple[int, bytes]] = []
    for desc, pos, name in cidfonts.values():
        if desc in descriptors and b"+" not in name:
            inserts.append((pos, descriptors[desc] + b"+"))
    for child, pos, name in type0:
        if child in cidfonts and cidfonts[child][0] in descriptors and b"+" not in name:
            inserts.append((pos, descriptors[cidfonts[child][0]] + b"+"))
    if not inserts:
        return 0
    inserts.sort()
    out = bytearray()
    last = 0
    for pos, text in inserts:
        out += data[last:pos] + text
        last = pos
    out += data[last:xref_at]
    positions = [p for p, _ in inserts]
    sizes = [len(t) for _, t in inserts]

    def moved(offset: int) -> int:
        return offset + sum(
            s for p, s in zip(positions, sizes, strict=True) if p <= offset
        )

    new_xref = len(out)
    out += data[xref_at:table_at]
    for i in range(count):
        row = entries[20 * i : 20 * i + 20]
        if i in offsets:
            row = b"%010d" % moved(offsets[i]) + row[10:]
        out += row
    tail = data[table_at + 20 * count :]
    tail = _XREF.sub(b"startxref\n%d\n%%%%EOF\n" % new_xref, tail)
    out += tail
    with open(path, "wb") as fh:
        fh.write(out)
    return len(inserts)

"""Reading produced PDFs and TIFFs back: page sizes, fonts, text, images."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

from pypdf import PdfReader

PT_PER_MM = 72 / 25.4


def page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    reader = PdfReader(str(path))
    return [
        (float(p.mediabox.width) / PT_PER_MM, float(p.mediabox.height) / PT_PER_MM)
        for p in reader.pages
    ]


def fonts(path: Path) -> tuple[list[dict], str]:
    """Rows of ``pdffonts`` (name, type, emb, sub, uni) and what it wrote to stderr."""
    run = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    )
    rows = []
    for line in run.stdout.splitlines()[2:]:
        parts = line.split()
        if len(parts) < 7:
            continue
        emb, sub, uni = parts[-5], parts[-4], parts[-3]
        rows.append({"name": parts[0], "emb": emb, "sub": sub, "uni": uni})
    return rows, run.stderr


def text(path: Path, page: int | None = None) -> tuple[str, str]:
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    run = subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    )
    return run.stdout, run.stderr


def image_count(path: Path) -> int:
    reader = PdfReader(str(path))
    return sum(len(p.images) for p in reader.pages)


def tiff_tags(path: Path) -> dict[int, object]:
    """The first IFD of a little-endian classic TIFF: tag → value (rationals as float)."""
    data = path.read_bytes()
    assert data[:4] == b"II*\x00", "not a little-endian classic TIFF"
    (ifd,) = struct.unpack_from("<I", data, 4)
    (n,) = struct.unpack_from("<H", data, ifd)
    tags = {}
    for i in range(n):
        tag, typ, count, value = struct.unpack_from("<HHII", data, ifd + 2 + 12 * i)
        if typ == 3 and count == 1:
            value = value & 0xFFFF
        elif typ == 5:
            num, den = struct.unpack_from("<II", data, value)
            value = num / den
        tags[tag] = value
    return tags

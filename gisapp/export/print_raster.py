"""Raster sheets (PNG, TIFF) rendered in horizontal strips with bounded memory.

An A0 sheet at 300 dpi is 9,933 × 14,043 pixels (0.56 GB as one RGBA image; at
1200 dpi 8.9 GB). The sheet is drawn strip by strip into one reusable image and
each strip is compressed straight into the file, so memory stays near the strip
size whatever the dpi. Before writing, :func:`estimate` gives pixel size, memory
and file size, and :func:`check_raster` refuses jobs that cannot finish,
naming a lower dpi or PDF as the fix.
"""

from __future__ import annotations

import logging
import os
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PyQt6.QtCore import QRectF
from PyQt6.QtGui import QColor, QImage, QPainter

from gisapp.errors import ExportError
from gisapp.export.print_pdf import check_target
from gisapp.render.view import MM_PER_INCH

log = logging.getLogger(__name__)

#: Memory given to one strip image (bytes); the rest of the job is small next to it.
STRIP_BUDGET = 96 * 1024 * 1024
#: Memory the process needs besides the strip (Python, Qt, project data), bytes.
BASELINE = 300 * 1024 * 1024
#: Largest raster accepted (pixels); beyond it a PDF is the right output.
MAX_PIXELS = 4_000_000_000
#: Compressed size of a map per raw byte, measured on battle maps (for estimates).
COMPRESSION_GUESS = 0.06


@dataclass(frozen=True)
class RasterEstimate:
    """Size and memory of a raster export, before it runs."""

    width_px: int
    height_px: int
    dpi: float
    full_image_bytes: int  # one RGBA image of the whole sheet
    strip_rows: int
    strip_bytes: int  # the memory the tiled export uses for pixels
    file_bytes_guess: int

    @property
    def pixels(self) -> int:
        return self.width_px * self.height_px

    def describe(self) -> str:
        """One line for the export dialog."""
        return (
            f"{self.width_px:,} × {self.height_px:,} 像素 @ {self.dpi:g} dpi;"
            f"整幅图像需 {self.full_image_bytes / 2**30:.2f} GB 内存,"
            f"分块输出每块 {self.strip_rows} 行、约 {self.strip_bytes / 2**20:.0f} MB;"
            f"文件约 {self.file_bytes_guess / 2**20:.0f} MB"
        )

    def suggestions(self) -> list[str]:
        """Cheaper ways to print the same sheet."""
        out = []
        if self.dpi > 300:
            out.append("300 dpi 已满足大幅面喷绘(plotters print 300 dpi)")
        if self.dpi > 150:
            out.append(
                f"{self.dpi / 2:g} dpi: 文件约 {self.file_bytes_guess / 4 / 2**20:.0f} MB"
            )
        out.append(
            "PDF 矢量输出:与 dpi 无关,文字保持可选 (vector PDF, size independent of dpi)"
        )
        return out


def estimate(
    width_mm: float, height_mm: float, dpi: float, budget: int = STRIP_BUDGET
) -> RasterEstimate:
    """Pixel size, memory and file size of a sheet at ``dpi``.

    Examples
    --------
    A0 portrait at 300 dpi is 9,933 × 14,043 pixels, 557,956,476 bytes as RGBA.
    """
    w = round(width_mm / MM_PER_INCH * dpi)
    h = round(height_mm / MM_PER_INCH * dpi)
    row = w * 4
    rows = int(max(16, min(h, budget // max(row, 1))))
    return RasterEstimate(
        width_px=w,
        height_px=h,
        dpi=float(dpi),
        full_image_bytes=w * h * 4,
        strip_rows=rows,
        strip_bytes=rows * row,
        file_bytes_guess=int(w * h * 3 * COMPRESSION_GUESS),
    )


def check_raster(
    width_mm: float,
    height_mm: float,
    dpi: float,
    max_memory_mb: float | None = None,
    folder: Path | None = None,
) -> RasterEstimate:
    """Refuse a raster job that cannot finish; return its estimate otherwise.

    Raises
    ------
    ExportError
        When the pixel count is beyond :data:`MAX_PIXELS`, the memory allowed is
        smaller than a 16-row strip, or the disk is too small for the raw image.
    """
    est = estimate(width_mm, height_mm, dpi)
    if est.pixels > MAX_PIXELS:
        raise ExportError(
            f"the image would be {est.width_px:,} × {est.height_px:,} pixels, beyond the "
            f"{MAX_PIXELS:,}-pixel limit",
            value=f"{dpi:g} dpi",
            fix="; ".join(est.suggestions()),
        )
    if max_memory_mb is not None:
        need = (est.width_px * 4 * 16 + BASELINE) / 2**20
        if need > max_memory_mb:
            raise ExportError(
                f"the export needs at least {need:.0f} MB, more than the {max_memory_mb:g} MB allowed",
                value=f"{dpi:g} dpi",
                fix="; ".join(est.suggestions()),
            )
    if folder is not None and folder.exists():
        free = shutil.disk_usage(folder).free
        if est.pixels * 3 > free * 4:  # even a poorly compressible map would not fit
            raise ExportError(
                f"the disk has {free / 2**30:.1f} GB free, too little for this image",
                path=folder,
                value=est.describe(),
                fix="; ".join(est.suggestions()),
            )
    return est


def _strip_rgb(img: QImage, rows: int) -> tuple[np.ndarray, QImage]:
    """The first ``rows`` rows of an RGB32 image as an (rows, w, 3) uint8 array.

    Qt's own conversion to packed RGB is used: it is several times faster than
    reordering the channels with numpy. The array is a view into the returned
    image, which must be kept alive while the array is used.
    """
    rgb = img.convertToFormat(QImage.Format.Format_RGB888)
    w = rgb.width()
    ptr = rgb.constBits()
    ptr.setsize(rgb.sizeInBytes())
    arr = np.frombuffer(ptr, dtype=np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    return arr[:rows, : w * 3].reshape(rows, w, 3), rgb


class _PngSink:
    def __init__(self, fh, width: int, height: int, dpi: float):
        self.fh = fh
        self.comp = zlib.compressobj(1)
        fh.write(b"\x89PNG\r\n\x1a\n")
        self._chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        ppm = round(dpi / 0.0254)
        self._chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))

    def _chunk(self, tag: bytes, data: bytes) -> None:
        self.fh.write(struct.pack(">I", len(data)))
        self.fh.write(tag)
        self.fh.write(data)
        self.fh.write(struct.pack(">I", zlib.crc32(data, zlib.crc32(tag)) & 0xFFFFFFFF))

    def write(self, rgb: np.ndarray) -> None:
        rows, w, _ = rgb.shape
        framed = np.empty((rows, w * 3 + 1), dtype=np.uint8)
        framed[:, 0] = 0  # filter type None
        framed[:, 1:] = rgb.reshape(rows, w * 3)
        data = self.comp.compress(framed)
        if data:
            self._chunk(b"IDAT", data)

    def close(self) -> None:
        self._chunk(b"IDAT", self.comp.flush())
        self._chunk(b"IEND", b"")


class _TiffSink:
    """Baseline RGB TIFF (BigTIFF past 3.5 GB raw) with Deflate strips and dpi tags."""

    ROWS = 64
    SHORT, LONG, RATIONAL, ASCII, LONG8 = 3, 4, 5, 2, 16

    def __init__(
        self, fh, width: int, height: int, dpi: float, big: bool | None = None
    ):
        self.fh, self.w, self.h, self.dpi = fh, width, height, dpi
        self.big = width * height * 3 > 3_500_000_000 if big is None else big
        self.offsets: list[int] = []
        self.counts: list[int] = []
        self.pending = np.empty((0, width, 3), dtype=np.uint8)
        if self.big:
            fh.write(b"II" + struct.pack("<HHHQ", 43, 8, 0, 0))
        else:
            fh.write(b"II" + struct.pack("<HI", 42, 0))

    def write(self, rgb: np.ndarray) -> None:
        self.pending = (
            np.concatenate([self.pending, rgb]) if len(self.pending) else np.array(rgb)
        )
        while len(self.pending) >= self.ROWS:
            self._strip(self.pending[: self.ROWS])
            self.pending = self.pending[self.ROWS :]

    def _strip(self, rows: np.ndarray) -> None:
        data = zlib.compress(np.ascontiguousarray(rows), 1)
        self.offsets.append(self.fh.tell())
        self.counts.append(len(data))
        self.fh.write(data)

    def _entries(self) -> list[tuple[int, int, int, bytes]]:
        """(tag, type, count, value bytes) in tag order."""
        off_type, off_fmt = (self.LONG8, "Q") if self.big else (self.LONG, "I")
        n = len(self.offsets)
        num = round(self.dpi * 1000)
        soft = b"gisapp\0"
        return [
            (256, self.LONG, 1, struct.pack("<I", self.w)),
            (257, self.LONG, 1, struct.pack("<I", self.h)),
            (258, self.SHORT, 3, struct.pack("<HHH", 8, 8, 8)),
            (259, self.SHORT, 1, struct.pack("<H", 8)),  # Deflate
            (262, self.SHORT, 1, struct.pack("<H", 2)),  # RGB
            (273, off_type, n, struct.pack(f"<{n}{off_fmt}", *self.offsets)),
            (277, self.SHORT, 1, struct.pack("<H", 3)),
            (278, self.LONG, 1, struct.pack("<I", self.ROWS)),
            (279, off_type, n, struct.pack(f"<{n}{off_fmt}", *self.counts)),
            (282, self.RATIONAL, 1, struct.pack("<II", num, 1000)),
            (283, self.RATIONAL, 1, struct.pack("<II", num, 1000)),
            (284, self.SHORT, 1, struct.pack("<H", 1)),
            (296, self.SHORT, 1, struct.pack("<H", 2)),  # inch
            (305, self.ASCII, len(soft), soft),
        ]

    def close(self) -> None:
        if len(self.pending):
            self._strip(self.pending)
        fh = self.fh
        inline_max = 8 if self.big else 4
        ptr = "<Q" if self.big else "<I"
        # Values too long to sit in their entry go first, each at an even offset.
        entries = []
        for tag, typ, count, value in self._entries():
            if len(value) <= inline_max:
                entries.append((tag, typ, count, value.ljust(inline_max, b"\0")))
            else:
                if fh.tell() % 2:
                    fh.write(b"\0")
                at = fh.tell()
                fh.write(value)
                entries.append((tag, typ, count, struct.pack(ptr, at)))
        if fh.tell() % 2:
            fh.write(b"\0")
        ifd_at = fh.tell()
        if self.big:
            fh.write(struct.pack("<Q", len(entries)))
            for tag, typ, count, payload in entries:
                fh.write(struct.pack("<HHQ", tag, typ, count) + payload)
        else:
            fh.write(struct.pack("<H", len(entries)))
            for tag, typ, count, payload in entries:
                fh.write(struct.pack("<HHI", tag, typ, count) + payload)
        fh.write(struct.pack(ptr, 0))
        fh.seek(8 if self.big else 4)
        fh.write(struct.pack(ptr, ifd_at))


def strip_budget(max_memory_mb: float | None) -> int:
    """Bytes for the strip image when the whole job may use ``max_memory_mb``."""
    if max_memory_mb is None:
        return STRIP_BUDGET
    return int(min(STRIP_BUDGET, max(0, max_memory_mb * 2**20 - BASELINE)))


def write_raster(
    sheet, out_path, budget: int = STRIP_BUDGET, cancel=None, progress=None
):
    """Draw a prepared sheet strip by strip into a PNG or TIFF file.

    Returns the sheet's :class:`~gisapp.export.print_sheet.SheetOutcome`.
    """
    out = check_target(out_path)
    est = check_raster(
        sheet.layout.width_mm, sheet.layout.height_mm, sheet.dpi, folder=out.parent
    )
    w, h = est.width_px, est.height_px
    rows = int(max(16, min(h, budget // (w * 4))))
    log.info("raster export: %s", est.describe())
    tmp = out.with_name(f".{out.stem}.partial{out.suffix}")
    img = QImage(w, rows, QImage.Format.Format_RGB32)
    if img.isNull():
        raise ExportError(
            "no memory for one strip of the image",
            value=est.describe(),
            fix="; ".join(est.suggestions()),
        )
    img.setDotsPerMeterX(round(sheet.dpi / 0.0254))
    img.setDotsPerMeterY(round(sheet.dpi / 0.0254))
    outcome = None
    try:
        with open(tmp, "wb") as fh:
            sink = (
                _PngSink(fh, w, h, sheet.dpi)
                if out.suffix.lower() == ".png"
                else _TiffSink(fh, w, h, sheet.dpi)
            )
            for y0 in range(0, h, rows):
                if cancel is not None and cancel():
                    raise ExportError(
                        "the export was cancelled", path=out, fix="start it again"
                    )
                n = min(rows, h - y0)
                img.fill(QColor("white"))
                painter = QPainter(img)
                painter.translate(0, -y0)
                tile = QRectF(0, y0, w, n)
                painter.setClipRect(tile)
                try:
                    outcome = sheet.draw(painter, tile, cancel=cancel)
                finally:
                    painter.end()
                pixels, holder = _strip_rgb(img, n)
                sink.write(pixels)
                del pixels, holder
                if progress is not None:
                    progress(min(1.0, (y0 + n) / h))
            sink.close()
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return outcome

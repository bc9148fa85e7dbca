"""The streaming PNG and TIFF writers, read back with Qt's own decoders."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtGui import QImage

from gisapp.export.print_raster import _PngSink, _TiffSink, estimate


def _pattern(h: int, w: int) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 7) % 256, (y * 5) % 256, (x + y) % 256], axis=-1).astype(
        np.uint8
    )


def _read(path) -> np.ndarray:
    img = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    assert not img.isNull()
    ptr = img.constBits()
    ptr.setsize(img.sizeInBytes())
    rows = np.frombuffer(ptr, np.uint8).reshape(img.height(), img.bytesPerLine())
    return rows[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()


@pytest.mark.parametrize("kind", ["png", "tiff", "bigtiff"])
def test_strips_written_in_pieces_read_back_exactly(tmp_path, kind):
    h, w = 150, 97  # strips of 64 rows and a short last strip
    pixels = _pattern(h, w)
    path = tmp_path / f"x.{'png' if kind == 'png' else 'tif'}"
    with open(path, "wb") as fh:
        if kind == "png":
            sink = _PngSink(fh, w, h, 300)
        else:
            sink = _TiffSink(fh, w, h, 300, big=kind == "bigtiff")
        for y0 in range(0, h, 40):  # the renderer's strips need not match TIFF strips
            sink.write(pixels[y0 : y0 + 40])
        sink.close()
    back = _read(path)
    assert back.shape == pixels.shape
    assert np.array_equal(back, pixels)
    img = QImage(str(path))
    assert round(img.dotsPerMeterX() * 0.0254) == 300


def test_estimate_of_a4_at_150_dpi():
    # 210 mm / 25.4 × 150 = 1240.2 → 1240; 297 mm → 1753.9 → 1754.
    est = estimate(210, 297, 150)
    assert (est.width_px, est.height_px) == (1240, 1754)
    assert est.full_image_bytes == 1240 * 1754 * 4
    assert "1,240 × 1,754" in est.describe()

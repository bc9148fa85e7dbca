"""numpy coordinate arrays to Qt polygons without a Python loop per point."""

from __future__ import annotations

import numpy as np
from PyQt6.QtGui import QPolygonF


def polygon_from_xy(xy: np.ndarray) -> QPolygonF:
    """A ``QPolygonF`` holding the (n, 2) float array ``xy``, copied in one step."""
    n = len(xy)
    poly = QPolygonF()
    if n == 0:
        return poly
    poly.resize(n)
    buf = poly.data()
    buf.setsize(n * 16)
    np.frombuffer(buf, dtype=np.float64).reshape(n, 2)[:] = xy
    return poly


def thin(px: np.ndarray, py: np.ndarray, offsets: np.ndarray, tol: float):
    """Drop points closer than ``tol`` device pixels to the previous one kept.

    Points are snapped to a grid of ``tol`` pixels and runs in the same cell are
    merged; the first and last point of each part are always kept.

    Parameters
    ----------
    px, py : ndarray
        Device coordinates of all parts, one after another.
    offsets : ndarray
        Start of each part in ``px``, with the total length appended.
    tol : float
        Grid size in pixels.

    Returns
    -------
    xy : ndarray, shape (m, 2)
        The kept points.
    new_offsets : ndarray
        Part starts in ``xy`` with its length appended.
    """
    n = len(px)
    if n == 0:
        return np.empty((0, 2)), np.zeros(len(offsets), dtype=np.int64)
    qx = np.floor(px / tol).astype(np.int64)
    qy = np.floor(py / tol).astype(np.int64)
    keep = np.empty(n, dtype=bool)
    keep[0] = True
    keep[1:] = (qx[1:] != qx[:-1]) | (qy[1:] != qy[:-1])
    starts = offsets[:-1]
    ends = offsets[1:] - 1
    valid = offsets[1:] > offsets[:-1]
    keep[starts[valid]] = True
    keep[ends[valid]] = True
    counts = (
        np.add.reduceat(keep.astype(np.int64), starts[valid]) if valid.any() else []
    )
    new_offsets = np.zeros(len(offsets), dtype=np.int64)
    sizes = np.zeros(len(offsets) - 1, dtype=np.int64)
    sizes[valid] = counts
    new_offsets[1:] = np.cumsum(sizes)
    xy = np.column_stack([px[keep], py[keep]])
    return xy, new_offsets

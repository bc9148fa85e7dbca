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


def clip_parts(xy: np.ndarray, offsets: np.ndarray, rect, margin: float):
    """Trim each part to where it crosses ``rect`` grown by ``margin`` pixels.

    What lies before the first and after the last segment touching the rectangle
    is cut off (the end points move onto its edge); a part that never touches it
    is dropped. Inside the rectangle nothing moves, so with a margin wider than the
    pen the drawing is the same, while the rasteriser no longer strokes kilometres
    of road beyond the window.

    Parameters
    ----------
    xy : ndarray, shape (n, 2)
        Device coordinates of all parts.
    offsets : ndarray
        Start of each part in ``xy``, with the total length appended.
    rect : tuple
        ``(x0, y0, x1, y1)`` in device pixels.
    margin : float
        Pixels added on every side.

    Returns
    -------
    xy, offsets : ndarray
        The trimmed parts.
    cut : ndarray
        Length cut from the start of each kept part, in pixels (for dash phase).
    """
    n_parts = len(offsets) - 1
    x0, y0, x1, y1 = (
        rect[0] - margin,
        rect[1] - margin,
        rect[2] + margin,
        rect[3] + margin,
    )
    inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    if inside.all() or n_parts == 0:
        return xy, offsets, np.zeros(n_parts)
    counts = offsets[1:] - offsets[:-1]
    part_of = np.repeat(np.arange(n_parts), counts)
    # segment j runs from point j to j + 1 of the same part
    seg = np.flatnonzero(np.r_[part_of[1:] == part_of[:-1], False])
    a, b = xy[seg], xy[seg + 1]
    d = b - a
    t0 = np.zeros(len(seg))
    t1 = np.ones(len(seg))
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in (
            (-d[:, 0], a[:, 0] - x0),
            (d[:, 0], x1 - a[:, 0]),
            (-d[:, 1], a[:, 1] - y0),
            (d[:, 1], y1 - a[:, 1]),
        ):
            r = q / p
            t0 = np.where(p < 0, np.maximum(t0, r), t0)
            t1 = np.where(p > 0, np.minimum(t1, r), t1)
            t1 = np.where((p == 0) & (q < 0), -1.0, t1)
    visible = t0 <= t1
    if not visible.any():
        return np.empty((0, 2)), np.zeros(1, dtype=np.int64), np.zeros(0)
    seg_part = part_of[seg]
    vis_seg = np.flatnonzero(visible)
    parts, first_at = np.unique(seg_part[vis_seg], return_index=True)
    last_at = np.r_[first_at[1:], len(vis_seg)] - 1
    first, last = vis_seg[first_at], vis_seg[last_at]
    start_pt, end_pt = seg[first], seg[last] + 1
    sizes = end_pt - start_pt + 1
    new_offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    new_offsets[1:] = np.cumsum(sizes)
    idx = np.arange(new_offsets[-1]) - np.repeat(new_offsets[:-1] - start_pt, sizes)
    out = xy[idx]
    out[new_offsets[:-1]] = a[first] + d[first] * t0[first, None]
    out[new_offsets[1:] - 1] = a[last] + d[last] * t1[last, None]
    # length cut from each kept part's start: whole segments before, and a share
    seg_len = np.hypot(d[:, 0], d[:, 1])
    before = np.cumsum(np.r_[0.0, seg_len])[: len(seg)]
    part_start_len = before[np.searchsorted(seg_part, parts)]
    cut = before[first] - part_start_len + t0[first] * seg_len[first]
    return out, new_offsets, cut

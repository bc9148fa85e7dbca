"""Where lines of one level meet or run along each other, computed on their segments.

Every line is cut into its straight segments; pairs of segments whose boxes
overlap are tested at once with plane geometry on whole arrays, which is many
times faster than asking GEOS about each pair of lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

# Segments whose directions differ by less than this (sine of the angle) are parallel.
PARALLEL = 1e-9
# A point this close (metres) to a line counts as on it when testing collinearity.
ON_LINE = 1e-6
# Longer straight segments are cut into pieces this long for the box search.
MAX_PIECE = 500.0


@dataclass
class Segments:
    """The straight pieces of a set of lines."""

    start: np.ndarray  # (n, 2)
    end: np.ndarray  # (n, 2)
    line: np.ndarray  # line of each segment
    offset: np.ndarray  # distance along the line where the segment starts
    first: np.ndarray  # the segment starts its line
    last: np.ndarray  # the segment ends its line

    @property
    def length(self) -> np.ndarray:
        return np.hypot(*(self.end - self.start).T)


def split_segments(lines: np.ndarray, max_length: float = MAX_PIECE) -> Segments:
    """Cut lines into segments no longer than ``max_length``.

    Long straight segments are cut into equal pieces so that their boxes stay
    small; repeated vertices are dropped.
    """
    coords, idx = shapely.get_coordinates(lines, return_index=True)
    same = idx[1:] == idx[:-1]
    start, end, line = coords[:-1][same], coords[1:][same], idx[:-1][same]
    seg_len = np.hypot(*(end - start).T)
    keep = seg_len > 0
    start, end, line, seg_len = start[keep], end[keep], line[keep], seg_len[keep]
    pieces = np.maximum(1, np.ceil(seg_len / max_length)).astype(np.int64)
    if (pieces > 1).any():
        rep = np.repeat(np.arange(len(line)), pieces)
        k = np.arange(len(rep)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        step = (end - start)[rep] / pieces[rep, None]
        start, end = (
            start[rep] + k[:, None] * step,
            start[rep] + (k[:, None] + 1) * step,
        )
        last_piece = k == pieces[rep] - 1
        end[last_piece] = coords[1:][same][keep][rep[last_piece]]
        line = line[rep]
        seg_len = np.hypot(*(end - start).T)
    cum = np.cumsum(seg_len)
    first = np.ones(len(line), bool)
    first[1:] = line[1:] != line[:-1]
    base = np.maximum.accumulate(np.where(first, cum - seg_len, 0.0))
    last = np.ones(len(line), bool)
    last[:-1] = line[1:] != line[:-1]
    return Segments(start, end, line, cum - seg_len - base, first, last)


@dataclass
class Meetings:
    """Where pairs of lines cross or touch, and where they run together."""

    line_a: np.ndarray
    t_a: np.ndarray
    line_b: np.ndarray
    t_b: np.ndarray
    xy: np.ndarray
    shared_a: np.ndarray  # line pairs running along each other …
    shared_b: np.ndarray
    shared_len: np.ndarray  # … and for how long
    shared_xy: np.ndarray
    near: NearEnds


@dataclass
class NearEnds:
    """Line ends within reach of another line: end index (2·line or 2·line+1),
    the other line, the distance, the position along it and the foot point."""

    end: np.ndarray
    line: np.ndarray
    distance: np.ndarray
    t: np.ndarray
    xy: np.ndarray


def meetings(lines: np.ndarray, level: np.ndarray, pad: float = 0.0) -> Meetings:
    """Crossing points and shared stretches of lines of the same level.

    Parameters
    ----------
    lines : ndarray of LineString
    level : ndarray of int
        Grade level per line; lines of different levels never meet.
    pad : float
        Also report line ends within this distance of another line.
    """
    segs = split_segments(lines)
    i, j = box_pairs(segs, pad)
    la, lb = segs.line[i], segs.line[j]
    keep = (la != lb) & (level[la] == level[lb])
    i, j = i[keep], j[keep]
    found = _solve(segs, i, j)
    found.near = _near_ends(segs, i, j, pad)
    return found


def box_pairs(segs: Segments, pad: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of segments whose boxes, grown by ``pad``, overlap."""
    lo = np.minimum(segs.start, segs.end) - pad
    hi = np.maximum(segs.start, segs.end) + pad
    boxes = shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])
    i, j = shapely.STRtree(boxes).query(boxes)
    keep = i < j
    return i[keep], j[keep]


def _cross(ax, ay, bx, by):
    return ax * by - ay * bx


def _solve(segs: Segments, i: np.ndarray, j: np.ndarray) -> Meetings:
    p, r = segs.start[i], segs.end[i] - segs.start[i]
    q, s = segs.start[j], segs.end[j] - segs.start[j]
    len_r, len_s = np.hypot(*r.T), np.hypot(*s.T)
    denom = _cross(r[:, 0], r[:, 1], s[:, 0], s[:, 1])
    qp = q - p
    parallel = np.abs(denom) <= PARALLEL * len_r * len_s

    with np.errstate(divide="ignore", invalid="ignore"):
        u_r = _cross(qp[:, 0], qp[:, 1], s[:, 0], s[:, 1]) / denom
        u_s = _cross(qp[:, 0], qp[:, 1], r[:, 0], r[:, 1]) / denom
    hit = ~parallel & (u_r >= 0) & (u_r <= 1) & (u_s >= 0) & (u_s <= 1)
    k = np.flatnonzero(hit)
    xy = p[k] + u_r[k, None] * r[k]
    la, lb = segs.line[i[k]], segs.line[j[k]]
    ta = segs.offset[i[k]] + u_r[k] * len_r[k]
    tb = segs.offset[j[k]] + u_s[k] * len_s[k]
    at_vertex = (u_r[k] == 0) | (u_r[k] == 1) | (u_s[k] == 0) | (u_s[k] == 1)
    la, ta, lb, tb, xy = _unique_points(la, ta, lb, tb, xy, at_vertex)

    # Collinear pieces: parallel, and q lies on the line through p along r.
    off = np.abs(_cross(qp[:, 0], qp[:, 1], r[:, 0], r[:, 1])) / np.maximum(
        len_r, 1e-12
    )
    col = np.flatnonzero(parallel & (off <= ON_LINE))
    shared_a, shared_b, shared_len, shared_xy = _shared(
        segs, i[col], j[col], r[col], len_r[col]
    )
    return Meetings(la, ta, lb, tb, xy, shared_a, shared_b, shared_len, shared_xy, None)


def _unique_points(la, ta, lb, tb, xy, at_vertex):
    """One point per line pair and place: a meeting at a vertex is found from both
    segments that share the vertex."""
    if not at_vertex.any():
        return la, ta, lb, tb, xy
    k = np.flatnonzero(at_vertex)
    grid = np.round(xy[k] * 1000).astype(np.int64)
    order = np.lexsort((grid[:, 1], grid[:, 0], lb[k], la[k]))
    ks = k[order]
    g = grid[order]
    dup = np.zeros(len(ks), bool)
    dup[1:] = (
        (la[ks][1:] == la[ks][:-1])
        & (lb[ks][1:] == lb[ks][:-1])
        & (g[1:] == g[:-1]).all(axis=1)
    )
    keep = np.ones(len(la), bool)
    keep[ks[dup]] = False
    return la[keep], ta[keep], lb[keep], tb[keep], xy[keep]


def _shared(segs: Segments, i, j, r, len_r):
    """Length of overlap of collinear segment pairs, summed per line pair."""
    empty = np.empty(0, int)
    if not len(i):
        return empty, empty, np.empty(0), np.empty((0, 2))
    unit = r / len_r[:, None]
    a0 = np.zeros(len(i))
    a1 = len_r
    b0 = np.einsum("ij,ij->i", segs.start[j] - segs.start[i], unit)
    b1 = np.einsum("ij,ij->i", segs.end[j] - segs.start[i], unit)
    lo = np.maximum(a0, np.minimum(b0, b1))
    hi = np.minimum(a1, np.maximum(b0, b1))
    length = np.clip(hi - lo, 0, None)
    mid = segs.start[i] + unit * ((lo + hi) / 2)[:, None]
    ok = length > 0
    la, lb, length, mid = segs.line[i][ok], segs.line[j][ok], length[ok], mid[ok]
    if not len(la):
        return empty, empty, np.empty(0), np.empty((0, 2))
    pairs, inverse = np.unique(np.column_stack([la, lb]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    total = np.bincount(inverse, weights=length)
    first = np.zeros(len(pairs), int)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    return pairs[:, 0], pairs[:, 1], total, mid[first]


def _near_ends(segs: Segments, i: np.ndarray, j: np.ndarray, reach: float) -> NearEnds:
    """Line ends within ``reach`` of the other segment of each candidate pair.

    Ends within ``reach`` of one of the other line's own ends are left out: they
    are joined as nodes, not by splitting the other line.
    """
    n_lines = int(segs.line.max()) + 1 if len(segs.line) else 0
    line_start = np.zeros((n_lines, 2))
    line_end = np.zeros((n_lines, 2))
    line_start[segs.line[segs.first]] = segs.start[segs.first]
    line_end[segs.line[segs.last]] = segs.end[segs.last]
    parts = []
    for here, there in ((i, j), (j, i)):
        for is_end, point, end_of in (
            (segs.first, segs.start, 0),
            (segs.last, segs.end, 1),
        ):
            k = np.flatnonzero(is_end[here])
            h, o = here[k], there[k]
            p = point[h]
            other = segs.line[o]
            far = (np.abs(p - line_start[other]) > reach).any(axis=1)
            far &= (np.abs(p - line_end[other]) > reach).any(axis=1)
            h, o, p = h[far], o[far], p[far]
            a, d = segs.start[o], segs.end[o] - segs.start[o]
            len2 = np.einsum("ij,ij->i", d, d)
            u = np.clip(np.einsum("ij,ij->i", p - a, d) / len2, 0.0, 1.0)
            foot = a + u[:, None] * d
            dist = np.hypot(*(p - foot).T)
            ok = dist <= reach
            t = segs.offset[o[ok]] + u[ok] * np.sqrt(len2[ok])
            end = 2 * segs.line[h[ok]] + end_of
            parts.append((end, segs.line[o[ok]], dist[ok], t, foot[ok]))
    end, line, dist, t, xy = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((dist, line, end))
    first = np.ones(len(order), bool)
    first[1:] = (end[order][1:] != end[order][:-1]) | (
        line[order][1:] != line[order][:-1]
    )
    k = order[first]
    return NearEnds(end[k], line[k], dist[k], t[k], xy[k])

"""Geometry helpers of the generator: gently curved lines and splitting at spans."""

from __future__ import annotations

import numpy as np
import shapely


def wiggly_lines(a: np.ndarray, b: np.ndarray, rng, bend: float = 0.05) -> np.ndarray:
    """Lines from each point of ``a`` to the matching point of ``b``, gently curved.

    The ends are exactly ``a`` and ``b``, so lines that share a node meet there.
    ``a`` and ``b`` are ``(n, 2)`` metric coordinates.
    """
    n = len(a)
    steps = 6
    t = np.linspace(0.0, 1.0, steps)
    vec = b - a
    length = np.hypot(vec[:, 0], vec[:, 1])
    normal = (
        np.column_stack([-vec[:, 1], vec[:, 0]]) / np.maximum(length, 1e-9)[:, None]
    )
    amp = np.minimum(length * bend, 450.0) * rng.uniform(-1, 1, n)
    amp2 = np.minimum(length * bend * 0.5, 200.0) * rng.uniform(-1, 1, n)
    offset = amp[:, None] * np.sin(np.pi * t) + amp2[:, None] * np.sin(2 * np.pi * t)
    coords = a[:, None, :] + vec[:, None, :] * t[None, :, None]
    coords = coords + offset[:, :, None] * normal[:, None, :]
    coords[:, 0], coords[:, -1] = a, b
    return shapely.linestrings(coords)


def cut(line, spans: list[tuple[float, float]]) -> list[tuple[object, bool]]:
    """Pieces of ``line`` split at the ends of ``spans`` (distances along it).

    Returns ``(piece, on_span)`` in order; consecutive pieces share their end point.
    """
    coords = shapely.get_coordinates(line)
    seg = np.hypot(*np.diff(coords, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    total = cum[-1]
    marks = [0.0]
    flags = []
    for start, end in sorted(spans):
        start, end = max(start, marks[-1]), min(end, total)
        if end - start < 1.0:
            continue
        if start > marks[-1] + 1.0:
            marks.append(start)
            flags.append(False)
        marks.append(end)
        flags.append(True)
    if total > marks[-1] + 1.0:
        marks.append(total)
        flags.append(False)
    else:
        marks[-1] = total
    points = [_at(coords, cum, d) for d in marks]
    pieces = []
    for k, on_span in enumerate(flags):
        lo, hi = marks[k], marks[k + 1]
        inner = coords[(cum > lo) & (cum < hi)]
        part = np.vstack([points[k], inner, points[k + 1]])
        pieces.append((shapely.linestrings(part), on_span))
    return pieces


def _at(coords: np.ndarray, cum: np.ndarray, d: float) -> np.ndarray:
    if d <= 0:
        return coords[0]
    if d >= cum[-1]:
        return coords[-1]
    i = int(np.searchsorted(cum, d) - 1)
    f = (d - cum[i]) / (cum[i + 1] - cum[i])
    return coords[i] + f * (coords[i + 1] - coords[i])


def walk(
    start: np.ndarray, heading: float, steps: int, step_m: float, rng, pull=None
) -> np.ndarray:
    """A meandering path of ``steps`` steps; ``pull(xy)`` gives a preferred heading."""
    xy = np.empty((steps + 1, 2))
    xy[0] = start
    turn = 0.0
    for i in range(steps):
        turn = 0.7 * turn + rng.normal(0, 0.12)
        if pull is not None:
            want = pull(xy[i])
            diff = np.angle(np.exp(1j * (want - heading)))
            heading += 0.3 * diff
        heading += turn
        xy[i + 1] = xy[i] + step_m * np.array([np.cos(heading), np.sin(heading)])
    return xy


def cut_at_points(line, points: np.ndarray) -> list:
    """Pieces of ``line`` split at ``points`` (which lie on it), in order.

    Each point becomes the exact shared end of two pieces, so roads that cross
    there meet at one node.
    """
    coords = shapely.get_coordinates(line)
    seg = np.hypot(*np.diff(coords, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    dist = np.array([line.project(shapely.Point(p)) for p in points])
    keep = (dist > 1.0) & (dist < cum[-1] - 1.0)
    order = np.argsort(dist[keep], kind="stable")
    dist, points = dist[keep][order], np.asarray(points)[keep][order]
    pieces, lo, start = [], 0.0, coords[0]
    for d, p in zip(dist, points, strict=True):
        if d - lo < 1.0:
            continue
        inner = coords[(cum > lo) & (cum < d)]
        pieces.append(shapely.linestrings(np.vstack([start, inner, p])))
        lo, start = d, p
    inner = coords[cum > lo]
    pieces.append(shapely.linestrings(np.vstack([start, inner])))
    return pieces

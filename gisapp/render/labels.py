"""Collision-free label placement on a device, best candidates first.

Labels are placed in order of priority (poor villages before township seats,
counties and rivers); each tries a few positions around its anchor and takes
the first that overlaps neither a placed label nor a reserved symbol and stays on
the device. Labels that fit nowhere are returned, never dropped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PyQt6.QtCore import QRectF


class Occupancy:
    """Rectangles already taken on a device, bucketed in a coarse grid."""

    def __init__(self, width: float, height: float, cell: float = 64.0):
        self.width = width
        self.height = height
        self.cell = max(cell, 8.0)
        self._grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, x0, y0, x1, y1):
        c = self.cell
        for i in range(int(x0 // c), int(x1 // c) + 1):
            for j in range(int(y0 // c), int(y1 // c) + 1):
                yield (i, j)

    def free(self, r: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = r
        for key in self._cells(x0, y0, x1, y1):
            for a0, b0, a1, b1 in self._grid.get(key, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return False
        return True

    def take(self, r: tuple[float, float, float, float]) -> None:
        for key in self._cells(*r):
            self._grid.setdefault(key, []).append(r)

    def inside(self, r) -> bool:
        return r[0] >= 0 and r[1] >= 0 and r[2] <= self.width and r[3] <= self.height


@dataclass
class LabelJob:
    """One label to place: text, anchor in device pixels, size of its box."""

    text: str
    x: float
    y: float
    w: float
    h: float
    geom: str  # point, line, polygon
    gap: float  # distance kept from a point symbol, pixels
    priority: float
    layer: str
    style_key: int  # index of the font/colour set to draw with
    angle: float = 0.0  # degrees clockwise on the device (labels along lines)


def candidates(job: LabelJob) -> list[tuple[float, float, float, float]]:
    """Boxes to try, best first, as (x0, y0, x1, y1)."""
    w, h, x, y, g = job.w, job.h, job.x, job.y, job.gap
    if job.angle:
        # Along a line: the label's centre on the line or shifted off it across
        # the line; the box is the upright rectangle round the turned label.
        t = math.radians(job.angle)
        c, s = math.cos(t), math.sin(t)
        hw = abs(w / 2 * c) + abs(h / 2 * s)
        hh = abs(w / 2 * s) + abs(h / 2 * c)
        nx, ny = -s, c  # unit normal on the device
        out = []
        for d in (0.0, -0.8, 0.8):
            cx, cy = x + nx * d * h, y + ny * d * h
            out.append((cx - hw, cy - hh, cx + hw, cy + hh))
        return out
    if job.geom == "point":
        spots = [
            (x + g, y - h / 2),  # right
            (x - g - w, y - h / 2),  # left
            (x - w / 2, y - g - h),  # above
            (x - w / 2, y + g),  # below
            (x + g * 0.7, y - g * 0.7 - h),  # upper right
            (x - g * 0.7 - w, y - g * 0.7 - h),  # upper left
            (x + g * 0.7, y + g * 0.7),  # lower right
            (x - g * 0.7 - w, y + g * 0.7),  # lower left
        ]
    else:
        spots = [(x - w / 2, y - h / 2)]
        for d in (1.0, 2.0, 3.0):
            spots += [
                (x - w / 2, y - h / 2 - d * h),
                (x - w / 2, y - h / 2 + d * h),
                (x - w / 2 - d * w / 2, y - h / 2),
                (x - w / 2 + d * w / 2, y - h / 2),
            ]
    return [(sx, sy, sx + w, sy + h) for sx, sy in spots]


def place(
    jobs: list[LabelJob], occupancy: Occupancy
) -> tuple[list[tuple[LabelJob, QRectF]], list[LabelJob]]:
    """Place labels by priority; returns (placed with their boxes, not placed)."""
    placed: list[tuple[LabelJob, QRectF]] = []
    missed: list[LabelJob] = []
    for job in sorted(jobs, key=lambda j: (j.priority, -j.h, j.text)):
        for box in candidates(job):
            if occupancy.inside(box) and occupancy.free(box):
                occupancy.take(box)
                placed.append(
                    (job, QRectF(box[0], box[1], box[2] - box[0], box[3] - box[1]))
                )
                break
        else:
            missed.append(job)
    return placed, missed

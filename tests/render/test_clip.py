"""Lines trimmed to the window before stroking: same picture, less to rasterise."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer
from PyQt6.QtGui import QImage, QPainter

import gisapp.render.painter as painter_module
from gisapp.render.arrays import clip_parts
from gisapp.render.painter import MapRenderer
from gisapp.render.view import MapView

RECT = (0.0, 0.0, 100.0, 50.0)


def test_parts_inside_are_returned_unchanged():
    xy = np.array([[10.0, 10.0], [20.0, 20.0], [30.0, 5.0]])
    offsets = np.array([0, 2, 3])
    out, new, cut = clip_parts(xy, offsets, RECT, 0.0)
    assert out is xy and new is offsets
    assert cut.tolist() == [0.0, 0.0]


def test_a_long_segment_is_cut_at_the_edges_and_says_how_much():
    xy = np.array([[-1000.0, 25.0], [1000.0, 25.0]])
    out, new, cut = clip_parts(xy, np.array([0, 2]), RECT, 5.0)
    assert out.tolist() == [[-5.0, 25.0], [105.0, 25.0]]
    assert new.tolist() == [0, 2]
    assert cut.tolist() == [995.0]


def test_a_part_outside_is_dropped_and_a_winding_one_keeps_its_inner_points():
    xy = np.array(
        [
            [200.0, 200.0],  # part 0: wholly outside
            [300.0, 200.0],
            [-50.0, 10.0],  # part 1: enters, bends twice inside, leaves
            [-10.0, 10.0],
            [40.0, 10.0],
            [40.0, 40.0],
            [40.0, 500.0],
            [40.0, 900.0],
        ]
    )
    out, new, cut = clip_parts(xy, np.array([0, 2, 8]), RECT, 0.0)
    assert new.tolist() == [0, 4]
    assert out.tolist() == [[0.0, 10.0], [40.0, 10.0], [40.0, 40.0], [40.0, 50.0]]
    assert cut.tolist() == [50.0]  # 40 px of the first segment and 10 of the second


def test_nothing_visible_gives_nothing():
    xy = np.array([[200.0, 200.0], [300.0, 300.0]])
    out, new, cut = clip_parts(xy, np.array([0, 2]), RECT, 0.0)
    assert len(out) == 0 and new.tolist() == [0] and len(cut) == 0


def _draw(project, view) -> QImage:
    image = QImage(view.width, view.height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    MapRenderer(project).render(painter, view, labels=False)
    painter.end()
    return image


def _pixels(image: QImage) -> np.ndarray:
    ptr = image.constBits()
    ptr.setsize(image.width() * image.height() * 4)
    return np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.width(), 4)


@pytest.mark.parametrize("scale", [3.0, 15.0])
def test_zoomed_in_the_map_looks_the_same_with_and_without_trimming(
    tiny_project, monkeypatch, scale
):
    """Solid and dashed roads far longer than the window: trimming moves no dash."""
    renderer = MapRenderer(tiny_project)
    to_map = Transformer.from_crs("EPSG:4490", renderer.crs, always_xy=True)
    # where the dashed gravel road (112.1°E) meets the asphalt one
    cx, cy = to_map.transform(112.1, 30.8944)
    crossing = MapView(cx, cy, scale, 400, 300)
    trimmed = _pixels(_draw(tiny_project, crossing)).astype(int)
    monkeypatch.setattr(
        painter_module,
        "clip_parts",
        lambda xy, offsets, rect, margin: (xy, offsets, np.zeros(len(offsets) - 1)),
    )
    whole = _pixels(_draw(tiny_project, crossing)).astype(int)
    assert (whole != 0xFF).any(), "the roads cross the view"
    differs = np.abs(trimmed - whole).max(axis=2)
    assert (differs > 48).mean() < 0.0005
    assert (differs > 0).mean() < 0.01

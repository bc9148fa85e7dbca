"""The map renderer: view arithmetic, drawing on images, labels, identify, fonts."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtGui import QColor, QImage, QPainter

from gisapp.render.arrays import polygon_from_xy, thin
from gisapp.render.fonts import cjk_family, uncovered_characters
from gisapp.render.labels import LabelJob, Occupancy, place
from gisapp.render.painter import MapRenderer
from gisapp.render.view import MapView


def test_view_round_trip_and_hand_computed_point():
    view = MapView(cx=500_000.0, cy=3_400_000.0, scale=10.0, width=200, height=100)
    # 100 m east and 50 m north of the centre: 10 px right, 5 px up of (100, 50).
    px, py = view.to_device(500_100.0, 3_400_050.0)
    assert (float(px), float(py)) == (110.0, 45.0)
    x, y = view.to_map(110.0, 45.0)
    assert (float(x), float(y)) == (500_100.0, 3_400_050.0)
    assert view.bounds == (499_000.0, 3_399_500.0, 501_000.0, 3_400_500.0)


def test_fit_shows_whole_box_and_scale_denominator():
    view = MapView.fit((0, 0, 10_000, 5_000), 1000, 1000, margin=0.0)
    assert view.scale == 10.0
    assert view.cx == 5_000 and view.cy == 2_500
    # 10 m per pixel at 254 dpi is 10 m per 0.1 mm = 1:100,000.
    assert view.scale_denominator(254) == pytest.approx(100_000)
    assert view.with_scale_denominator(50_000, 254).scale == pytest.approx(5.0)


def test_zoom_keeps_anchor_and_pan_moves_content():
    view = MapView(0.0, 0.0, 2.0, 100, 100)
    anchor = (80.0, 20.0)
    before = view.to_map(*anchor)
    zoomed = view.zoomed(2.0, anchor)
    assert zoomed.scale == 1.0
    assert np.allclose(zoomed.to_map(*anchor), before)
    panned = view.panned(10, 0)  # dragging right shows what lay to the left
    assert panned.cx == -20.0


def test_thin_keeps_part_ends_and_drops_near_points():
    px = np.array([0.0, 0.1, 0.2, 5.0, 10.0, 10.1, 20.0])
    py = np.zeros(7)
    offsets = np.array([0, 4, 7])
    xy, new = thin(px, py, offsets, tol=1.0)
    # part 1: 0, 0.1, 0.2 share a cell, first and last (5.0) kept → 0, 5
    # part 2: 10, 10.1 share a cell, 20 kept → 10, 20
    assert xy[:, 0].tolist() == [0.0, 5.0, 10.0, 20.0]
    assert new.tolist() == [0, 2, 4]


def test_polygon_from_xy_copies_points():
    xy = np.array([[1.5, 2.5], [3.0, 4.0], [5.0, 6.0]])
    poly = polygon_from_xy(xy)
    assert poly.size() == 3
    assert (poly.at(1).x(), poly.at(1).y()) == (3.0, 4.0)


def _render(project, w=600, h=500):
    renderer = MapRenderer(project)
    view = MapView.fit(renderer.bounds(), w, h)
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("white"))
    painter = QPainter(img)
    result = renderer.render(painter, view, dpi=96)
    painter.end()
    return renderer, view, img, result


def test_render_draws_symbols_in_style_colours(tiny_project):
    renderer, view, img, result = _render(tiny_project)
    # The red poor village (gap_status red) is drawn in the style's red at its place.
    layer = tiny_project.first("village")
    x, y = renderer.prepared(layer).geometries[0].coords[0]
    px, py = view.to_device(x, y)
    assert QColor(img.pixel(int(px), int(py))).name() == "#d7301f"
    assert result.shown[layer.id] == {"red", "yellow", "green", "none"}
    roads = tiny_project.first("road")
    assert result.shown[roads.id] == {"asphalt", "gravel"}
    assert result.geoms[roads.id] == {"line"}


def test_labels_do_not_overlap_and_poor_villages_are_labelled(tiny_project):
    renderer, view, _, result = _render(tiny_project)
    plan = renderer.plan_labels(view, 96)
    boxes = [rect for _, rect in plan.placed]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.intersects(b)
    texts = {job.text for job, _ in plan.placed}
    # Only poor villages carry labels (style: only = "is_poor"): 0, 2, 4.
    assert {"测试0村", "测试2村", "测试4村"} <= texts
    assert "测试1村" not in texts
    assert result.unplaced == []


def test_crowded_labels_are_reported_not_dropped():
    occ = Occupancy(100, 100)
    jobs = [LabelJob(f"村{i}", 50, 50, 60, 30, "point", 2, 0, "v", 0) for i in range(6)]
    placed, missed = place(jobs, occ)
    assert len(placed) + len(missed) == 6
    assert missed  # six 60×30 boxes cannot fit round one point in 100×100
    assert all(job.layer == "v" for job in missed)


def test_hit_test_finds_the_village_under_the_cursor(tiny_project):
    renderer, view, _, _ = _render(tiny_project)
    layer = tiny_project.first("village")
    x, y = renderer.prepared(layer).geometries[2].coords[0]
    px, py = view.to_device(x, y)
    hits = renderer.hit_test(view, float(px) + 2, float(py))
    assert hits[0].layer is layer and hits[0].row == 2
    assert hits[0].record["name"] == "测试2村"


def test_render_in_worker_thread(tiny_project):
    import threading

    out = {}

    def work():
        out["img"] = _render(tiny_project, 200, 200)[2]

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    img = out["img"]
    colours = {img.pixel(x, y) for x in range(0, 200, 5) for y in range(0, 200, 5)}
    assert len(colours) > 3


def test_cancel_stops_drawing(tiny_project):
    renderer = MapRenderer(tiny_project)
    view = MapView.fit(renderer.bounds(), 100, 100)
    img = QImage(100, 100, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(img)
    result = renderer.render(painter, view, cancel=lambda: True)
    painter.end()
    assert result.cancelled and result.shown == {}


def test_chinese_font_found_and_missing_characters_reported():
    assert cjk_family()
    assert uncovered_characters(["荆门市掇刀区"]) == []
    # U+2A6D6 (CJK extension B) is outside Noto Sans CJK SC and the default font.
    missing = uncovered_characters(["村\U0002a6d6村"])
    assert missing == ["\U0002a6d6"]


def test_north_arrow_turns_by_meridian_convergence():
    """East of the central meridian true north leans west of grid north by
    about Δλ·sin φ: 1° east at 31° N gives 0.515°."""
    from pyproj import CRS, Transformer

    from gisapp.export.print_items import convergence_deg

    crs = CRS.from_epsg(4547)  # CGCS2000 3° Gauss-Krüger, central meridian 114° E
    x, y = Transformer.from_crs("EPSG:4490", crs, always_xy=True).transform(115.0, 31.0)
    view = MapView(x, y, 10.0, 100, 100)
    assert convergence_deg(view, crs) == pytest.approx(-0.515, abs=0.01)


def test_table_wraps_into_blocks_before_cutting_rows():
    from PyQt6.QtCore import QRectF

    from gisapp.export.print_items import draw_table

    img = QImage(800, 400, QImage.Format.Format_RGB32)
    rows = [[f"村{i}", i] for i in range(30)]
    px_per_mm = 4.0  # 100 × 30 mm box
    painter = QPainter(img)
    one = draw_table(
        painter,
        QRectF(0, 0, 400, 120),
        "表",
        ["村", "数"],
        rows,
        px_per_mm,
        size_pt=8,
        max_blocks=1,
    )
    two = draw_table(
        painter,
        QRectF(0, 0, 400, 120),
        "表",
        ["村", "数"],
        rows,
        px_per_mm,
        size_pt=8,
        max_blocks=3,
    )
    painter.end()
    # At 70 % of 8 pt a row is 5.6/72 × 25.4 × 1.6 = 3.16 mm: (30 − 1.3 × 3.16 − 3.16) / 3.16
    # → 7 rows fit one block, so one block shows 6 and a "more rows" line; three
    # blocks do not hold 30 either (21), so the cut keeps 20.
    assert one == 6
    assert two == 20


def test_label_along_a_line_takes_the_box_of_the_turned_text():
    from gisapp.render.labels import candidates

    # 40 × 10 px text turned a quarter: an upright box 10 wide and 40 tall, centred.
    job = LabelJob("汉江", 100, 100, 40, 10, "line", 0, 4, "河流", 0, angle=90)
    first = candidates(job)[0]
    assert first == pytest.approx((95, 80, 105, 120))
    # 45°: each half-extent is (20 + 5) × cos 45° = 17.68 px.
    job.angle = 45
    x0, y0, x1, y1 = candidates(job)[0]
    assert (x1 - x0) / 2 == pytest.approx(25 * 2**-0.5)


def test_reserved_boxes_keep_labels_off_map_furniture(tiny_project):
    renderer = MapRenderer(tiny_project)
    view = MapView.fit(renderer.bounds(), 600, 500)
    free = renderer.plan_labels(view, 96)
    # Three poor villages, two townships and the county carry labels.
    assert len(free.placed) + len(free.missed) == 6
    blocked = renderer.plan_labels(view, 96, reserved=[(0, 0, 600, 500)])
    assert blocked.placed == [] and len(blocked.missed) == 6


def _draw(renderer, view) -> QImage:
    img = QImage(view.width, view.height, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("white"))
    painter = QPainter(img)
    renderer.render(painter, view, dpi=96, labels=False)
    painter.end()
    return img


def test_a_layers_own_style_is_drawn_and_redrawn_when_it_changes(tiny_project):
    from dataclasses import replace

    from gisapp.export.web.payload import layer_data
    from gisapp.model.style import style_for

    layer = tiny_project.first("village")
    renderer, view, _, _ = _render(tiny_project)
    kind_style = renderer.prepared(layer).style
    assert kind_style is style_for("village")
    x, y = renderer.prepared(layer).geometries[0].coords[0]
    px, py = (int(v) for v in view.to_device(x, y))

    # Only a colour changes: the cached layer must still be prepared again.
    red = kind_style.categories["red"]
    layer.style = replace(
        kind_style,
        categories={**kind_style.categories, "red": {**red, "fill": "#2040c0"}},
    )
    img = _draw(renderer, view)
    assert renderer.prepared(layer).style is layer.style
    assert QColor(img.pixel(px, py)).name() == "#2040c0"
    assert renderer.draw_order()[-1] is layer  # villages on top, as their kind
    layer.style = replace(layer.style, order=5)
    assert renderer.draw_order()[0] is layer  # its own order, below the rest
    assert layer_data(layer, layer.frame, False).style is layer.style

    layer.style = None
    img = _draw(renderer, view)
    assert renderer.prepared(layer).style is kind_style
    assert QColor(img.pixel(px, py)).name() == "#d7301f"


def test_a_footprint_smaller_than_its_marker_is_shown_by_the_marker(tiny_project):
    """OSM keeps substations as small polygons; on a city map the kind's marker
    stands for them, and the legend shows that marker only."""
    import geopandas as gpd
    from shapely.geometry import box

    from gisapp.data.source import SourceInfo
    from gisapp.model.kinds import get_kind
    from gisapp.model.layer import Layer

    footprint = box(112.2, 30.95, 112.2005, 30.9505)  # about 50 m across
    frame = gpd.GeoDataFrame(
        {"name": ["某变电站"]}, geometry=[footprint], crs="EPSG:4490"
    )
    tiny_project.add(
        Layer("变电站", get_kind("substation"), frame, SourceInfo(path="s", format="t"))
    )
    renderer = MapRenderer(tiny_project)
    view = MapView.fit(renderer.bounds(), 400, 300)
    image = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    result = renderer.render(painter, view, labels=False)
    painter.end()
    layer_id = tiny_project.layers[-1].id
    assert result.geoms[layer_id] == {"point"}
    assert renderer.content(view).geoms[layer_id] == {"point"}
    x, y = view.to_device(
        *renderer.prepared(tiny_project.layers[-1]).geometries[0].centroid.coords[0]
    )
    fill = QColor("#fdae6b")  # styles/substation.toml
    seen = image.pixelColor(int(x), int(y))
    assert abs(seen.red() - fill.red()) + abs(seen.green() - fill.green()) < 40

"""The map canvas and the attribute table: measuring, zooming, order, 200,000 rows."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt
from PyQt6.QtGui import QImage, QPainter

from gisapp.render.view import MapView
from gisapp.ui.table import ROLE_RAW

pytestmark = pytest.mark.gui


def _click(qtbot, canvas, x, y):
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, y))


def test_measuring_gives_true_metres(window, qtbot):
    canvas = window.canvas
    canvas.resize(800, 600)
    # On the central meridian of a Gauss-Krüger zone (false easting 500 km) the
    # projection keeps lengths exactly: 250 px at 40 m/px are 10 km on the ground.
    canvas.set_view(MapView(500_000.0, 3_405_000.0, 40.0, 800, 600))
    texts = []
    canvas.measured.connect(texts.append)
    window.tool_actions["measure_line"].trigger()
    _click(qtbot, canvas, 400, 175)
    _click(qtbot, canvas, 400, 425)
    assert texts[-1] == canvas.tr("Distance {0}").format("10.000 km")
    canvas.set_tool("measure_area")
    for x, y in ((400, 300), (425, 300), (425, 325), (400, 325)):
        _click(qtbot, canvas, x, y)
    # a 1 km square: 1,000,000 m², 1,500 mu, 4 km around
    assert texts[-1] == canvas.tr("Area {0}, perimeter {1}").format(
        "1,000,000 m² (1,500.0 亩)", "4.000 km"
    )
    window.tool_actions["pan"].trigger()


def test_wheel_zoom_keeps_the_place_under_the_cursor(window, qtbot):
    canvas = window.canvas
    before = canvas.view
    anchor = (123.0, 234.0)
    mx, my = before.to_map(*anchor)
    canvas.zoom(1.25**2, anchor)
    after = canvas.view
    assert after.scale == pytest.approx(before.scale / 1.5625)
    assert after.to_map(*anchor) == pytest.approx((mx, my), abs=1e-6)
    # the old frame is shown moved at once, before a new one is drawn
    rect = canvas._frame_rect()
    assert rect.width() == pytest.approx(canvas._frame_view.width * 1.5625)
    qtbot.waitUntil(lambda: canvas.is_current, timeout=30000)


def test_dragging_a_layer_changes_the_drawing_order(window):
    model = window.layer_panel.model
    shown = model.layers()
    bottom, top = shown[-1], shown[0]
    model.move(bottom, top)
    assert model.layers()[0] is bottom
    assert window.doc.project.layers[-1] is bottom
    order = window.canvas.renderer.draw_order()
    if bottom.visible:
        assert order[-1] is bottom


def test_the_attribute_table_stays_fast_at_200000_rows(qtbot):
    from gisapp.data.source import SourceInfo
    from gisapp.model.kinds import get_kind
    from gisapp.model.layer import Layer
    from gisapp.model.project import Project
    from gisapp.sample.network import generate_network
    from gisapp.ui.attributes import AttributePanel
    from gisapp.ui.document import Document

    roads = generate_network(200, 200_000)["roads"]
    layer = Layer(
        "道路", get_kind("road"), roads, SourceInfo(path="roads", format="test")
    )
    doc = Document()
    doc.set_project(Project(layers=[layer]))
    panel = AttributePanel(doc)
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.show()
    assert panel.proxy.rowCount() == 200_000

    col = panel.model.columns.index("width_m")
    panel.view.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    qtbot.wait(1)
    top = [panel.proxy.data(panel.proxy.index(r, col), ROLE_RAW) for r in range(5)]
    assert top == sorted(roads["width_m"].dropna(), reverse=True)[:5]

    panel.filter.setText("earth")
    panel._filter_timer.timeout.emit()
    expected = int((roads["surface"] == "earth").sum())
    surface_col = panel.model.columns.index("surface")
    panel.column_box.setCurrentIndex(panel.column_box.findData(surface_col))
    panel._filter_timer.timeout.emit()
    shown = panel.proxy.rowCount()
    zh = get_kind("road").field("surface").value_zh("earth")
    assert zh != "earth"  # the table shows Chinese names; filter by what is shown
    panel.filter.setText(zh)
    panel._filter_timer.timeout.emit()
    assert panel.proxy.rowCount() == expected
    assert shown == 0

    panel.filter.clear()
    panel._filter_timer.timeout.emit()
    rows = np.arange(0, 200_000, 20)
    doc.select(layer, rows)
    assert len(panel.view.selectionModel().selectedRows()) == len(rows)
    panel.close()


def test_a_graduated_style_recolours_the_map_and_legend(window, qtbot):
    layer = window.doc.project.first("village")
    dialog = window.style_dialog(layer)
    dialog.mode.setCurrentIndex(dialog.mode.findData("graduated"))
    dialog.field.setCurrentIndex(dialog.field.findData("poor_people"))
    dialog.classes.setValue(4)
    dialog.method.setCurrentIndex(dialog.method.findData("quantile"))
    dialog.classify()
    assert dialog.table.rowCount() == 4
    before = window.canvas.frames_drawn
    dialog.accept()
    style = layer.style
    assert style.category_field == "poor_people_分级"
    classes = layer.frame["poor_people_分级"].dropna()
    # quantile classes hold about a quarter of the villages each
    counts = classes.value_counts()
    assert len(counts) == 4 and counts.min() >= 0.15 * len(classes)
    legend = [label for label, _ in window.layer_panel.model.legend(layer)]
    assert legend == list(style.categories[k]["zh"] for k in style.categories)
    qtbot.waitUntil(lambda: window.canvas.frames_drawn > before, timeout=30000)
    qtbot.waitUntil(lambda: window.canvas.is_current, timeout=30000)


def _image_of(window, layer) -> QImage:
    """The canvas view drawn by the window's renderer with only ``layer`` shown."""
    view = window.canvas.view
    shown = {lyr.id: lyr.visible for lyr in window.doc.project.layers}
    for lyr in window.doc.project.layers:
        lyr.visible = lyr is layer
    image = QImage(view.width, view.height, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    try:
        window.canvas.renderer.render(painter, view, labels=False)
    finally:
        painter.end()
        for lyr in window.doc.project.layers:
            lyr.visible = shown[lyr.id]
    return image


def _symbols(prep) -> list:
    return [(g.key, g.symbol) for g in prep.groups]


def test_the_style_editor_restyles_only_its_own_layer(window, qtbot):
    from gisapp.model.layer import Layer
    from gisapp.model.style import style_for

    village = window.doc.project.first("village")
    twin = Layer(
        name="村(第二图层)",
        kind=village.kind,
        frame=village.frame.copy(),
        info=village.info,
    )
    window.doc.add_layer(twin)
    qtbot.waitUntil(lambda: window.canvas.is_current, timeout=30000)
    renderer, model = window.canvas.renderer, window.layer_panel.model
    village_prep = renderer.prepared(village)
    village_groups = _symbols(village_prep)
    village_legend = [label for label, _ in model.legend(village)]
    village_image, twin_image = _image_of(window, village), _image_of(window, twin)
    assert village_image == twin_image  # the same villages in the same style

    dialog = window.style_dialog(twin)
    dialog.mode.setCurrentIndex(dialog.mode.findData("graduated"))
    dialog.field.setCurrentIndex(dialog.field.findData("poor_people"))
    dialog.classes.setValue(3)
    dialog.classify()
    changed = []
    window.doc.layer_changed.connect(changed.append)
    dialog.accept()
    qtbot.waitUntil(lambda: window.canvas.is_current, timeout=30000)

    assert changed == [twin]
    assert twin.style.category_field == "poor_people_分级"
    assert village.style is None
    assert "poor_people_分级" in twin.frame
    assert "poor_people_分级" not in village.frame
    assert renderer.prepared(village) is village_prep
    assert _symbols(renderer.prepared(village)) == village_groups
    twin_groups = _symbols(renderer.prepared(twin))
    assert [key for key, _ in twin_groups] == list(twin.style.categories)
    assert [label for label, _ in model.legend(village)] == village_legend
    assert [label for label, _ in model.legend(twin)] == [
        twin.style.categories[k]["zh"] for k in twin.style.categories
    ]
    assert _image_of(window, village) == village_image
    assert _image_of(window, twin) != twin_image

    dialog = window.style_dialog(twin)
    dialog.restore()
    dialog.reject()
    qtbot.waitUntil(lambda: window.canvas.is_current, timeout=30000)
    assert twin.style is None
    assert renderer.prepared(twin).style is style_for("village")
    assert _image_of(window, twin) == twin_image


def test_clicks_identify_and_select_the_village_under_the_cursor(window, qtbot):
    layer = window.doc.project.first("village")
    poor = layer.frame.index[layer.frame["is_poor"].fillna(False).to_numpy(dtype=bool)]
    row = int(layer.frame.index.get_loc(poor[0]))
    canvas = window.canvas
    canvas.zoom_to_rows(layer, [row])
    qtbot.waitUntil(lambda: canvas.is_current, timeout=30000)
    point = layer.projected(canvas.crs).iloc[row]
    px, py = canvas.view.to_device(point.x, point.y)
    where = QPoint(round(float(px)), round(float(py)))

    window.tool_actions["identify"].trigger()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=where)
    code = layer.frame["code"].iloc[row]
    assert code in window.info.title.text()  # the village card of that village

    window.doc.set_current_layer(layer)
    window.tool_actions["select"].trigger()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=where)
    assert window.doc.selection(layer).tolist() == [row]
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert window.doc.selection(layer).tolist() == []
    window.tool_actions["pan"].trigger()


def test_classes_of_whole_numbers_are_whole_and_do_not_overlap():
    import pandas as pd

    from gisapp.ui.styles import class_breaks, class_labels

    people = pd.Series([10, 50, 205, 206, 400, 988, None])
    breaks = class_breaks(people, 5, "equal")
    labels, names = class_labels(people, breaks)
    assert names == ["10–205", "206–401", "402–596", "597–792", "793–988"]
    assert labels.tolist()[:4] == ["10–205", "10–205", "10–205", "206–401"]
    assert labels.iloc[-1] is None
    shares = pd.Series([0.5, 1.25, 3.3])
    assert class_labels(shares, class_breaks(shares, 3, "equal"))[1][0] == "0.5–1.43"


def test_the_table_filter_finds_what_is_shown(qtbot):
    import geopandas as gpd
    from shapely.geometry import Point

    from gisapp.data.fields import conform
    from gisapp.data.source import SourceInfo
    from gisapp.model.kinds import get_kind
    from gisapp.model.layer import Layer
    from gisapp.model.project import Project
    from gisapp.ui.attributes import AttributePanel
    from gisapp.ui.document import Document

    kind = get_kind("village")
    frame = gpd.GeoDataFrame(
        {
            "code": ["420802100201", "420802100202", "420802100203"],
            "name": ["甲村", "乙村", "丙村"],
            "population": [1234, 56, 2024],
            "collective_income": [12345.5, 2.0, None],
            "has_bus": [True, False, None],
        },
        geometry=[Point(112.1, 31.0), Point(112.2, 31.0), Point(112.3, 31.0)],
        crs="EPSG:4490",
    )
    info = SourceInfo(path="v", format="test")
    frame = conform(frame, kind, {c: c for c in frame.columns if c != "geometry"}, info)
    doc = Document()
    doc.set_project(Project(layers=[Layer("村", kind, frame, info)]))
    panel = AttributePanel(doc)
    qtbot.addWidget(panel)

    def shown(text: str) -> list[str]:
        panel.filter.setText(text)
        panel._filter_timer.timeout.emit()
        col = panel.model.columns.index("name")
        return [
            panel.proxy.data(panel.proxy.index(r, col))
            for r in range(panel.proxy.rowCount())
        ]

    assert shown("乙") == ["乙村"]
    assert shown("1234") == ["甲村"]  # shown as 1,234
    assert shown("12,345.5") == ["甲村"]
    assert shown("202") == ["乙村", "丙村"]  # a code ending 202, a population 2,024
    yes = panel.model.tr("yes")
    assert "甲村" in shown(yes)
    panel.close()

"""Place names drawn on the web map and the veil round the project's own area,
looked at in headless Chromium with every network request blocked."""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import pytest
from cdp import Browser, find_chromium
from shapely.geometry import Point
from webmap_helpers import column, layer, page_data

from gisapp.data.source import SourceInfo
from gisapp.export.webmap import export_webmap
from gisapp.model.kinds import get_kind
from gisapp.model.layer import Layer
from gisapp.model.project import Project, load_project
from gisapp.paths import SAMPLE_PROJECT

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium not installed (apt-get install chromium): no browser to test in",
)

LABELS = "gisappWebmap.labels"
FRAME = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

# The colour a reader sees at a container point, canvas over the page's background,
# with the veil as drawn and without it.
SEEN = """
(function (x, y) {
  var w = gisappWebmap, stage = w.stage, ratio = window.devicePixelRatio || 1;
  var p = w.map.containerPointToLayerPoint([x, y]).subtract(stage._bounds.min);
  function look() {
    var d = stage._ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
    var a = d[3] / 255, back = [228, 233, 238];
    return [0, 1, 2].map(function (i) { return d[i] * a + back[i] * (1 - a); });
  }
  var veiled = look(), area = w.data.area;
  w.data.area = null; w.redraw();
  var bare = look();
  w.data.area = area; w.redraw();
  return { veiled: veiled, bare: bare };
})
"""


# A container point in (or out of) the project's area, clear of every label.
SPOT = """
(function (inside) {
  var w = gisappWebmap, map = w.map, size = map.getSize(), origin = map.getPixelOrigin();
  var scale = Math.pow(2, map.getZoom());
  for (var y = 150; y < size.y - 150; y += 37) {
    for (var x = 250; x < size.x - 250; x += 37) {
      var p = map.containerPointToLayerPoint([x, y]);
      if (w.inArea((p.x + origin.x) / scale, (p.y + origin.y) / scale) !== inside) { continue; }
      var clear = w.labels.every(function (l) {
        return x < l.box[0] - 6 || x > l.box[2] + 6 || y < l.box[1] - 6 || y > l.box[3] + 6;
      });
      if (clear) { return [x, y]; }
    }
  }
  return null;
})
"""


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM, width=1400, height=900) as chromium:
        yield chromium


def open_map(browser: Browser, path: Path) -> None:
    browser.blocked.clear()
    browser.requests.clear()
    browser.console.clear()
    browser.goto(path)
    browser.wait_for("window.gisappReady === true", timeout=60)


def show(browser: Browser, lat: float, lon: float, zoom: float) -> list[dict]:
    browser.eval(
        f"gisappWebmap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); true"
    )
    browser.eval(FRAME)
    return browser.eval(LABELS)


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_clear(browser: Browser, labels: list[dict]) -> None:
    """No two labels overlap, each is on screen and none lies under a panel."""
    width, height = browser.eval(
        "(function (s) { return [s.x, s.y]; }(gisappWebmap.map.getSize()))"
    )
    panels = browser.eval("gisappWebmap.panelBoxes()")
    for a, b in itertools.combinations(labels, 2):
        assert not overlap(a["box"], b["box"]), (a, b)
    for item in labels:
        x0, y0, x1, y1 = item["box"]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, item
        assert not any(overlap(item["box"], p) for p in panels), item


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory):
    if not SAMPLE_PROJECT.exists():
        pytest.skip("the sample project has not been generated")
    from gisapp.analysis import analyse

    project = load_project(SAMPLE_PROJECT)
    out = tmp_path_factory.mktemp("labels") / "sample.html"
    export_webmap(project, out, report=analyse(project))
    return out


def test_first_view_names_townships_and_counties_without_overlap(browser, sample_page):
    data = page_data(sample_page)
    open_map(browser, sample_page)
    labels = browser.eval(LABELS)
    assert browser.eval("window.gisappLabelCount") == len(labels) >= 30
    assert_clear(browser, labels)
    by_kind = {lyr["id"]: lyr["kind"] for lyr in data["layers"]}
    kinds = {by_kind[item["layer"]] for item in labels}
    assert {"township", "county"} <= kinds
    assert "village" not in kinds  # village names wait until a county fills the screen
    towns = set(column(layer(data, "乡镇驻地"), "name"))
    shown = {item["text"] for item in labels}
    assert len(shown & towns) >= 20
    assert set(column(layer(data, "县市区界"), "name")) <= shown
    # The first pass waits for the page's first layout; later ones are quick.
    redraw = "gisappWebmap.redraw(); window.gisappTimings.lastLabels"
    assert browser.eval(redraw) < 50
    assert not any(c.startswith("EXCEPTION") for c in browser.console)
    assert browser.blocked == []


def test_zoomed_in_only_poor_villages_are_named_red_first(browser, sample_page):
    data = page_data(sample_page)
    villages = layer(data, "行政村")
    names, poor = column(villages, "name"), column(villages, "is_poor")
    status = dict(zip(names, column(villages, "gap_status"), strict=True))
    poor_names = {n for n, p in zip(names, poor, strict=True) if p}
    open_map(browser, sample_page)
    labels = show(browser, 30.95, 112.55, 11)
    assert_clear(browser, labels)
    named = [item["text"] for item in labels if item["layer"] == villages["id"]]
    assert len(named) >= 10
    assert set(named) <= poor_names
    order = [status[n] for n in named]
    if "red" in order and len(set(order)) > 1:
        assert order.index("red") < min(order.index(s) for s in set(order) - {"red"})

    browser.eval(
        f"gisappWebmap.toggle(gisappWebmap.layers['{villages['id']}'], false); true"
    )
    hidden = browser.eval(LABELS)
    assert not any(item["layer"] == villages["id"] for item in hidden)
    assert not any(c.startswith("EXCEPTION") for c in browser.console)


def test_real_data_veils_the_neighbours_but_not_jingmen(browser, jingmen_dir, tmp_path):
    project = load_project(jingmen_dir)
    out = export_webmap(project, tmp_path / "荆门.html")
    open_map(browser, out)
    assert browser.eval("gisappWebmap.veiled") > 1
    labels = browser.eval(LABELS)
    assert_clear(browser, labels)
    # Jingmen's counties are named in full; the neighbours' names come after, faded.
    own = set(column(layer(page_data(out), "县市区界(county)"), "name"))
    inside = {item["text"] for item in labels if not item["outside"]}
    assert own <= inside
    assert all(item["outside"] for item in labels if item["text"] not in inside)

    for inside in (False, True):
        x, y = browser.eval(f"{SPOT.strip()}({str(inside).lower()})")
        seen = browser.eval(f"{SEEN.strip()}({x}, {y})")
        lighter = sum(seen["veiled"]) - sum(seen["bare"])
        if inside:
            assert abs(lighter) < 1, seen
        else:
            assert lighter > 8, seen
    assert browser.blocked == []


def test_first_view_fits_the_city(browser, jingmen_dir, tmp_path):
    out = export_webmap(load_project(jingmen_dir), tmp_path / "fit.html")
    open_map(browser, out)
    (south, west), (north, east) = page_data(out)["bounds"]
    view = browser.eval(
        "(function (b) { return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];"
        " }(gisappWebmap.map.getBounds()))"
    )
    assert view[0] <= south and view[1] <= west and view[2] >= north
    assert view[3] >= east
    assert (view[3] - view[1]) < 2.5 * (east - west)


def test_no_veil_without_an_area_and_names_are_text(browser, tmp_path):
    evil = "<img src=x onerror=\"document.title='owned'\">村"
    villages = gpd.GeoDataFrame(
        {"name": [evil, "平安村"], "is_poor": [True, True]},
        geometry=[Point(112.20, 31.00), Point(112.21, 31.005)],
        crs="EPSG:4490",
    )
    info = SourceInfo(path=Path("villages.csv"), format="CSV")
    project = Project(
        title="测试", layers=[Layer("村", get_kind("village"), villages, info)]
    )
    out = export_webmap(project, tmp_path / "evil.html")
    open_map(browser, out)
    labels = show(browser, 31.0, 112.2, 13)
    assert browser.eval("gisappWebmap.veiled") == 0
    assert {item["text"] for item in labels} == {evil, "平安村"}
    assert browser.eval("document.querySelectorAll('img').length") == 0
    assert browser.eval("document.title") == "测试"
    assert browser.blocked == []

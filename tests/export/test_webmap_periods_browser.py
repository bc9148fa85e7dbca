"""The web map's period switch in headless Chromium: a village drawn in the colour
of its gap status in each year, the progress figures of the year shown.

Which village changes, and its colours, come from the gap engine run on its own
for 2015 and 2018 and from ``styles/status.toml``; the figures from the plan (70
villages a year, all 210 out by 2018).
"""

from __future__ import annotations

import pytest
from cdp import Browser, find_chromium
from webmap_helpers import page_data

from gisapp.analysis import analyse
from gisapp.export.periods import at_period
from gisapp.export.webmap import export_webmap
from gisapp.model.project import load_project
from gisapp.model.style import style_for
from gisapp.paths import SAMPLE_PROJECT

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium not installed (apt-get install chromium): no browser to test in",
)

# The colour painted at a village's centre, after zooming onto it.
PIXEL = """
(function (code) {
  var w = gisappWebmap, layer = null;
  w.order.forEach(function (id) { if (w.layers[id].kind === 'village') { layer = w.layers[id]; } });
  var codes = layer.cols.code, row = -1;
  for (var i = 0; i < layer.count; i++) {
    var v = codes.k ? codes.k[codes.v[i]] : codes.v[i];
    if (String(v) === code) { row = i; }
  }
  var g = layer._geoms[0], at = -1;
  for (var j = 0; j < g.count; j++) { if (g.row(j) === row) { at = j; } }
  var ll = g.centre(at);
  w.map.setView(ll, 15, { animate: false });
  w.redraw();
  var stage = w.stage, p = w.map.latLngToLayerPoint(ll).subtract(stage._bounds.min);
  var ratio = window.devicePixelRatio || 1;
  var d = stage._ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
  return '#' + [d[0], d[1], d[2]].map(function (c) { return ('0' + c.toString(16)).slice(-2); }).join('');
})
"""


# Villages whose popup says 差距大.
FAR = """
(function () {
  var w = gisappWebmap, l = null, n = 0;
  w.order.forEach(function (id) { if (w.layers[id].kind === 'village') { l = w.layers[id]; } });
  for (var i = 0; i < l.count; i++) {
    var s = w.statusOf(l, i);
    if (s && s.zh === '差距大') { n += 1; }
  }
  return n;
}())
"""


def _rgb(text: str) -> tuple[int, int, int]:
    return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))


def _near(a: str, b: str) -> bool:
    return all(abs(x - y) <= 3 for x, y in zip(_rgb(a), _rgb(b), strict=True))


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def project():
    return load_project(SAMPLE_PROJECT)


def _status(project, name: str):
    with at_period(project, name):
        table = analyse(project, year=int(name)).villages
    return table.set_index("code")["gap_status"]


def test_switching_periods_recolours_a_village(browser, project, tmp_path):
    early, late = _status(project, "2015"), _status(project, "2018")
    changed = sorted(late.index[(early == "red") & (late == "green")])
    assert changed, "some poor village is far from target in 2015 and meets it in 2018"
    code = changed[0]
    fills = {k: v["fill"] for k, v in style_for("village").categories.items()}

    before = project.first("village").frame.copy()
    out = export_webmap(project, tmp_path / "各年.html", periods=True, period="2015")
    assert (
        project.first("village")
        .frame.drop(columns="geometry")
        .equals(before.drop(columns="geometry"))
    )
    data = page_data(out)
    assert data["periods"]["names"] == ["2015", "2016", "2017", "2018"]
    browser.goto(out)
    browser.wait_for("window.gisappReady === true", timeout=60)
    assert browser.eval("document.body.getAttribute('data-period')") == "2015"
    assert _near(browser.eval(f"{PIXEL}('{code}')"), fills["red"])
    assert browser.eval(FAR) == int((early == "red").sum()) > 0

    browser.eval(
        "document.querySelector('.gm-period[data-period=\"2018\"]').click(); true"
    )
    assert browser.eval("document.body.getAttribute('data-period')") == "2018"
    assert _near(browser.eval(f"{PIXEL}('{code}')"), fills["green"])
    figures = browser.eval("document.querySelector('.gm-period-figures').innerText")
    assert "210 / 计划 210 个" in figures
    assert "进度达标" in figures
    on = browser.eval("document.querySelector('.gm-period-on').textContent")
    assert on == "2018年"
    # The status the popups and tooltips name follows the switch.
    assert browser.eval(FAR) == int((late == "red").sum()) == 0
    legend = browser.eval("document.querySelector('.gm-legend').innerText")
    assert "差距大" not in legend

    browser.eval(
        "document.querySelector('.gm-period[data-period=\"2017\"]').click(); true"
    )
    figures = browser.eval("document.querySelector('.gm-period-figures').innerText")
    assert "136 / 计划 140 个" in figures and "滞后" in figures
    assert "本期返贫重新纳入" in figures and "4 个村" in figures
    assert not any(c.startswith("EXCEPTION") for c in browser.console)
    assert browser.blocked == []


def test_a_page_without_periods_has_no_switch(browser, project, tmp_path):
    out = export_webmap(project, tmp_path / "单期.html")
    assert "periods" not in page_data(out)
    browser.goto(out)
    browser.wait_for("window.gisappReady === true", timeout=60)
    assert browser.eval("document.querySelectorAll('.gm-period').length") == 0

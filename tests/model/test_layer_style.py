"""Each layer is drawn in its own style when it has one, and keeps it when saved."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, replace

import pytest

from gisapp.model import style as style_module
from gisapp.model.layer import Layer
from gisapp.model.store import META_TABLE, load_saved_project, save_project
from gisapp.model.style import layer_style, style_for
from tests.model.test_periods import campaign

RED = {"shape": "circle", "size_mm": 2.0, "fill": "#ff0000", "stroke": "#000000"}


def _twin(layer: Layer, name: str) -> Layer:
    return Layer(name=name, kind=layer.kind, frame=layer.frame.copy(), info=layer.info)


@pytest.fixture
def project():
    """The campaign with a second village layer beside the first."""
    project = campaign()
    project.add(_twin(project.first("village"), "第二批村"))
    return project


def _red(kind_id: str = "village"):
    return replace(style_for(kind_id), symbol=RED, category_field=None, categories={})


def test_a_layer_without_a_style_of_its_own_is_drawn_in_its_kinds(project):
    first, second = project.layers_of("village")
    assert layer_style(first) is style_for("village")
    second.style = _red()
    assert layer_style(second) is second.style
    assert layer_style(second).symbol["fill"] == "#ff0000"
    assert layer_style(first) is style_for("village")
    assert style_for("village").category_field == "gap_status"


def test_styles_are_no_longer_kept_by_kind():
    for name in ("set_style", "reset_styles", "style_overrides", "_OVERRIDES"):
        assert not hasattr(style_module, name)


def test_each_layer_keeps_its_own_style_when_saved(project, tmp_path):
    first, second = project.layers_of("village")
    second.style = _red()
    path = save_project(project, tmp_path / "two-styles.gpkg")
    again = load_saved_project(path)
    first, second = again.layers_of("village")
    assert first.style is None
    assert layer_style(first) is style_for("village")
    assert second.style == _red()
    assert layer_style(second).symbol == RED


def _rewrite_meta(path, change) -> None:
    with sqlite3.connect(path) as con:
        row = con.execute(f"SELECT value FROM {META_TABLE}").fetchone()
        meta = change(json.loads(row[0]))
        con.execute(
            f"UPDATE {META_TABLE} SET value=? WHERE key='project'",
            (json.dumps(meta, ensure_ascii=False),),
        )
    con.close()


def test_a_file_with_styles_by_kind_gives_each_layer_of_the_kind_that_style(
    project, tmp_path
):
    path = save_project(project, tmp_path / "by-kind.gpkg")

    def older(meta: dict) -> dict:
        assert all("style" not in entry for entry in meta["layers"])
        return {**meta, "styles": {"village": asdict(_red())}}

    _rewrite_meta(path, older)
    again = load_saved_project(path)
    villages = again.layers_of("village")
    assert len(villages) == 2
    assert all(layer.style == _red() for layer in villages)
    assert again.first("bridge").style is None


def test_a_layers_own_style_wins_over_an_older_style_by_kind(project, tmp_path):
    first, _ = project.layers_of("village")
    first.style = replace(_red(), symbol={**RED, "fill": "#0000ff"})
    path = save_project(project, tmp_path / "both.gpkg")
    _rewrite_meta(path, lambda meta: {**meta, "styles": {"village": asdict(_red())}})
    first, second = load_saved_project(path).layers_of("village")
    assert first.style.symbol["fill"] == "#0000ff"
    assert second.style.symbol["fill"] == "#ff0000"


def test_the_web_period_switch_colours_villages_in_their_layers_style(project):
    from gisapp.export.web.periods import _village_style

    first, second = project.layers_of("village")
    assert _village_style(project) is style_for("village")
    kind = style_for("village")
    own = replace(
        kind,
        categories={k: {**c, "zh": f"本图层{k}"} for k, c in kind.categories.items()},
    )
    first.style, second.style = _red(), own
    assert _village_style(project) is own  # the first layer coloured by gap status

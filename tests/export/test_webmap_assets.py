"""Leaflet is read from its package, also where the package is a namespace path."""

from __future__ import annotations

from importlib import resources
from importlib.resources.readers import MultiplexedPath

from gisapp.export.web import assets


def test_leaflet_is_found_through_a_namespace_path(monkeypatch):
    """A one-folder build sees the package as a MultiplexedPath, whose joinpath
    takes one name at a time."""
    real = resources.files(assets._LEAFLET[0])
    monkeypatch.setattr(
        assets.resources, "files", lambda package: MultiplexedPath(str(real))
    )
    path = assets._leaflet_file("images/marker-icon.png")
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert "1.9.4" in assets._leaflet_file("leaflet.js").read_text("utf-8")


def test_areas_of_a_marker_style_carry_the_marker():
    from gisapp.export.web import geometry as geo
    from gisapp.export.web.payload import page_symbol
    from gisapp.model.style import style_for

    substation = page_symbol(style_for("substation").symbol, geo.AREA)
    assert substation["marker"]["shape"] == "diamond"
    assert substation["marker"]["r"] > 2
    assert "marker" not in page_symbol(style_for("lake").symbol, geo.AREA)

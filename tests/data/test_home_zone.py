"""Case 12: plain Gauss-Krüger metres with no .prj, read alone, propose CM 111°E first."""

from __future__ import annotations

import json

import numpy as np
import shapely

from gisapp.data.readers import read_source


def test_plain_gk_alone_proposes_the_home_zone_first(cases_dir):
    case = cases_dir / "12-missing-prj"
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    loaded = read_source(case / "a_projected_no_prj" / "roads.shp")[0]
    assert loaded.info.crs.startswith("EPSG:4546")
    assert not loaded.info.crs_declared
    first = shapely.get_coordinates(loaded.frame.geometry.iloc[0])[0]
    lon, lat = expected["a_first_vertices_lonlat"][0]
    metres = np.hypot((first[0] - lon) * 98_800, (first[1] - lat) * 110_800)
    assert metres < 0.1


def test_inspect_names_overlapping_villages(cases_dir):
    """Case 16: 垭口村 and 峁底村 overlap by 150,000 m², and inspect says so."""
    from gisapp.data.inspect import inspect_file

    case = cases_dir / "16-invalid-village-polygons"
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    layer = inspect_file(case / "villages_invalid.shp")["layers"][0]
    said = [w for w in layer["warnings"] if "overlap" in w]
    assert len(said) == 1 and "垭口村" in said[0] and "峁底村" in said[0]
    area = float(said[0].split("overlap by ")[1].split(" m²")[0].replace(",", ""))
    assert abs(area - expected["overlap_垭口村_峁底村_m2"]) < 0.01 * area

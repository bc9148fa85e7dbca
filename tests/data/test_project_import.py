"""Importing several files together: the project's area and cross-layer checks."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import shapely

from gisapp.data import webcrs
from gisapp.data.crosscheck import offset_messages
from gisapp.data.readers import read_source
from gisapp.data.writers import write_layer
from gisapp.model.project import assemble


def test_plain_eastings_take_the_zone_of_the_other_layers(cases_dir):
    case = cases_dir / "12-missing-prj"
    project = assemble(
        [
            case / "a_projected_no_prj" / "roads.shp",
            case / "b_degrees_no_prj" / "bridges.shp",
        ]
    )
    roads = project.first("road")
    assert roads is not None
    assert roads.info.crs.startswith("EPSG:4546")
    assert roads.info.crs_declared is False
    x, y = roads.frame.geometry.iloc[0].coords[0]
    assert (x, y) == pytest.approx((110.9234, 27.4512), abs=1e-6)


def test_a_file_that_cannot_be_read_leaves_the_rest(cases_dir, tmp_path):
    broken = tmp_path / "坏.shp"
    broken.write_bytes(b"not a shapefile")
    good = cases_dir / "01-shp-gbk-no-cpg" / "b_ldid_00" / "villages.shp"
    project = assemble([broken, good])
    assert len(project.layers) == 1
    assert any("坏.shp" in m for m in project.messages)


def test_outline_shifted_like_a_web_map_is_named(jingmen_dir, tmp_path):
    county = read_source(jingmen_dir / "boundaries_cgcs2000.gpkg", "county")[0].frame
    shifted = county.copy()
    shifted.geometry = shapely.transform(
        shifted.geometry.values,
        lambda c: np.column_stack(webcrs.to_gcj02(c[:, 0], c[:, 1])),
    )
    finding = webcrs.detect_layer_offset(shifted, county)
    assert finding.origin == "gcj02"
    assert webcrs.detect_layer_offset(county, county).origin is None
    path = tmp_path / "county_web.geojson"
    write_layer(shifted, path)
    truth = tmp_path / "county.gpkg"
    shutil.copy(jingmen_dir / "boundaries_cgcs2000.gpkg", truth)
    project = assemble([truth, path])
    messages = offset_messages(project.layers)
    assert any("GCJ-02" in m and "county_web" in m for m in messages)
    # Named as coming from Amap, the same file is corrected on reading.
    named = tmp_path / "county_amap.geojson"
    shutil.copy(path, named)
    loaded = read_source(named)[0]
    assert loaded.info.origin == "gcj02"
    assert webcrs.detect_layer_offset(loaded.frame, county).origin is None

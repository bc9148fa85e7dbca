"""Case 12: shapefiles without .prj, in projected metres and in degrees."""

from __future__ import annotations

import json

import pytest

from gisapp.data.crs import infer_candidates
from gisapp.data.readers import read_source

CASE = "12-missing-prj"


@pytest.fixture(scope="module")
def expected(cases_dir):
    return json.loads((cases_dir / CASE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bridges(cases_dir):
    return read_source(cases_dir / CASE / "b_degrees_no_prj" / "bridges.shp")[0]


def test_degrees_are_assumed_cgcs2000_and_marked(bridges):
    info = bridges.info
    assert info.crs.startswith("EPSG:4490")
    assert info.crs_declared is False
    assert info.crs_how.startswith("assumed")
    assert any("坐标系未知" in w for w in info.warnings)
    assert bridges.frame["QLMC"].iloc[0] == "岩脚大桥"


def test_metres_get_gk_candidates_for_the_project_area(cases_dir, expected, bridges):
    area = tuple(bridges.frame.total_bounds)
    loaded = read_source(
        cases_dir / CASE / "a_projected_no_prj" / "roads.shp", near_bounds=area
    )[0]
    info = loaded.info
    assert info.crs_declared is False and "坐标系未知" in " ".join(info.warnings)
    assert info.crs_candidates[0]["epsg"] == 4546
    assert "without zone number" in info.crs_candidates[0]["reason"]
    assert len(info.crs_candidates) > 1
    for geom, (lon, lat) in zip(
        loaded.frame.geometry, expected["a_first_vertices_lonlat"], strict=True
    ):
        x, y = geom.coords[0]
        assert x == pytest.approx(lon, abs=1e-6) and y == pytest.approx(lat, abs=1e-6)
    assert loaded.frame["DLMC"].iloc[0] == "清溪至岩脚公路"


def test_user_choice_overrides_the_guess(cases_dir, expected):
    loaded = read_source(
        cases_dir / CASE / "a_projected_no_prj" / "roads.shp", crs=4546
    )[0]
    assert loaded.info.crs_how == "chosen by the user"
    x, y = loaded.frame.geometry.iloc[0].coords[0]
    assert (x, y) == pytest.approx(
        tuple(expected["a_first_vertices_lonlat"][0]), abs=1e-6
    )


@pytest.mark.parametrize(
    "bounds, swap, epsg",
    [
        # 3° zone 38 with prefix (CM 114°E), Jingmen.
        ((38_400_000, 3_400_000, 38_450_000, 3_450_000), False, 4526),
        # Same, northing first as surveyors write X/Y.
        ((3_400_000, 38_400_000, 3_450_000, 38_450_000), True, 4526),
        # 6° zone 19 with prefix (CM 111°E).
        ((19_600_000, 3_400_000, 19_650_000, 3_450_000), False, 4497),
        # Plain eastings near Jingmen: 3° CM 111°E lands them there (x 600 km = 112.05°E).
        ((590_000, 3_420_000, 610_000, 3_440_000), False, 4546),
    ],
)
def test_inference_of_zones(bounds, swap, epsg):
    best = infer_candidates(bounds)[0]
    assert (best.epsg, best.swap_xy) == (epsg, swap)


def test_plain_eastings_follow_the_project_longitude():
    bounds = (490_000, 3_400_000, 510_000, 3_420_000)
    assert infer_candidates(bounds, near_lon=114.2)[0].epsg == 4547
    assert infer_candidates(bounds, near_lon=110.8)[0].epsg == 4546
    assert infer_candidates((1, 2, 3, 4)) == []


def test_confirmed_crs_is_saved_as_prj(cases_dir, tmp_path, expected):
    import shutil

    from gisapp.data.writers import save_prj
    from gisapp.errors import ExportError

    for part in (cases_dir / CASE / "a_projected_no_prj").iterdir():
        shutil.copy(part, tmp_path / part.name)
    shp = tmp_path / "roads.shp"
    save_prj(shp, 4546)
    loaded = read_source(shp)[0]
    assert loaded.info.crs_declared is True
    assert loaded.info.crs.startswith("EPSG:4546")
    x, y = loaded.frame.geometry.iloc[0].coords[0]
    assert (x, y) == pytest.approx(
        tuple(expected["a_first_vertices_lonlat"][0]), abs=1e-6
    )
    with pytest.raises(ExportError, match="not replaced"):
        save_prj(shp, 4547)

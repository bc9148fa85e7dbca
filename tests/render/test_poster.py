"""Poster tiling: grid arithmetic and the produced PDF."""

from __future__ import annotations

import pytest
from printcheck import page_sizes_mm, text

from gisapp.errors import ExportError
from gisapp.export.poster import export_poster, grid, tile_name


def test_grid_covers_an_a1_with_a4_tiles():
    # A1 landscape 841 × 594 mm; A4 portrait with 10 mm margins prints 190 × 277.
    # Steps with 10 mm overlap: 180 and 267 → ceil(831/180) = 5 columns,
    # ceil(584/267) = 3 rows.
    rows, cols, tiles = grid(841, 594, 190, 277, 10)
    assert (rows, cols) == (3, 5)
    last_x = tiles[-1][2][0] + tiles[-1][2][2]
    last_y = tiles[-1][2][1] + tiles[-1][2][3]
    assert last_x >= 841 and last_y >= 594
    # Neighbours share exactly the overlap.
    (_, _, a), (_, _, b) = tiles[0], tiles[1]
    assert a[0] + a[2] - b[0] == pytest.approx(10)


def test_tile_names():
    assert [tile_name(0, 0), tile_name(0, 1), tile_name(1, 0), tile_name(27, 2)] == [
        "A1",
        "A2",
        "B1",
        "AB3",
    ]


def test_bad_overlap_is_refused():
    with pytest.raises(ExportError):
        grid(841, 594, 190, 277, 200)


def test_poster_pdf_has_index_and_tiles(tiny_project, tmp_path):
    out = tmp_path / "poster.pdf"
    result = export_poster(
        tiny_project,
        out,
        page="A2",
        orientation="landscape",
        sheet="A3",
        sheet_orientation="landscape",
        overlap_mm=10,
    )
    # A2 landscape 594 × 420 on A3 landscape (400 × 277 printable, steps 390 × 267):
    # ceil(584/390) = 2 columns, ceil(410/267) = 2 rows.
    assert (result.rows, result.cols) == (2, 2)
    sizes = page_sizes_mm(out)
    assert len(sizes) == result.sheets == 5
    assert all(abs(w - 420) < 0.5 and abs(h - 297) < 0.5 for w, h in sizes)
    index, _ = text(out, 1)
    assert "拼贴索引图" in index
    tile, _ = text(out, 2)
    assert "第 A1 张" in tile and "右接 A2" in tile and "下接 B1" in tile

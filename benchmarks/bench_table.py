"""Attribute table benchmark: sort, filter and selection at 200,000 rows.

The baseline in the same run is pandas doing the same sort and filter on the
same frame, so the ratio says what the table's model adds on top.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_table.py [--rows N]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PyQt6.QtCore import Qt  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from gisapp.data.source import SourceInfo  # noqa: E402
from gisapp.model.kinds import get_kind  # noqa: E402
from gisapp.model.layer import Layer  # noqa: E402
from gisapp.model.project import Project  # noqa: E402
from gisapp.sample.network import generate_network  # noqa: E402
from gisapp.ui.attributes import AttributePanel  # noqa: E402
from gisapp.ui.document import Document  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    QApplication.processEvents()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])

    roads = generate_network(200, args.rows)["roads"]
    layer = Layer(
        "道路", get_kind("road"), roads, SourceInfo(path="roads", format="bench")
    )
    doc = Document()
    doc.set_project(Project(layers=[layer]))
    panel = AttributePanel(doc)
    panel.resize(1000, 500)
    panel.show()
    col = panel.model.columns.index("width_m")
    zh = get_kind("road").field("surface").value_zh("earth")

    def filter_table():
        panel.filter.setText(zh)
        panel._filter_timer.timeout.emit()

    sort_s = timed(lambda: panel.view.sortByColumn(col, Qt.SortOrder.DescendingOrder))
    filter_s = timed(filter_table)
    panel.filter.clear()
    panel._filter_timer.timeout.emit()
    rows = np.arange(0, args.rows, 20)
    select_s = timed(lambda: doc.select(layer, rows))
    roads["width_m"].sort_values(ascending=False)  # first calls load pandas code
    roads.index[roads["surface"] == "earth"]
    base_sort = timed(lambda: roads["width_m"].sort_values(ascending=False))
    base_filter = timed(lambda: roads.index[roads["surface"] == "earth"])

    print(f"rows: {args.rows:,}")
    print(f"sort    table {sort_s * 1000:8.1f} ms   pandas {base_sort * 1000:7.1f} ms")
    print(
        f"filter  table {filter_s * 1000:8.1f} ms   pandas {base_filter * 1000:7.1f} ms"
    )
    print(f"select {len(rows):,} rows: {select_s * 1000:.1f} ms")
    print(f"ratio sort {sort_s / base_sort:.1f}x, filter {filter_s / base_filter:.1f}x")
    panel.close()
    app.processEvents()


if __name__ == "__main__":
    main()

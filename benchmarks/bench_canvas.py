"""Canvas drawing benchmark: the app's renderer against a bare QPainter loop.

Draws a generated set (200,000 road segments and 5,000 villages by default) at
full extent twice in the same run: once through the renderer the map canvas
uses, once through a bare loop of ``drawPolyline`` and point calls on the same
device coordinates with the same pens. Prints both times, their ratio and the
share of pixels where the two images differ; then the frame time at a
township's extent (what a pan or zoom waits for) and the time the canvas needs
to show the previous frame moved and scaled while the new one is drawn.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_canvas.py [--segments N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from PyQt6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PyQt6.QtGui import QColor, QImage, QPainter, QPen  # noqa: E402

from gisapp.data.source import SourceInfo  # noqa: E402
from gisapp.model.kinds import get_kind  # noqa: E402
from gisapp.model.layer import Layer  # noqa: E402
from gisapp.model.project import Project  # noqa: E402
from gisapp.model.style import _category_key, style_for  # noqa: E402
from gisapp.render import symbols  # noqa: E402
from gisapp.render.arrays import polygon_from_xy  # noqa: E402
from gisapp.render.fonts import ensure_app  # noqa: E402
from gisapp.render.view import MM_PER_INCH, MapView  # noqa: E402
from gisapp.sample.network import generate_network  # noqa: E402
from gisapp.ui.canvas import BACKGROUND, CanvasRenderer  # noqa: E402

WIDTH, HEIGHT, DPI = 1600, 1000, 96
TARGETS = {"ratio": 1.0, "differing_share": 0.01, "township_frame_ms": 50.0}


def build_project(villages: int, segments: int) -> Project:
    sets = generate_network(villages, segments)
    project = Project(title="benchmark")
    for key, kind_id in (("roads", "road"), ("villages", "village")):
        info = SourceInfo(path=Path(f"{key}.generated"), format="generated")
        project.add(Layer(key, get_kind(kind_id), sets[key], info))
    return project


def new_image() -> QImage:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(BACKGROUND)
    return image


def draw_with_renderer(renderer, view: MapView, labels=False) -> tuple[QImage, float]:
    image = new_image()
    start = time.perf_counter()
    painter = QPainter(image)
    renderer.render(painter, view, dpi=DPI, labels=labels)
    painter.end()
    return image, time.perf_counter() - start


def device_lines(layer: Layer, crs, view: MapView):
    """Per road: its device coordinates, and the category key of its style."""
    geoms = layer.projected(crs).values
    xy, index = shapely.get_coordinates(geoms, return_index=True)
    px, py = view.to_device(xy[:, 0], xy[:, 1])
    starts = np.searchsorted(index, np.arange(len(geoms)))
    ends = np.r_[starts[1:], len(index)]
    style = style_for(layer.kind.id)
    keys = [_category_key(v) for v in layer.frame[style.category_field].tolist()]
    return np.column_stack([px, py]), starts, ends, keys, style


def draw_bare(project: Project, crs, view: MapView) -> tuple[QImage, float]:
    """The same features, one QPainter call each, with the style's pens."""
    px_per_mm = DPI / MM_PER_INCH
    roads, villages = project.layers
    lines = device_lines(roads, crs, view)
    vxy = shapely.get_coordinates(villages.projected(crs).values)
    vx, vy = view.to_device(vxy[:, 0], vxy[:, 1])
    image = new_image()
    start = time.perf_counter()
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    xy, starts, ends, keys, style = lines
    pens = {}
    order = sorted(
        range(len(keys)),
        key=lambda i: (
            list(style.categories).index(keys[i])
            if keys[i] in style.categories
            else len(style.categories)
        ),
    )
    current = None
    for i in order:
        key = keys[i]
        if key != current:
            if key not in pens:
                pens[key] = symbols.line_pen(style.symbol_for(key), px_per_mm)
            painter.setPen(pens[key])
            current = key
        painter.drawPolyline(polygon_from_xy(xy[starts[i] : ends[i]]))
    sym = style_for("village").symbol
    size = float(sym.get("size_mm", 2.0)) * px_per_mm
    if sym.get("shape", "circle") == "circle" and float(sym.get("stroke_mm", 0)) <= 0.1:
        pen = QPen(symbols.colour(sym.get("fill", "#888888")))
        pen.setWidthF(size)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        for x, y in zip(vx.tolist(), vy.tolist(), strict=True):
            painter.drawPoint(QPointF(x, y))
    else:
        painter.setPen(symbols.marker_pen(sym, px_per_mm))
        painter.setBrush(symbols.fill_brush(sym))
        r = size / 2
        for x, y in zip(vx.tolist(), vy.tolist(), strict=True):
            painter.drawEllipse(QPointF(x, y), r, r)
    painter.end()
    return image, time.perf_counter() - start


def differing_share(a: QImage, b: QImage, tolerance: int = 0) -> float:
    def arr(img):
        img = img.convertToFormat(QImage.Format.Format_RGB32)
        ptr = img.constBits()
        ptr.setsize(img.width() * img.height() * 4)
        return np.frombuffer(ptr, dtype=np.uint8).reshape(img.height(), img.width(), 4)

    diff = np.abs(arr(a)[:, :, :3].astype(int) - arr(b)[:, :, :3].astype(int)).max(
        axis=2
    )
    return float((diff > tolerance).mean())


def township_view(project: Project, crs) -> MapView:
    """A view of about 12 km across around the busiest village cluster."""
    xy = shapely.get_coordinates(project.layers[1].projected(crs).values)
    centre = np.median(xy, axis=0)
    return MapView(float(centre[0]), float(centre[1]), 12_000 / WIDTH, WIDTH, HEIGHT)


def moved_frame_ms(frame: QImage, view: MapView, repeats: int = 20) -> float:
    """Painting the last frame zoomed and panned, as the canvas does on each move."""
    target = new_image()
    times = []
    for i in range(repeats):
        moved = view.zoomed(1.25, (400 + i, 300)).panned(30 + i, -20)
        k = view.scale / moved.scale
        x0 = -view.width / 2 * k + (view.cx - moved.cx) / moved.scale + moved.width / 2
        y0 = (
            -view.height / 2 * k - (view.cy - moved.cy) / moved.scale + moved.height / 2
        )
        start = time.perf_counter()
        painter = QPainter(target)
        painter.fillRect(0, 0, WIDTH, HEIGHT, QColor(BACKGROUND))
        painter.drawImage(QRectF(x0, y0, view.width * k, view.height * k), frame)
        painter.end()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--villages", type=int, default=5000)
    parser.add_argument("--segments", type=int, default=200_000)
    parser.add_argument("--save", type=Path, help="folder for the two images")
    args = parser.parse_args(argv)
    ensure_app()
    t = time.perf_counter()
    project = build_project(args.villages, args.segments)
    print(
        f"generated {args.segments:,} road segments and {args.villages:,} villages "
        f"in {time.perf_counter() - t:.1f} s"
    )
    renderer = CanvasRenderer(project)
    crs = renderer.crs
    t = time.perf_counter()
    full = MapView.fit(renderer.bounds(), WIDTH, HEIGHT)  # prepares every layer
    print(
        f"prepare (projection, grouping; once per data change): {time.perf_counter() - t:.2f} s"
    )

    runs = [draw_with_renderer(renderer, full) for _ in range(3)]
    ours_img, ours = runs[-1][0], statistics.median(r[1] for r in runs)
    bare_runs = [draw_bare(project, crs, full) for _ in range(3)]
    bare_img, bare = bare_runs[-1][0], statistics.median(r[1] for r in bare_runs)
    ratio = ours / bare
    strict = differing_share(ours_img, bare_img, 0)
    visible = differing_share(ours_img, bare_img, 32)
    print(
        f"full extent, {WIDTH}x{HEIGHT}: renderer {ours * 1000:.0f} ms, "
        f"bare QPainter loop {bare * 1000:.0f} ms, ratio {ratio:.2f} "
        f"(target <= {TARGETS['ratio']})"
    )
    print(
        f"pixels differing: {strict:.2%} any difference, {visible:.2%} by more than "
        f"32 levels (target < {TARGETS['differing_share']:.0%})"
    )

    town = township_view(project, crs)
    frames = [draw_with_renderer(renderer, town)[1] for _ in range(5)]
    labelled = [draw_with_renderer(renderer, town, True)[1] for _ in range(5)]
    print(
        f"township extent (12 km): frame {statistics.median(frames) * 1000:.0f} ms "
        f"without labels, {statistics.median(labelled) * 1000:.0f} ms with labels "
        f"as on screen (target < {TARGETS['township_frame_ms']:.0f} ms)"
    )
    print(
        f"canvas shows the moved previous frame in {moved_frame_ms(ours_img, full):.1f} ms"
    )
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        ours_img.save(str(args.save / "renderer.png"))
        bare_img.save(str(args.save / "bare.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

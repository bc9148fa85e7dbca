"""Web map benchmark: export time, file size and time until the page has drawn.

Runs on the city sample (when generated) and on a generated set of about 50,000
features. Targets for the 50,000 features: export < 3 s, file < 6 MB, drawn < 3 s.

    python benchmarks/bench_webmap.py [--features 50000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "export"))

from cdp import Browser, find_chromium  # noqa: E402

from gisapp.data.source import SourceInfo  # noqa: E402
from gisapp.export.webmap import export_webmap  # noqa: E402
from gisapp.model.kinds import get_kind  # noqa: E402
from gisapp.model.layer import Layer  # noqa: E402
from gisapp.model.project import Project, load_project  # noqa: E402
from gisapp.paths import SAMPLE_PROJECT  # noqa: E402

TARGETS = {"export_s": 3.0, "size_mb": 6.0, "drawn_s": 3.0}
KINDS = {
    "villages": ("village", "行政村"),
    "townships": ("township", "乡镇"),
    "roads": ("road", "道路"),
    "bridges": ("bridge", "桥梁"),
    "rivers": ("river", "河流"),
}


def generated_project(features: int) -> Project:
    """A project of about ``features`` generated villages, roads, bridges and rivers."""
    from gisapp.sample.network import generate_network

    # About one bridge per 21 road segments and one township per 22 villages.
    villages = max(features // 12, 1)
    segments = max(int((features - villages * (1 + 1 / 22) - 10) / 1.048), 1)
    frames = generate_network(villages, segments, seed=1)
    project = Project(title=f"基准测试 {features} 要素")
    for key, frame in frames.items():
        kind, name = KINDS[key]
        info = SourceInfo(path=Path(f"{key}.gpkg"), format="GPKG")
        project.add(Layer(name=name, kind=get_kind(kind), frame=frame, info=info))
    return project


def measure(project: Project, out: Path, browser: Browser | None) -> dict:
    started = time.perf_counter()
    export_webmap(project, out)
    export_s = time.perf_counter() - started
    row = {
        "features": sum(len(lyr.frame) for lyr in project.layers),
        "export_s": export_s,
        "size_mb": out.stat().st_size / 1e6,
        "drawn_s": float("nan"),
    }
    if browser is not None:
        browser.blocked.clear()
        browser.goto(out, timeout=120)
        browser.wait_for("window.gisappReady === true", timeout=120)
        # Milliseconds from the start of navigation to the frame after the drawing.
        row["drawn_s"] = browser.eval("window.gisappRenderedAt") / 1000
        row["blocked"] = len(browser.blocked)
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="folder to keep the HTML files in")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-webmap-"))
    folder.mkdir(parents=True, exist_ok=True)
    sets = []
    if SAMPLE_PROJECT.exists():
        sets.append(
            ("city sample", lambda: load_project(SAMPLE_PROJECT), "sample.html")
        )
    else:
        print("city sample: not generated yet (python -m gisapp.sample)")
    sets.append(
        (
            f"{args.features} features",
            lambda: generated_project(args.features),
            "generated.html",
        )
    )
    browser = Browser(chromium).__enter__() if chromium else None
    if browser is None:
        print("Chromium not found: drawing time not measured")
    failed = False
    try:
        for label, build, name in sets:
            project = build()
            row = measure(project, folder / name, browser)
            print(
                f"{label:>16}: {row['features']:>6} features, "
                f"export {row['export_s']:.2f} s, "
                f"file {row['size_mb']:.2f} MB, drawn {row['drawn_s']:.2f} s "
                f"(network requests blocked: {row.get('blocked', '-')})"
            )
            if label != "city sample":
                for key, limit in TARGETS.items():
                    if not row[key] < limit:
                        failed = True
                        print(f"  over target: {key} {row[key]:.2f} >= {limit}")
    finally:
        if browser is not None:
            browser.__exit__(None, None, None)
    if args.keep:
        print(f"files in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

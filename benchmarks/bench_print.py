"""Printing benchmark: the city battle map as A0 vector PDF and A0 PNG at 300 dpi,
and a 10-township book, each in its own process.

For every job a fresh Python process loads the project, runs the gap report,
exports, and reports the export time and the process's peak resident memory
(``VmHWM`` from ``/proc/self/status``, which counts Qt's and numpy's memory as
well as Python's). Targets: A0 PDF under 20 s; A0 PNG at 300 dpi under 15 s and
800 MB; book under 60 s.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_print.py [--project FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PROJECT = ROOT / "sample_data" / "jingmen" / "project.toml"

TARGETS = {
    "a0_pdf": (20.0, None),
    "a0_png_300dpi": (15.0, 800.0),
    "book_10_townships": (60.0, None),
}

JOB = textwrap.dedent(
    """
    import json, os, sys, time
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gisapp.render.fonts import ensure_app
    ensure_app()
    from gisapp.analysis import analyse
    from gisapp.model.project import load_project
    job, project_path, out_dir = sys.argv[1:4]
    t0 = time.perf_counter()
    project = load_project(project_path)
    report = analyse(project)
    report.annotate(project)
    t1 = time.perf_counter()
    pages = 1
    if job == "a0_pdf":
        from gisapp.export.wallmap import export_wallmap
        out = export_wallmap(project, os.path.join(out_dir, "city_A0.pdf"), "A0", "landscape",
                             report=report, dpi=300)
    elif job == "a0_png_300dpi":
        from gisapp.export.wallmap import export_wallmap
        out = export_wallmap(project, os.path.join(out_dir, "city_A0_300dpi.png"), "A0",
                             "landscape", report=report, dpi=300)
    else:
        from gisapp.export.book import export_book
        from gisapp.export.print_content import township_names
        names = township_names(project)[:10]
        result = export_book(project, os.path.join(out_dir, "book.pdf"), report=report,
                             names=names)
        out, pages = result.path, len(result.pages)
    t2 = time.perf_counter()
    peak = 0
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    print(json.dumps({"job": job, "load_s": t1 - t0, "export_s": t2 - t1, "peak_mb": peak,
                      "bytes": os.path.getsize(out), "pages": pages}))
    """
)


def run(job: str, project: Path, out_dir: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", JOB, job, str(project), str(out_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{job} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT)
    parser.add_argument("--out", type=Path, default=None, help="keep the outputs here")
    parser.add_argument("--jobs", nargs="*", default=list(TARGETS))
    args = parser.parse_args(argv)
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="bench_print_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    header = f"{'job':<20} {'load s':>7} {'export s':>9} {'peak MB':>8} {'MB out':>7} {'pages':>5}  target"
    print(header)
    for job in args.jobs:
        res = run(job, args.project, out_dir)
        limit_s, limit_mb = TARGETS[job]
        ok = res["export_s"] < limit_s and (
            limit_mb is None or res["peak_mb"] < limit_mb
        )
        failed |= not ok
        target = f"< {limit_s:g} s" + (f", < {limit_mb:g} MB" if limit_mb else "")
        print(
            f"{job:<20} {res['load_s']:7.1f} {res['export_s']:9.1f} {res['peak_mb']:8.0f} "
            f"{res['bytes'] / 2**20:7.1f} {res['pages']:5d}  {target} {'ok' if ok else 'MISSED'}"
        )
    print(f"outputs in {out_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

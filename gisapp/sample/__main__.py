"""``python -m gisapp.sample OUT_DIR``: write the sample project, or a benchmark set.

With ``--villages`` and ``--segments`` a synthetic benchmark set is written
instead: one GeoPackage of layers and a project file that loads it.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from gisapp.errors import GisAppError
from gisapp.sample.build import build_sample, check_target
from gisapp.sample.network import generate_network
from gisapp.sample.write import MARK

BENCH_KINDS = {
    "rivers": ("river", "河流(示例)"),
    "townships": ("township", "乡镇驻地(示例)"),
    "roads": ("road", "道路(示例)"),
    "bridges": ("bridge", "桥梁(示例)"),
    "villages": ("village", "行政村(示例)"),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m gisapp.sample",
        description=(
            "Write the Jingmen sample project (real layers plus generated ones) into "
            "OUT_DIR, or, with --villages and --segments, a synthetic benchmark set."
        ),
    )
    parser.add_argument(
        "out_dir", type=Path, help="folder to write into (made if missing)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="generator seed (2016 for the sample, 1 for benchmarks)",
    )
    parser.add_argument("--villages", type=int, help="benchmark: number of villages")
    parser.add_argument(
        "--segments", type=int, help="benchmark: number of road segments"
    )
    parser.add_argument("--real-dir", type=Path, help="folder of the real input files")
    args = parser.parse_args(argv)
    if (args.villages is None) != (args.segments is None):
        parser.error("--villages and --segments go together")
    return args


def write_benchmark(out_dir: Path, n_villages: int, n_segments: int, seed: int) -> Path:
    """Write a benchmark set as ``benchmark.gpkg`` plus ``project.toml``."""
    import pyogrio

    from gisapp.sample.write import _plain

    check_target(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    toml = out_dir / "project.toml"
    layers = generate_network(n_villages, n_segments, seed)
    gpkg = out_dir / "benchmark.gpkg"
    tmp = gpkg.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    for name, frame in layers.items():
        pyogrio.write_dataframe(_plain(frame), tmp, layer=name, driver="GPKG")
    tmp.replace(gpkg)
    lines = [
        f"{MARK} (benchmark, seed {seed}, {n_villages} villages, {n_segments} segments)",
        "",
        "[project]",
        f'title = "基准测试数据 {n_villages} 村 {n_segments} 路段"',
        'subtitle = "示例数据(程序生成)"',
        'rules = "jingmen-2016"',
    ]
    for name, (kind, label) in BENCH_KINDS.items():
        lines += [
            "",
            "[[layers]]",
            'path = "benchmark.gpkg"',
            f'layer = "{name}"',
            f'kind = "{kind}"',
            f'name = "{label}"',
        ]
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return toml


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("pyogrio").setLevel(logging.WARNING)
    start = time.perf_counter()
    try:
        if args.villages is not None:
            seed = 1 if args.seed is None else args.seed
            path = write_benchmark(args.out_dir, args.villages, args.segments, seed)
        else:
            seed = 2016 if args.seed is None else args.seed
            path = build_sample(args.out_dir, seed, args.real_dir)
    except (GisAppError, ValueError) as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    sys.stdout.write(f"{path} ({time.perf_counter() - start:.1f} s)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

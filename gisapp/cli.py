"""The command line: the app's jobs without a window.

``python main.py`` with no command opens the window on the sample project.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from gisapp import __version__
from gisapp.errors import GisAppError

log = logging.getLogger(__name__)

DESCRIPTION = """\
荆门市精准脱贫挂图作战 — desktop GIS for poor villages and their infrastructure.

With no command, the desktop window opens on the sample project (or on PROJECT).
PROJECT is a project.toml, a folder of layer files, or several layer files.
"""

EPILOG = """\
examples:
  python main.py                                   open the window on the sample project
  python main.py gui sample_data/jingmen/project.toml
  python main.py battlemap sample_data/jingmen/project.toml -o out
  python main.py inspect 村界.shp --json
  python main.py check ../shared/data/jingmen --json
  python main.py battlemap sample_data/jingmen/project.toml -o out --period 2017
  python main.py book sample_data/jingmen/project.toml -o out/乡镇图册.pdf
  python main.py poster sample_data/jingmen/project.toml -o out/拼贴.pdf --sheet A4
  python main.py changes sample_data/jingmen/project.toml --from 2015 --to 2016 -o out
  python main.py animate sample_data/jingmen/project.toml -o out/进度.gif
  python main.py webmap sample_data/jingmen/project.toml -o out/汇报.html --profile briefing
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gisapp",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gisapp {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log for the maintainer"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the desktop window (the default)")
    gui.add_argument("project", nargs="?", help="project to open (default: the sample)")

    bm = sub.add_parser(
        "battlemap",
        help="export the wall map PDF, the web map HTML and the gap list .xlsx",
        description="Export the three battle-map products of a project without a window.",
    )
    bm.add_argument("project", nargs="+", help="project.toml, a folder, or layer files")
    bm.add_argument(
        "-o", "--out", required=True, help="output folder (created if missing)"
    )
    bm.add_argument(
        "--page", default="A1", help="wall map page size: A0–A4 (default A1)"
    )
    bm.add_argument("--rules", help="rules file name or path (default: the project's)")
    bm.add_argument("--year", type=int, help="assess progress for this year")
    bm.add_argument("--period", help="show the project as it stood at this period")
    bm.add_argument(
        "--only",
        choices=("pdf", "html", "xlsx"),
        action="append",
        help="export only these products (repeatable)",
    )

    ins = sub.add_parser(
        "inspect",
        help="show what the app reads from a file",
        description="Format, layers, encoding, CRS (declared or assumed, and why), "
        "feature count, extent, fields and their mapping to a layer kind, warnings.",
    )
    ins.add_argument("file")
    ins.add_argument("--json", action="store_true", help="print JSON")
    ins.add_argument("--layer", help="only this layer of a multi-layer file")
    ins.add_argument("--encoding", help="read text with this encoding (e.g. gbk)")
    ins.add_argument("--crs", help="treat coordinates as this CRS (e.g. EPSG:4546)")

    chk = sub.add_parser(
        "check",
        help="flag the gaps against the targets, per village and per township",
        description="Run the gap checks of the rules file on a project.",
    )
    chk.add_argument(
        "project", nargs="+", help="project.toml, a folder, or layer files"
    )
    chk.add_argument("--json", action="store_true", help="print JSON")
    chk.add_argument("--rules", help="rules file name or path (default: the project's)")
    chk.add_argument("--year", type=int, help="assess progress for this year")
    chk.add_argument(
        "--all", action="store_true", help="list every village, not only poor ones"
    )
    chk.add_argument("--period", help="check the project as it stood at this period")

    web = sub.add_parser(
        "webmap", help="export a web map for briefings (one HTML file)"
    )
    _project_args(web)
    web.add_argument("-o", "--out", required=True, help="the .html file to write")
    web.add_argument(
        "--profile",
        choices=("internal", "briefing", "public"),
        default="internal",
        help="briefing and public mask names, ID and phone numbers",
    )
    web.add_argument("--basemap", help="online basemap: osm, gaode or tianditu:KEY")
    web.add_argument("--budget-mb", type=float, default=5.0, help="size budget (MB)")
    web.add_argument(
        "--periods", action="store_true", help="carry every period with a switch"
    )

    book = sub.add_parser("book", help="export a township (or county) book as one PDF")
    _project_args(book)
    book.add_argument("-o", "--out", required=True, help="the .pdf file to write")
    book.add_argument(
        "--level", choices=("township", "county", "village"), default="township"
    )
    book.add_argument("--page", default="A3", help="page size (default A3)")

    poster = sub.add_parser(
        "poster", help="split a wall map into A4 or A3 sheets to tape together"
    )
    _project_args(poster)
    poster.add_argument("-o", "--out", required=True, help="the .pdf file to write")
    poster.add_argument("--page", default="A0", help="wall map size (default A0)")
    poster.add_argument("--sheet", default="A4", help="office paper: A4 or A3")
    poster.add_argument("--overlap", type=float, default=10.0, help="overlap in mm")

    chg = sub.add_parser(
        "changes", help="map and list what changed between two periods"
    )
    chg.add_argument(
        "project", nargs="+", help="project.toml, a folder, or layer files"
    )
    chg.add_argument("--rules", help="rules file name or path (default: the project's)")
    chg.add_argument("--from", dest="before", required=True, help="earlier period")
    chg.add_argument("--to", dest="after", required=True, help="later period")
    chg.add_argument("-o", "--out", required=True, help="output folder")
    chg.add_argument("--page", default="A1", help="change map page size (default A1)")

    anim = sub.add_parser(
        "animate", help="the periods as an animated GIF or PNG frames"
    )
    anim.add_argument(
        "project", nargs="+", help="project.toml, a folder, or layer files"
    )
    anim.add_argument(
        "--rules", help="rules file name or path (default: the project's)"
    )
    anim.add_argument("-o", "--out", required=True, help="a .gif file, or a folder")
    return parser


def _project_args(parser) -> None:
    parser.add_argument(
        "project", nargs="+", help="project.toml, a folder, or layer files"
    )
    parser.add_argument(
        "--rules", help="rules file name or path (default: the project's)"
    )
    parser.add_argument("--year", type=int, help="assess progress for this year")
    parser.add_argument("--period", help="show the project as it stood at this period")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in (*COMMAND_FUNCTIONS, "gui") and argv[0][:1] != "-"):
        argv = ["gui", *argv]
    parser = build_parser()
    args = parser.parse_args(argv)
    # Logs are for the maintainer (-v); the user reads the messages printed below.
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.captureWarnings(True)
    _utf8_stdout()
    try:
        if args.command == "gui":
            from gisapp.ui.app import run

            return run(args.project)
        return COMMAND_FUNCTIONS[args.command](args)
    except GisAppError as exc:
        print(f"错误/error: {exc.message()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except Exception as exc:  # the one place unexpected failures become one line
        # With -v the log above the line holds the traceback for the maintainer.
        log.debug("unexpected failure", exc_info=True)
        ask = (
            "send the lines above to the maintainer"
            if args.verbose
            else "run again with -v for the details to send to the maintainer"
        )
        print(
            f"内部错误/internal error: {type(exc).__name__}: {exc} ({ask})",
            file=sys.stderr,
        )
        return 3


def _utf8_stdout() -> None:
    """Chinese Windows consoles default to GBK; say UTF-8 explicitly."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def _project_arg(items: list[str]):
    from gisapp.model.project import load_project

    return load_project(items[0] if len(items) == 1 else items)


def cmd_inspect(args) -> int:
    from gisapp.data.inspect import inspect_file

    result = inspect_file(
        args.file, layer=args.layer, encoding=args.encoding, crs=args.crs
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        print(format_inspection(result))
    return 0


def format_inspection(result: dict) -> str:
    lines = [f"文件/file: {result['path']}  ({result['format']})"]
    for lyr in result["layers"]:
        lines.append("")
        lines.append(f"图层/layer: {lyr['layer'] or '(single layer)'}")
        lines.append(f"  要素数/features: {lyr['feature_count']}")
        lines.append(f"  几何/geometry: {lyr['geometry_type'] or 'none (table)'}")
        lines.append(f"  编码/encoding: {lyr['encoding']} — {lyr['encoding_how']}")
        state = (
            "declared"
            if lyr["crs_declared"]
            else "set by the user"
            if str(lyr["crs_how"]).startswith("chosen")
            else "assumed"
        )
        lines.append(f"  坐标系/CRS: {lyr['crs']} ({state}) — {lyr['crs_how']}")
        if lyr.get("extent"):
            lines.append(
                "  范围/extent (EPSG:4490): "
                + ", ".join(f"{v:.5f}" for v in lyr["extent"])
            )
        lines.append(f"  图层类型/kind: {lyr['kind'] or 'unknown'} — {lyr['kind_how']}")
        for col in lyr["columns"]:
            target = lyr["mapping"].get(col)
            lines.append(
                f"    {col} → {target}" if target else f"    {col} (kept as is)"
            )
        for warning in lyr["warnings"]:
            lines.append(f"  ! {warning}")
    return "\n".join(lines)


@contextmanager
def _analysed(args):
    """The project with its gap report on its layers, at ``--period`` when given."""
    from gisapp.analysis import analyse, load_rules

    project = _project_arg(args.project)
    rules = load_rules(args.rules or project.rules)
    period = getattr(args, "period", None)
    if not period and project.history.periods:
        # The maps, lists and web map all show one period: the one standing for
        # --year, else the layers as loaded (the first period), as the window does.
        year = getattr(args, "year", None)
        chosen = project.history.for_year(year) if year else project.history.periods[0]
        period = args.period = chosen.name
    if period:
        from gisapp.export.periods import period_view

        with period_view(project, period, rules) as report:
            yield project, report
        return
    report = analyse(project, rules, year=getattr(args, "year", None))
    report.annotate(project)
    yield project, report


def cmd_check(args) -> int:
    from gisapp.errors import ProjectError

    with _analysed(args) as (project, report):
        if not project.layers_of("village"):
            raise ProjectError(
                "the project has no village layer, so no village can be checked",
                value="; ".join(project.messages[:2]) or None,
                fix="add the villages' points (a layer, or a 台账 with 经度/纬度)",
            )
        return _print_check(args, project, report)


TOWNSHIP_SUMMARY = {
    "name": "乡镇",
    "county": "县市区",
    "poor_villages": "贫困村",
    "n_red": "差距大",
    "n_yellow": "有差距",
    "n_green": "达标",
    "exited_villages": "已出列",
    "not_hardened_villages": "未通硬化路",
    "people_without_water": "饮水未覆盖(人)",
    "gap_status": "状态",
}
STATUS_WORDS = {"red": "差距大", "yellow": "有差距", "green": "达标", "none": "—"}


def _print_check(args, project, report) -> int:
    villages = report.villages
    if not args.all:
        villages = villages[villages["is_poor"].fillna(False).astype(bool)]
    if args.json:
        payload = {
            "rules": report.rules_name,
            "period": getattr(args, "period", None),
            "messages": project.messages,
            "villages": json.loads(
                villages.to_json(orient="records", force_ascii=False)
            ),
            "townships": json.loads(
                report.townships.to_json(orient="records", force_ascii=False)
            ),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    for message in project.messages:
        print(f"! {message}")
    if villages.empty and not args.all:
        print(
            "! 没有标为贫困村的村/no village is marked poor: the 贫困村 (is_poor) "
            "column is missing or empty; add it, or join the 贫困村台账 by 村代码"
        )
    print(f"规则/rules: {report.rules_name}")
    if getattr(args, "period", None):
        print(f"时期/period: {args.period}")
    towns = report.townships
    towns = towns[towns["poor_villages"] > 0] if "poor_villages" in towns else towns
    print()
    print(_table(towns, TOWNSHIP_SUMMARY))
    print()
    print("村代码         村名      乡镇      状态    差距说明")
    for row in villages.itertuples(index=False):
        reason = str(getattr(row, "gap_reason", "") or "")
        print(
            f"{row.code:<14} {_pad(row.name, 9)} {_pad(row.township, 9)} "
            f"{_pad(STATUS_WORDS.get(row.gap_status, ''), 7)} {reason}"
        )
    return 0


def _pad(text, width: int) -> str:
    """Left-align text whose Chinese characters take two columns each."""
    text = "" if text is None else str(text)
    used = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(width - used, 0)


def _table(frame, columns: dict[str, str]) -> str:
    """A frame as plain text with Chinese headings."""
    shown = frame[[c for c in columns if c in frame]].copy()
    if shown.empty:
        return "(无/none)"
    if "gap_status" in shown:
        shown["gap_status"] = shown["gap_status"].map(STATUS_WORDS)
    return shown.rename(columns=columns).to_string(index=False, na_rep="—")


def battlemap_targets(out: Path, page: str, wanted) -> dict[str, Path]:
    """The files one battlemap run writes, by product."""
    names = {
        "pdf": f"作战图_{page.upper()}.pdf",
        "html": "作战图_网页版.html",
        "xlsx": "贫困村差距清单.xlsx",
    }
    return {key: out / name for key, name in names.items() if key in wanted}


def cmd_battlemap(args) -> int:
    from gisapp.export.safety import (
        check_output_folder,
        project_inputs,
        written_together,
    )

    out = Path(args.out)
    check_output_folder(out)
    wanted = set(args.only or ("pdf", "html", "xlsx"))
    t0 = time.perf_counter()
    with _analysed(args) as (project, report):
        targets = battlemap_targets(out, args.page, wanted)
        # All three products or none: a failed run leaves no half of the set,
        # and none is written over a file the project was read from.
        with written_together(targets, project_inputs(project)) as staged:
            timings = _battlemap(args, project, report, t0, staged)
    for message in project.messages:
        print(f"! {message}")
    if args.period:
        print(f"时期/period: {args.period}")
    for path in targets.values():
        print(path)
    print(f"完成/done in {time.perf_counter() - t0:.1f}s ({', '.join(timings)})")
    return 0


def _battlemap(args, project, report, t0, targets: dict[str, Path]) -> list[str]:
    """Write the products to ``targets``; how long each step took."""
    from gisapp.export.tables import export_tables

    timings = [f"load+check {time.perf_counter() - t0:.1f}s"]
    if "pdf" in targets:
        from gisapp.export.wallmap import export_wallmap

        t = time.perf_counter()
        export_wallmap(project, targets["pdf"], page=args.page.upper(), report=report)
        timings.append(f"wall map {time.perf_counter() - t:.1f}s")
    if "html" in targets:
        from gisapp.export.webmap import export_webmap

        t = time.perf_counter()
        periods = True if project.history.periods else None
        export_webmap(
            project, targets["html"], report=report, periods=periods, period=args.period
        )
        timings.append(f"web map {time.perf_counter() - t:.1f}s")
    if "xlsx" in targets:
        t = time.perf_counter()
        export_tables(report, targets["xlsx"], project)
        timings.append(f"lists {time.perf_counter() - t:.1f}s")
    return timings


def cmd_webmap(args) -> int:
    from gisapp.export.webmap import export_webmap

    with _analysed(args) as (project, report):
        path = export_webmap(
            project,
            Path(args.out),
            report=report,
            profile=args.profile,
            basemap=args.basemap,
            budget_mb=args.budget_mb,
            periods=True if args.periods else None,
            period=args.period,
        )
    print(path)
    return 0


def cmd_book(args) -> int:
    from gisapp.export.book import export_book

    layout = {"county": "county", "village": "village"}.get(args.level, "township")
    with _analysed(args) as (project, report):
        result = export_book(
            project,
            Path(args.out),
            report,
            layout=layout,
            page=args.page,
            level=args.level,
        )
    print(getattr(result, "path", args.out))
    return 0


def cmd_poster(args) -> int:
    from gisapp.export.poster import export_poster

    with _analysed(args) as (project, report):
        result = export_poster(
            project,
            Path(args.out),
            page=args.page,
            sheet=args.sheet,
            overlap_mm=args.overlap,
            report=report,
        )
    print(getattr(result, "path", args.out))
    return 0


def cmd_changes(args) -> int:
    from gisapp.analysis import load_rules
    from gisapp.export.safety import check_output_folder, written_together
    from gisapp.export.tables import project_inputs, sample_note, write_sheets
    from gisapp.export.timeline import change_table, export_change_map

    out = Path(args.out)
    check_output_folder(out)
    project = _project_arg(args.project)
    rules = load_rules(args.rules or project.rules)
    stem = f"变化_{args.before}-{args.after}"
    targets = {"pdf": out / f"{stem}.pdf", "xlsx": out / f"{stem}.xlsx"}
    # the map and its list together or not at all
    with written_together(targets, project_inputs(project)) as staged:
        export_change_map(
            project, args.before, args.after, staged["pdf"], page=args.page, rules=rules
        )
        table = change_table(project, args.before, args.after)
        write_sheets(
            {"变化清单": table},
            staged["xlsx"],
            project_inputs(project),
            note=sample_note(None, project),
        )
    for target in targets.values():
        print(target)
    return 0


def cmd_animate(args) -> int:
    from gisapp.analysis import load_rules
    from gisapp.export.timeline import export_animation

    project = _project_arg(args.project)
    rules = load_rules(args.rules or project.rules)
    print(export_animation(project, Path(args.out), rules=rules))
    return 0


COMMAND_FUNCTIONS = {
    "battlemap": cmd_battlemap,
    "inspect": cmd_inspect,
    "check": cmd_check,
    "webmap": cmd_webmap,
    "book": cmd_book,
    "poster": cmd_poster,
    "changes": cmd_changes,
    "animate": cmd_animate,
}

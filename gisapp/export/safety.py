"""Exports never write over a file the project was read from, and a failed export
leaves nothing behind."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gisapp.errors import ExportError

log = logging.getLogger(__name__)


def project_inputs(project) -> list[Path]:
    """Every file a project was read from, including those that failed to load."""
    paths = [lyr.info.path for lyr in project.layers] + list(project.sources)
    if project.path is not None:
        paths.append(project.path)
    return paths


def guard_output(out_path, inputs=()) -> None:
    """Refuse an output path that is one of ``inputs``."""
    target = Path(out_path).resolve()
    for item in inputs:
        if Path(item).resolve() == target:
            raise ExportError(
                "the output would overwrite an input file",
                path=out_path,
                value=str(target),
                fix="choose another output folder or file name",
            )


def guard_project_output(project, out_path) -> None:
    """Refuse to write an export over any file of ``project``."""
    guard_output(out_path, project_inputs(project))


def check_output_folder(folder) -> list[Path]:
    """The folders that exporting into ``folder`` would create, deepest first.

    Raises
    ------
    ExportError
        When the path, or a folder above it, is a file.
    """
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    if not probe.is_dir():
        raise ExportError(
            "the output folder is a file"
            if probe == folder
            else "a folder on the output path is a file",
            path=probe,
            value=str(probe.absolute()),
            fix="name a folder for the outputs (a missing one is created), not a file",
        )
    return missing


def make_output_folder(folder) -> list[Path]:
    """Create ``folder`` (and its parents) for exports; the folders it created.

    Raises
    ------
    ExportError
        When the path, or a folder above it, is a file, or cannot be created.
    """
    folder = Path(folder)
    missing = check_output_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            f"the output folder cannot be created ({exc.strerror or exc})",
            path=folder,
            value=str(folder.absolute()),
            fix="choose a folder you may write to",
        ) from exc
    return missing


@contextmanager
def written_together(targets: dict[str, Path], inputs=()) -> Iterator[dict[str, Path]]:
    """Where to write ``targets`` so that they appear together or not at all.

    A target that is one of ``inputs`` (a file the project was read from) is
    refused before anything is written.

    The block writes each file into a hidden folder beside its target; when the
    block ends, the files are moved over their targets. When it fails, nothing
    written is kept and the output folders this created are removed, so no earlier
    file is changed and no half of a set is left behind.
    """
    for target in targets.values():
        guard_output(target, inputs)
    created = []
    for folder in dict.fromkeys(t.parent for t in targets.values()):
        created += make_output_folder(folder)
    staging: dict[Path, Path] = {}
    try:
        for folder in dict.fromkeys(t.parent for t in targets.values()):
            staging[folder] = Path(tempfile.mkdtemp(prefix=".写入中-", dir=folder))
        yield {key: staging[t.parent] / t.name for key, t in targets.items()}
        _swap_in([(staging[t.parent], t) for t in targets.values()])
    except BaseException:
        _remove(staging.values(), created)
        raise
    _remove(staging.values(), [])


def _swap_in(moves: list[tuple[Path, Path]]) -> None:
    """Move each staged file (named as its target, in its staging folder) over its
    target; an earlier file is first moved aside, and put back if any move fails."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for staging, target in moves:
            earlier = None
            if target.exists():
                earlier = staging / f".earlier-{target.name}"
                os.replace(target, earlier)
            done.append((target, earlier))
            os.replace(staging / target.name, target)
    except OSError as exc:
        for moved, earlier in reversed(done):
            if earlier is not None:
                os.replace(earlier, moved)
            else:
                moved.unlink(missing_ok=True)
        raise ExportError(
            f"the earlier file cannot be replaced ({exc.strerror or exc})",
            path=target,
            value=str(target.absolute()),
            fix="close it in the program that has it open (PDF reader, Excel, "
            "browser) and export again; the earlier files are kept",
        ) from exc


def _remove(staging, created: list[Path]) -> None:
    """Remove the staging folders, then the created folders that are left empty."""
    for folder in staging:
        shutil.rmtree(folder, ignore_errors=True)
    for folder in created:  # the deepest first
        try:
            folder.rmdir()
        except OSError:
            log.debug("output folder %s kept: not empty", folder)

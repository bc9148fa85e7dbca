"""Exports never write over a file the project was read from."""

from __future__ import annotations

from pathlib import Path

from gisapp.errors import ExportError


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

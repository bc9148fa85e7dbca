"""Reading the app's TOML files (projects, rules, layouts, kinds, styles)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from gisapp.errors import GisAppError


def read_toml(path: Path, what: str, error: type[GisAppError] = GisAppError) -> dict:
    """The contents of a TOML file; ``error`` naming the line when it is not valid.

    ``what`` names the file for the user, e.g. "the rules file".
    """
    try:
        with Path(path).open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise error(
            f"{what} is not valid TOML ({exc})",
            path=path,
            fix="correct the line named (a copy of the file as shipped shows the form)",
        ) from exc

"""Typed errors a planning officer can act on.

Every error names what failed, the offending value and the fix. The GUI and the
CLI show them in one place; the core never swallows them.
"""

from __future__ import annotations

from pathlib import Path


class GisAppError(Exception):
    """Base of every error the application reports to its user."""

    def __init__(self, problem: str, *, path=None, value=None, fix: str = ""):
        self.problem = problem
        self.path = Path(path) if path is not None else None
        self.value = value
        self.fix = fix
        super().__init__(self.message())

    def message(self) -> str:
        """One line: file, problem, value, fix."""
        parts = []
        if self.path is not None:
            parts.append(f"{self.path.name}: ")
        parts.append(self.problem)
        if self.value is not None:
            parts.append(f" (值/value: {self.value!r})")
        if self.fix:
            parts.append(f"; 处理办法/fix: {self.fix}")
        return "".join(parts)


class ReadError(GisAppError):
    """A file cannot be read at all; the project stays as it was."""


class CoordinateError(GisAppError):
    """Coordinates cannot be placed on the earth."""


class ProjectError(GisAppError):
    """A project file or folder is not usable."""


class RulesError(GisAppError):
    """A rules file is missing a number or has a wrong one."""


class ExportError(GisAppError):
    """An export cannot be written; nothing of the user's was overwritten."""

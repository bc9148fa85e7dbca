"""What the application knows about where a layer came from and how it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SourceInfo:
    """How a layer was read: the facts shown by ``inspect`` and in 图层属性."""

    path: Path
    format: str
    layer: str | None = None
    encoding: str | None = None
    encoding_how: str = ""
    encoding_alternatives: list[str] = field(default_factory=list)
    crs: str | None = None
    crs_declared: bool = True
    crs_how: str = ""
    crs_candidates: list[dict] = field(default_factory=list)
    origin: str | None = None
    feature_count: int = 0
    geometry_type: str | None = None
    columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    kind: str | None = None
    kind_how: str = ""
    warnings: list[str] = field(default_factory=list)
    credit: str = ""
    row_issues: list[tuple[str, str]] = field(default_factory=list)
    geometry_issues: list[dict] = field(default_factory=list)
    row_base: int = 2

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "format": self.format,
            "layer": self.layer,
            "encoding": self.encoding,
            "encoding_how": self.encoding_how,
            "encoding_alternatives": list(self.encoding_alternatives),
            "crs": self.crs,
            "crs_declared": self.crs_declared,
            "crs_how": self.crs_how,
            "crs_candidates": list(self.crs_candidates),
            "origin": self.origin,
            "feature_count": self.feature_count,
            "geometry_type": self.geometry_type,
            "columns": list(self.columns),
            "mapping": dict(self.mapping),
            "kind": self.kind,
            "kind_how": self.kind_how,
            "warnings": list(self.warnings),
            "credit": self.credit,
            "row_issues": [list(r) for r in self.row_issues],
            "geometry_issues": list(self.geometry_issues),
        }

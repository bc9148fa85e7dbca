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
    crs: str | None = None
    crs_declared: bool = True
    crs_how: str = ""
    feature_count: int = 0
    geometry_type: str | None = None
    columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    kind: str | None = None
    kind_how: str = ""
    warnings: list[str] = field(default_factory=list)

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
            "crs": self.crs,
            "crs_declared": self.crs_declared,
            "crs_how": self.crs_how,
            "feature_count": self.feature_count,
            "geometry_type": self.geometry_type,
            "columns": list(self.columns),
            "mapping": dict(self.mapping),
            "kind": self.kind,
            "kind_how": self.kind_how,
            "warnings": list(self.warnings),
        }

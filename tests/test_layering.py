"""The core imports no Qt; render and export import no QtWidgets."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "gisapp"
CORE = ["data", "model", "analysis", "sample"]
QT = ("PyQt6", "PySide6", "PyQt5", "qtpy")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((PKG / package).rglob("*.py"))


@pytest.mark.parametrize("package", CORE)
def test_core_source_names_no_qt(package):
    for path in _modules(package):
        bad = [n for n in _imports(path) if n.split(".")[0] in QT]
        assert not bad, f"{path.relative_to(PKG)} imports {bad}"


@pytest.mark.parametrize("package", ["render", "export"])
def test_render_and_export_use_no_widgets(package):
    for path in _modules(package):
        bad = [n for n in _imports(path) if "QtWidgets" in n]
        assert not bad, f"{path.relative_to(PKG)} imports {bad}"


def test_importing_the_core_loads_no_qt():
    code = (
        "import sys, importlib, pkgutil, gisapp\n"
        "for pkg in ('data', 'model', 'analysis', 'sample'):\n"
        "    try:\n"
        "        mod = importlib.import_module('gisapp.' + pkg)\n"
        "    except ModuleNotFoundError:\n"
        "        continue\n"
        "    for info in pkgutil.walk_packages(mod.__path__, mod.__name__ + '.'):\n"
        "        if info.name.endswith('__main__'):\n"
        "            continue\n"
        "        importlib.import_module(info.name)\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('PyQt6', 'PySide6')]\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"Qt loaded by the core: {out.stdout}"

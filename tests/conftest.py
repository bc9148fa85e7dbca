"""Shared fixtures: where the shared real data and cases live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_path() -> Path:
    """The shared folder beside the repository (override with GISAPP_SHARED)."""
    env = os.environ.get("GISAPP_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = shared_path()
    if not path.exists():
        pytest.skip(f"shared data folder not found at {path}; set GISAPP_SHARED")
    return path


@pytest.fixture(scope="session")
def jingmen_dir(shared_dir) -> Path:
    return shared_dir / "data" / "jingmen"


@pytest.fixture(scope="session")
def cases_dir(shared_dir) -> Path:
    return shared_dir / "cases"


@pytest.fixture(autouse=True)
def no_user_folders(tmp_path_factory, monkeypatch):
    """Remembered column mappings and app data go to a folder of the test run,
    never into the user's own configuration."""
    if "GISAPP_CONFIG_DIR" not in os.environ:
        monkeypatch.setenv("GISAPP_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    if "GISAPP_DATA_DIR" not in os.environ:
        monkeypatch.setenv("GISAPP_DATA_DIR", str(tmp_path_factory.mktemp("appdata")))

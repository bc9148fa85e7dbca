"""Fixtures for rendering tests: an offscreen Qt application and a tiny project."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from printfixtures import build_tiny_project

from gisapp.model.project import Project


@pytest.fixture(scope="session", autouse=True)
def qt_app():
    from gisapp.render.fonts import ensure_app

    return ensure_app()


@pytest.fixture
def tiny_project() -> Project:
    return build_tiny_project()

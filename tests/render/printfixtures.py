"""Tiny projects and a report-shaped table for the printing tests."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import geopandas as gpd
from shapely.geometry import LineString, Point, Polygon

from gisapp.data.source import SourceInfo
from gisapp.model.kinds import get_kind
from gisapp.model.layer import GENERATED_SOURCE, Layer
from gisapp.model.project import Project


def make_layer(kind: str, rows: list[dict], name: str | None = None) -> Layer:
    """A layer of ``kind`` from dicts with a ``geometry`` key, in EPSG:4490."""
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4490")
    info = SourceInfo(path=Path(__file__), format="test")
    return Layer(name=name or kind, kind=get_kind(kind), frame=frame, info=info)


def build_tiny_project() -> Project:
    """Two townships, one county, a road of each surface, poor and other villages."""
    county = Polygon([(112.0, 30.8), (112.4, 30.8), (112.4, 31.1), (112.0, 31.1)])
    villages = [
        {
            "code": f"42080{i:07d}",
            "name": f"测试{i}村",
            "township": "甲镇" if i < 4 else "乙镇",
            "is_poor": i % 2 == 0,
            "gap_status": ["red", "none", "yellow", "none", "green", "none"][i],
            "exit_year": [None, None, 2016, None, 2017, None][i],
            "exited": i in (2, 4),
            "responsible_unit": [
                "市交通局",
                None,
                "市水利局",
                None,
                "市供电公司",
                None,
            ][i],
            "poor_households": 10 * (i + 1),
            "poor_people": 25 * (i + 1),
            "source": GENERATED_SOURCE,
            "geometry": Point(112.05 + 0.05 * i, 30.9 + 0.02 * i),
        }
        for i in range(6)
    ]
    roads = [
        {
            "name": "县道",
            "surface": "asphalt",
            "geometry": LineString([(112.02, 30.85), (112.38, 31.05)]),
        },
        {
            "name": "村道",
            "surface": "gravel",
            "geometry": LineString([(112.1, 30.82), (112.1, 31.08)]),
        },
    ]
    townships = [
        {"name": "甲镇", "code": "420800001", "geometry": Point(112.1, 30.95)},
        {"name": "乙镇", "code": "420800002", "geometry": Point(112.3, 31.0)},
    ]
    project = Project(title="测试作战图")
    project.add(
        make_layer("county", [{"name": "测试县", "code": "420801", "geometry": county}])
    )
    project.add(make_layer("road", roads))
    project.add(make_layer("township", townships))
    project.add(make_layer("village", villages))
    return project


def report_of(project: Project):
    """A gap report as the analysis contract gives it: ``villages`` and ``rules``.

    The statuses are those written on the tiny project's villages; the plan is
    the default rules file's.
    """
    from types import SimpleNamespace

    import pandas as pd

    from gisapp.analysis.rules import load_rules

    villages = pd.DataFrame(project.frame_of("village").drop(columns="geometry"))
    villages["gap_reason"] = villages["gap_status"].map(
        {
            "red": "未通硬化路;饮水不安全",
            "yellow": "危房未改造",
            "green": "",
            "none": "",
        }
    )
    return SimpleNamespace(villages=villages, rules=load_rules(None))

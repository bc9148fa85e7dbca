"""Gap checks against the targets of the decision (no Qt).

``analyse(project)`` reads the project's layers and a rules file
(``load_rules``) and returns a ``GapReport``: one table per level, one card per
village, and the road network's dead ends, repairs and dangerous bridges.
"""

from gisapp.analysis.engine import analyse
from gisapp.analysis.report import GapReport
from gisapp.analysis.rules import Rules, load_rules

__all__ = ["GapReport", "Rules", "analyse", "load_rules"]

"""One map renderer for screen and paper (QtGui only).

``MapView`` holds centre, scale and device size; ``MapRenderer(project).render``
draws a project into any ``QPainter``; ``fonts`` finds Chinese fonts and checks
that every character can be printed.
"""

from gisapp.render.painter import Hit, LabelPlan, MapRenderer, RenderResult
from gisapp.render.view import MapView, mm_to_px

__all__ = ["Hit", "LabelPlan", "MapRenderer", "MapView", "RenderResult", "mm_to_px"]

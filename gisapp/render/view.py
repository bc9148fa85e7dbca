"""Where the map is looked at: centre, scale and size of a drawing surface.

Coordinates on the map are metres in the project's metric CRS
(:attr:`gisapp.model.project.Project.metric_crs`); device coordinates are pixels
of the surface drawn on, x to the right and y downwards. The same view serves the
screen (96 dpi pixels) and paper (pixels of a printer or PDF device at its dpi).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class MapView:
    """A map centre and scale on a device of a given size.

    Parameters
    ----------
    cx, cy : float
        Centre of the view in metres of the project's metric CRS.
    scale : float
        Metres on the ground per device pixel.
    width, height : int
        Size of the device area in pixels.
    """

    cx: float
    cy: float
    scale: float
    width: int
    height: int

    @classmethod
    def fit(
        cls, bounds_metric, width_px: int, height_px: int, margin: float = 0.03
    ) -> MapView:
        """The view that shows ``bounds_metric`` whole in a device area.

        Parameters
        ----------
        bounds_metric : tuple of float
            (minx, miny, maxx, maxy) in metres.
        width_px, height_px : int
            Device area.
        margin : float
            Share of the area kept free on each side.
        """
        minx, miny, maxx, maxy = (float(v) for v in bounds_metric)
        w = max(maxx - minx, 1.0)
        h = max(maxy - miny, 1.0)
        usable_w = max(width_px * (1 - 2 * margin), 1.0)
        usable_h = max(height_px * (1 - 2 * margin), 1.0)
        scale = max(w / usable_w, h / usable_h)
        return cls(
            (minx + maxx) / 2, (miny + maxy) / 2, scale, int(width_px), int(height_px)
        )

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) in metres of what the view shows."""
        hw = self.width * self.scale / 2
        hh = self.height * self.scale / 2
        return (self.cx - hw, self.cy - hh, self.cx + hw, self.cy + hh)

    def to_device(self, x, y):
        """Map metres to device pixels (scalars or numpy arrays)."""
        px = (np.asarray(x, dtype=float) - self.cx) / self.scale + self.width / 2
        py = self.height / 2 - (np.asarray(y, dtype=float) - self.cy) / self.scale
        return px, py

    def to_map(self, px, py):
        """Device pixels to metres (scalars or numpy arrays)."""
        x = self.cx + (np.asarray(px, dtype=float) - self.width / 2) * self.scale
        y = self.cy - (np.asarray(py, dtype=float) - self.height / 2) * self.scale
        return x, y

    def scale_denominator(self, dpi: float) -> float:
        """The 1:N scale of the view on a device of ``dpi`` dots per inch."""
        return self.scale * dpi / (MM_PER_INCH / 1000)

    def with_scale_denominator(self, denominator: float, dpi: float) -> MapView:
        """The same centre at a printed scale of 1:``denominator``."""
        return replace(self, scale=denominator * (MM_PER_INCH / 1000) / dpi)

    def zoomed(
        self, factor: float, anchor_px: tuple[float, float] | None = None
    ) -> MapView:
        """Zoom in by ``factor`` (>1 closer), keeping ``anchor_px`` fixed on screen."""
        if factor <= 0:
            raise ValueError(f"zoom factor must be positive, got {factor}")
        if anchor_px is None:
            return replace(self, scale=self.scale / factor)
        ax, ay = anchor_px
        mx, my = self.to_map(ax, ay)
        scale = self.scale / factor
        cx = float(mx) - (ax - self.width / 2) * scale
        cy = float(my) + (ay - self.height / 2) * scale
        return replace(self, cx=cx, cy=cy, scale=scale)

    def panned(self, dx_px: float, dy_px: float) -> MapView:
        """Move the map content by (dx, dy) device pixels, as a drag does."""
        return replace(
            self, cx=self.cx - dx_px * self.scale, cy=self.cy + dy_px * self.scale
        )

    def resized(self, width_px: int, height_px: int) -> MapView:
        """The same centre and scale on a device of another size."""
        return replace(self, width=int(width_px), height=int(height_px))

    def on_device(self, width_px: int, height_px: int) -> MapView:
        """The same ground area on a device of another pixel size (e.g. higher dpi)."""
        factor = self.width / max(width_px, 1)
        return replace(
            self, scale=self.scale * factor, width=int(width_px), height=int(height_px)
        )

    def sub_view(self, x0: int, y0: int, width: int, height: int) -> MapView:
        """The part of this view under the device rectangle (x0, y0, width, height)."""
        cx, cy = self.to_map(x0 + width / 2, y0 + height / 2)
        return MapView(float(cx), float(cy), self.scale, int(width), int(height))


def mm_to_px(mm: float, dpi: float) -> float:
    """Millimetres on paper to device pixels at ``dpi``."""
    return mm * dpi / MM_PER_INCH

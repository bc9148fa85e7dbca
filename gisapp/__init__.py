"""荆门市精准脱贫挂图作战: a desktop GIS for poor villages and their infrastructure."""

__version__ = "0.1.0"

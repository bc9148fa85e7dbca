"""The deterministic generator of the Jingmen sample project and of benchmark sets.

``build_sample`` writes the sample project (real layers plus generated ones, every
generated feature marked); ``generate_network`` makes large synthetic sets fast.
"""

from gisapp.sample.build import build_sample, generate_sample
from gisapp.sample.network import generate_network

__all__ = ["build_sample", "generate_network", "generate_sample"]

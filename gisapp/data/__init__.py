"""Reading and writing vector files and tables (no Qt).

``readers.read_source`` opens any supported file; ``preview.preview`` is what the
import dialog shows; ``writers.write_layer`` writes. Detection lives in
``encoding`` (text), ``crs`` (coordinate systems), ``webcrs`` (GCJ-02/BD-09),
``dms`` and ``tables`` (coordinates typed by people), ``kml`` and ``gpx``;
``geometry`` checks and repairs, ``join`` matches tables to villages,
``chainage`` places road records by 桩号, ``mappings`` remembers field mappings.
"""

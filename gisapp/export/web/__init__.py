"""The parts of the briefing web map: values, geometry, profiles, basemaps, assets."""

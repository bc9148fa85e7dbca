"""Read a layer's declared CRS, or infer candidates from its coordinate ranges.

Storage is CGCS2000 geographic (EPSG:4490). Office files arrive in CGCS2000 or WGS84
degrees, or in Gauss-Krüger metres: 3° or 6° zones, with or without the zone number
written in front of the easting, sometimes northing first as surveyors write them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import CRS

STORAGE_CRS = CRS.from_epsg(4490)

# China's extent in degrees, generously.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)
# Northings (metres from the equator) that fall inside China.
CHINA_NORTHING = (300_000.0, 6_000_000.0)


@dataclass(frozen=True)
class CrsGuess:
    """One candidate CRS for coordinates with no declaration."""

    epsg: int
    reason: str
    swap_xy: bool = False
    score: float = 0.0

    @property
    def crs(self) -> CRS:
        return CRS.from_epsg(self.epsg)

    @property
    def label(self) -> str:
        return f"EPSG:{self.epsg} {self.crs.name}"


def gk3_epsg(central_meridian: int, prefixed: bool) -> int:
    """EPSG code of a CGCS2000 3° Gauss-Krüger zone."""
    zone = central_meridian // 3
    return (4513 + zone - 25) if prefixed else (4534 + (central_meridian - 75) // 3)


def gk6_epsg(central_meridian: int, prefixed: bool) -> int:
    """EPSG code of a CGCS2000 6° Gauss-Krüger zone."""
    zone = (central_meridian + 3) // 6
    return (4491 + zone - 13) if prefixed else (4502 + (central_meridian - 75) // 6)


def _inside(lo_hi, bounds_lo, bounds_hi) -> bool:
    return lo_hi[0] <= bounds_lo and bounds_hi <= lo_hi[1]


def _nearest_cm(lon: float, width: int) -> int:
    if width == 3:
        return int(round(lon / 3.0) * 3)
    return int(math.floor(lon / 6.0) * 6 + 3)


def infer_candidates(bounds, near_lon: float | None = None) -> list[CrsGuess]:
    """Candidate CRSs for undeclared coordinates, best first.

    ``bounds`` is (minx, miny, maxx, maxy) in the file's units; ``near_lon`` is the
    longitude of the project's area, used to choose the zone of plain GK eastings.
    """
    minx, miny, maxx, maxy = bounds
    if not all(math.isfinite(v) for v in bounds):
        return []
    out: list[CrsGuess] = []
    if _inside(CHINA_LON, minx, maxx) and _inside(CHINA_LAT, miny, maxy):
        out.append(CrsGuess(4490, "coordinates are degrees inside China", score=1.0))
        return out
    if _inside(CHINA_LAT, minx, maxx) and _inside(CHINA_LON, miny, maxy):
        out.append(
            CrsGuess(
                4490,
                "coordinates are degrees with latitude and longitude swapped",
                swap_xy=True,
                score=0.9,
            )
        )
        return out
    for swap in (False, True):
        e_lo, e_hi = (miny, maxy) if swap else (minx, maxx)
        n_lo, n_hi = (minx, maxx) if swap else (miny, maxy)
        if not _inside(CHINA_NORTHING, n_lo, n_hi):
            continue
        order = "northing first (X=北, Y=东)" if swap else "easting first"
        zone_prefix = int(e_lo // 1_000_000)
        if zone_prefix == int(e_hi // 1_000_000) and 13 <= zone_prefix <= 45:
            rest_lo, rest_hi = e_lo % 1_000_000, e_hi % 1_000_000
            if 0 < rest_lo and rest_hi < 1_000_000:
                if 25 <= zone_prefix <= 45:
                    cm = zone_prefix * 3
                    out.append(
                        CrsGuess(
                            gk3_epsg(cm, True),
                            f"eastings start with zone number {zone_prefix}: "
                            f"3° Gauss-Krüger zone {zone_prefix} (CM {cm}°E), {order}",
                            swap_xy=swap,
                            score=0.95 - 0.1 * swap,
                        )
                    )
                if 13 <= zone_prefix <= 23:
                    cm = zone_prefix * 6 - 3
                    out.append(
                        CrsGuess(
                            gk6_epsg(cm, True),
                            f"eastings start with zone number {zone_prefix}: "
                            f"6° Gauss-Krüger zone {zone_prefix} (CM {cm}°E), {order}",
                            swap_xy=swap,
                            score=0.9 - 0.1 * swap,
                        )
                    )
        if 100_000 <= e_lo and e_hi <= 900_000:
            lon = near_lon if near_lon is not None else 112.5
            cm3 = _nearest_cm(lon, 3)
            cm6 = _nearest_cm(lon, 6)
            where = "the project's area" if near_lon is not None else "Hubei"
            out.append(
                CrsGuess(
                    gk3_epsg(cm3, False),
                    f"eastings in metres without zone number: 3° Gauss-Krüger CM "
                    f"{cm3}°E, the zone of {where}, {order}",
                    swap_xy=swap,
                    score=0.7 - 0.1 * swap,
                )
            )
            out.append(
                CrsGuess(
                    gk6_epsg(cm6, False),
                    f"eastings in metres without zone number: 6° Gauss-Krüger CM "
                    f"{cm6}°E, {order}",
                    swap_xy=swap,
                    score=0.5 - 0.1 * swap,
                )
            )
            other = cm3 + (3 if lon >= cm3 else -3)
            out.append(
                CrsGuess(
                    gk3_epsg(other, False),
                    f"eastings in metres without zone number: neighbouring 3° zone CM "
                    f"{other}°E, {order}",
                    swap_xy=swap,
                    score=0.4 - 0.1 * swap,
                )
            )
    out.sort(key=lambda g: -g.score)
    return out


def describe(crs: CRS | None) -> str:
    if crs is None:
        return "none"
    epsg = crs.to_epsg(min_confidence=70)
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


def legacy_datum(crs: CRS) -> str | None:
    """Name a Beijing 1954 or Xian 1980 datum, which need a local shift to CGCS2000."""
    name = (crs.name or "").lower()
    datum = (crs.datum.name if crs.datum else "").lower()
    for key, label in (("beijing", "Beijing 1954"), ("xian", "Xian 1980")):
        if key in name or key in datum:
            return label
    return None


def metric_crs_for(lon: float) -> CRS:
    """The CGCS2000 3° Gauss-Krüger zone (no prefix) for metric work around ``lon``."""
    return CRS.from_epsg(gk3_epsg(_nearest_cm(lon, 3), False))

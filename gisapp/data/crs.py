"""Read a layer's declared CRS, check it, or infer candidates from coordinate ranges.

Storage is CGCS2000 geographic (EPSG:4490). Office files arrive in CGCS2000 or WGS84
degrees, or in Gauss-Krüger metres: 3° or 6° zones, with or without the zone number
written in front of the easting, sometimes northing first as surveyors write them.
A plain easting (no zone number) fits every zone equally; the zone is chosen by
where the data would land relative to the project's area.
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
# Jingmen, the area assumed when the project has no layer with a known place yet.
DEFAULT_AREA = (111.8, 30.3, 113.5, 31.7)
# Jingmen's seat (112.2°E) lies in the 3° zone of CM 111°E, the zone its offices'
# surveys most often use: a tie-breaker when the data alone cannot tell.
HOME_CM = 111.0
# An easting further than this from the false easting cannot belong to the zone.
MAX_FROM_CENTRAL_METRES = 400_000.0
_M_PER_DEG_LAT = 110_946.0


@dataclass(frozen=True)
class CrsGuess:
    """One candidate CRS for coordinates with no (or a contradicted) declaration."""

    epsg: int
    reason: str
    swap_xy: bool = False
    score: float = 0.0
    lands: tuple[float, float] | None = None

    @property
    def crs(self) -> CRS:
        return CRS.from_epsg(self.epsg)

    @property
    def label(self) -> str:
        return f"EPSG:{self.epsg} {self.crs.name}"

    def as_dict(self) -> dict:
        return {
            "epsg": self.epsg,
            "label": self.label,
            "reason": self.reason,
            "swap_xy": self.swap_xy,
            "score": round(self.score, 3),
        }


def gk3_epsg(central_meridian: int, prefixed: bool) -> int:
    """EPSG code of a CGCS2000 3° Gauss-Krüger zone (CM 75°E … 135°E)."""
    zone = central_meridian // 3
    return (4513 + zone - 25) if prefixed else (4534 + (central_meridian - 75) // 3)


def gk6_epsg(central_meridian: int, prefixed: bool) -> int:
    """EPSG code of a CGCS2000 6° Gauss-Krüger zone (CM 75°E … 135°E)."""
    zone = (central_meridian + 3) // 6
    return (4491 + zone - 13) if prefixed else (4502 + (central_meridian - 75) // 6)


GK3_MERIDIANS = list(range(75, 136, 3))
GK6_MERIDIANS = list(range(75, 136, 6))


def _inside(lo_hi, bounds_lo, bounds_hi) -> bool:
    return lo_hi[0] <= bounds_lo and bounds_hi <= lo_hi[1]


def _nearest_cm(lon: float, width: int) -> int:
    if width == 3:
        return int(math.floor(lon / 3.0 + 0.5) * 3)
    return int(math.floor(lon / 6.0) * 6 + 3)


def _in_china(lon: float, lat: float) -> bool:
    return CHINA_LON[0] <= lon <= CHINA_LON[1] and CHINA_LAT[0] <= lat <= CHINA_LAT[1]


def _landing(cm: float, easting: float, northing: float) -> tuple[float, float]:
    """Approximate lon/lat of a Gauss-Krüger point (enough to rank zones)."""
    lat = northing / _M_PER_DEG_LAT
    lon = cm + (easting - 500_000.0) / (111_320.0 * math.cos(math.radians(lat)))
    return lon, lat


def _distance_km(lon: float, lat: float, area) -> float:
    """Distance from a point to a lon/lat box, in kilometres (0 inside)."""
    minx, miny, maxx, maxy = area
    dx = max(minx - lon, 0.0, lon - maxx)
    dy = max(miny - lat, 0.0, lat - maxy)
    return math.hypot(dx * 111.32 * math.cos(math.radians(lat)), dy * 110.95)


def _area(near_lon: float | None, near_bounds) -> tuple[tuple, str]:
    if near_bounds is not None and all(math.isfinite(v) for v in near_bounds):
        return tuple(near_bounds), "the project's area"
    if near_lon is not None:
        return (
            near_lon,
            CHINA_LAT[0],
            near_lon,
            CHINA_LAT[1],
        ), f"longitude {near_lon:g}°E"
    return DEFAULT_AREA, "Jingmen"


def infer_candidates(
    bounds,
    near_lon: float | None = None,
    near_bounds=None,
    prefer_cm: float | None = None,
) -> list[CrsGuess]:
    """Candidate CRSs for undeclared coordinates, best first.

    Parameters
    ----------
    bounds
        (minx, miny, maxx, maxy) in the file's units.
    near_lon, near_bounds
        The project's area (a longitude or a lon/lat box); plain Gauss-Krüger
        eastings are put in the zone that lands them nearest to it. Without
        either, Jingmen is assumed.
    prefer_cm
        A central meridian named by a contradicted declaration; zones on it win.

    Returns
    -------
    list of CrsGuess
        Empty when the coordinates fit no system used in China.
    """
    minx, miny, maxx, maxy = bounds
    if not all(math.isfinite(v) for v in bounds):
        return []
    if _inside(CHINA_LON, minx, maxx) and _inside(CHINA_LAT, miny, maxy):
        lands = ((minx + maxx) / 2, (miny + maxy) / 2)
        return [
            CrsGuess(
                4490, "coordinates are degrees inside China", score=1.0, lands=lands
            )
        ]
    if _inside(CHINA_LAT, minx, maxx) and _inside(CHINA_LON, miny, maxy):
        lands = ((miny + maxy) / 2, (minx + maxx) / 2)
        return [
            CrsGuess(
                4490,
                "coordinates are degrees with latitude and longitude swapped",
                swap_xy=True,
                score=0.95,
                lands=lands,
            )
        ]
    area, where = _area(near_lon, near_bounds)
    out: list[CrsGuess] = []
    for swap in (False, True):
        e_lo, e_hi = (miny, maxy) if swap else (minx, maxx)
        n_lo, n_hi = (minx, maxx) if swap else (miny, maxy)
        if not _inside(CHINA_NORTHING, n_lo, n_hi):
            continue
        order = "northing first (X=北, Y=东)" if swap else "easting first"
        penalty = 0.05 * swap
        n_mid = (n_lo + n_hi) / 2
        out += _prefixed(e_lo, e_hi, n_mid, order, swap, penalty, area, prefer_cm)
        if 100_000 <= e_lo and e_hi <= 900_000:
            out += _plain(
                e_lo, e_hi, n_mid, order, swap, penalty, area, where, prefer_cm
            )
    out.sort(key=lambda g: -g.score)
    return out


def _rank(base: float, lands, area, cm, prefer_cm) -> float:
    dist = _distance_km(*lands, area)
    score = base - 0.4 * min(dist, 2000.0) / 2000.0
    if prefer_cm is not None and abs(cm - prefer_cm) < 1e-6:
        score += 0.2
    elif prefer_cm is None and abs(cm - HOME_CM) < 1e-6:
        score += 0.05
    return score


def _prefixed(e_lo, e_hi, n_mid, order, swap, penalty, area, prefer_cm):
    zone = int(e_lo // 1_000_000)
    if zone != int(e_hi // 1_000_000) or not 13 <= zone <= 45:
        return []
    rest_lo, rest_hi = e_lo % 1_000_000, e_hi % 1_000_000
    if not (0 < rest_lo and rest_hi < 1_000_000):
        return []
    out = []
    e_mid = (rest_lo + rest_hi) / 2
    if 25 <= zone <= 45:
        cm = zone * 3
        lands = _landing(cm, e_mid, n_mid)
        if _in_china(*lands):
            out.append(
                CrsGuess(
                    gk3_epsg(cm, True),
                    f"eastings start with zone number {zone}: 3° Gauss-Krüger zone "
                    f"{zone} (CM {cm}°E), {order}",
                    swap_xy=swap,
                    score=_rank(0.98, lands, area, cm, prefer_cm) - penalty,
                    lands=lands,
                )
            )
    if 13 <= zone <= 23:
        cm = zone * 6 - 3
        lands = _landing(cm, e_mid, n_mid)
        if _in_china(*lands):
            out.append(
                CrsGuess(
                    gk6_epsg(cm, True),
                    f"eastings start with zone number {zone}: 6° Gauss-Krüger zone "
                    f"{zone} (CM {cm}°E), {order}",
                    swap_xy=swap,
                    score=_rank(0.96, lands, area, cm, prefer_cm) - penalty,
                    lands=lands,
                )
            )
    return out


def _plain(e_lo, e_hi, n_mid, order, swap, penalty, area, where, prefer_cm):
    out = []
    e_mid = (e_lo + e_hi) / 2
    for width, meridians, base in ((3, GK3_MERIDIANS, 0.8), (6, GK6_MERIDIANS, 0.7)):
        for cm in meridians:
            lands = _landing(cm, e_mid, n_mid)
            if not _in_china(*lands):
                continue
            epsg = gk3_epsg(cm, False) if width == 3 else gk6_epsg(cm, False)
            dist = _distance_km(*lands, area)
            out.append(
                CrsGuess(
                    epsg,
                    f"eastings in metres without zone number; {width}° Gauss-Krüger CM "
                    f"{cm}°E lands the data {dist:.0f} km from {where}, {order}",
                    swap_xy=swap,
                    score=_rank(base, lands, area, cm, prefer_cm) - penalty,
                    lands=lands,
                )
            )
    return out


def describe(crs: CRS | None) -> str:
    """``EPSG:code name`` of a CRS, or its name when no EPSG code fits."""
    if crs is None:
        return "none"
    epsg = crs.to_epsg(min_confidence=70)
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


def legacy_datum(crs: CRS) -> str | None:
    """Name a Beijing 1954 or Xian 1980 datum, which need a local shift to CGCS2000."""
    name = (crs.name or "").lower().replace("'", "")
    datum = (crs.datum.name if crs.datum else "").lower().replace("'", "")
    for key, label in (("beijing", "Beijing 1954"), ("xian", "Xian 1980")):
        if key in name or key in datum:
            return label
    return None


def false_easting(crs: CRS) -> tuple[float, float] | None:
    """``(false easting, central meridian)`` of a transverse Mercator CRS."""
    op = crs.coordinate_operation
    if op is None or not crs.is_projected:
        return None
    params = {p.name.lower(): p.value for p in op.params}
    fe = params.get("false easting")
    cm = params.get("longitude of natural origin", params.get("central meridian"))
    if fe is None or cm is None or "mercator" not in (op.method_name or "").lower():
        return None
    return float(fe), float(cm)


def contradiction(crs: CRS, bounds) -> str | None:
    """Why the declared CRS cannot be right for coordinates with these bounds.

    ``None`` when the declaration fits. A geographic CRS needs degrees; a
    Gauss-Krüger CRS needs eastings within a zone's width of its false easting.
    """
    minx, miny, maxx, maxy = bounds
    if crs.is_geographic:
        if max(abs(minx), abs(maxx)) > 360 or max(abs(miny), abs(maxy)) > 90:
            return (
                f"the file declares degrees ({describe(crs)}) but the coordinates are "
                f"metres (x up to {maxx:,.0f}, y up to {maxy:,.0f})"
            )
        return None
    fe_cm = false_easting(crs)
    if fe_cm is None:
        if max(abs(minx), abs(maxx)) <= 180 and max(abs(miny), abs(maxy)) <= 90:
            return (
                f"the file declares a projected CRS ({describe(crs)}) but the "
                "coordinates are degrees"
            )
        return None
    fe, _ = fe_cm
    worst = max(abs(minx - fe), abs(maxx - fe))
    if worst > MAX_FROM_CENTRAL_METRES:
        return (
            f"the .prj says false easting {fe:,.0f} m ({describe(crs)}), but the "
            f"eastings run {minx:,.0f}–{maxx:,.0f} m, {worst / 1000:,.0f} km from it; "
            "a Gauss-Krüger zone is only a few hundred km wide"
        )
    if max(abs(minx), abs(maxx)) <= 180 and max(abs(miny), abs(maxy)) <= 90:
        return f"the file declares {describe(crs)} but the coordinates are degrees"
    return None


def metric_crs_for(lon: float) -> CRS:
    """The CGCS2000 3° Gauss-Krüger zone (no prefix) for metric work around ``lon``."""
    return CRS.from_epsg(gk3_epsg(_nearest_cm(lon, 3), False))

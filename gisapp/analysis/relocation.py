"""Relocation (搬迁扶贫, 十.4 and 六.5): households to sites, subsidies, progress.

Households willing and eligible to move (``relocation_households``) are assigned
to relocation sites nearest first: every village–site pair within the rules'
distance is taken in order of distance, and each pair moves as many households
as the village still has and the site still holds. Households left over have no
site within reach. Every household gets the subsidy and may take the
interest-free loan; those placed in the 大柴湖 new town get the city's and 钟祥's
extra.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from gisapp.analysis.rules import Rules


@dataclass
class RelocationResult:
    villages: pd.DataFrame
    sites: pd.DataFrame


def is_dachaihu(sites: pd.DataFrame, rules: Rules) -> np.ndarray:
    """Sites in the 大柴湖 new town, by township code or by name."""
    code = str(rules.value("places", "dachaihu_township_code"))
    words = list(rules.value("places", "dachaihu_names"))
    text = (
        sites.get("township", pd.Series("", index=sites.index)).fillna("").astype(str)
        + " "
        + sites.get("name", pd.Series("", index=sites.index)).fillna("").astype(str)
    )
    hit = text.apply(lambda s: any(w in s for w in words) or code in s)
    return hit.to_numpy(bool)


def assign(demand: np.ndarray, village_xy, capacity: np.ndarray, site_xy, max_m: float):
    """Households moved from each village to each site: ``{(village, site): n}``.

    Pairs are taken nearest first; ties go to the lower village, then site index.
    """
    moves: dict[tuple[int, int], int] = {}
    left = np.asarray(demand, dtype=np.int64).copy()
    room = np.asarray(capacity, dtype=np.int64).copy()
    want = np.flatnonzero((left > 0) & ~np.isnan(village_xy).any(axis=1))
    have = np.flatnonzero((room > 0) & ~np.isnan(site_xy).any(axis=1))
    if not len(want) or not len(have):
        return moves
    pairs = cKDTree(village_xy[want]).sparse_distance_matrix(
        cKDTree(site_xy[have]), max_m, output_type="ndarray"
    )
    order = np.lexsort((pairs["j"], pairs["i"], pairs["v"]))
    for i, j in zip(pairs["i"][order], pairs["j"][order], strict=True):
        village, site = want[i], have[j]
        n = min(left[village], room[site])
        if n > 0:
            moves[(int(village), int(site))] = int(n)
            left[village] -= n
            room[site] -= n
    return moves


def relocation_gaps(
    villages: pd.DataFrame,
    village_xy: np.ndarray,
    sites: pd.DataFrame,
    site_xy: np.ndarray,
    rules: Rules,
) -> RelocationResult:
    """Assignment, subsidies and progress per village, and the load of each site."""
    v = rules.value
    demand = pd.to_numeric(villages["relocation_households"], errors="coerce").fillna(0)
    demand = demand.astype(int).to_numpy()
    done = pd.to_numeric(villages["relocated_households"], errors="coerce").fillna(0)
    done = np.minimum(done.astype(int).to_numpy(), demand)
    capacity = pd.to_numeric(sites.get("capacity_households"), errors="coerce")
    capacity = (
        capacity.fillna(0).astype(int).to_numpy() if len(sites) else np.zeros(0, int)
    )
    max_m = float(v("relocation", "max_distance_km")) * 1000.0
    moves = assign(demand, village_xy, capacity, site_xy, max_m)

    dachaihu = is_dachaihu(sites, rules) if len(sites) else np.zeros(0, bool)
    n = len(villages)
    assigned = np.zeros(n, int)
    to_dch = np.zeros(n, int)
    dist_sum = np.zeros(n)
    names: list[list[str]] = [[] for _ in range(n)]
    site_load = np.zeros(len(sites), int)
    site_villages: list[list[str]] = [[] for _ in range(len(sites))]
    site_names = sites["name"].fillna("").astype(str).to_numpy() if len(sites) else []
    village_names = villages["name"].fillna("").astype(str).to_numpy()
    for (i, j), count in sorted(moves.items()):
        assigned[i] += count
        site_load[j] += count
        dist_sum[i] += count * float(np.hypot(*(village_xy[i] - site_xy[j])))
        names[i].append(f"{site_names[j]}({count}户)")
        site_villages[j].append(f"{village_names[i]}({count}户)")
        if dachaihu[j]:
            to_dch[i] += count

    subsidy = float(v("money", "relocation_subsidy_per_household"))
    loan = float(v("money", "relocation_loan_per_household"))
    city_extra = float(v("money", "dachaihu_city_extra"))
    county_extra = float(v("money", "dachaihu_county_extra"))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_km = np.where(assigned > 0, dist_sum / assigned / 1000.0, np.nan)
        done_pct = np.where(demand > 0, done / demand * 100.0, np.nan)
    table = pd.DataFrame(
        {
            "relocation_households": demand,
            "relocation_assigned": assigned,
            "relocation_no_site": demand - assigned,
            "relocation_sites": ["、".join(x) for x in names],
            "relocation_km": np.round(mean_km, 1),
            "relocation_dachaihu": to_dch,
            "relocation_subsidy_yuan": demand * subsidy,
            "relocation_loan_yuan": demand * loan,
            "dachaihu_city_yuan": to_dch * city_extra,
            "dachaihu_county_yuan": to_dch * county_extra,
            "relocated_households": done,
            "relocated_pct": np.round(done_pct, 1),
        },
        index=villages.index,
    )
    site_table = pd.DataFrame(
        {
            "name": site_names,
            "township": sites.get("township", pd.Series(dtype=object)).to_numpy(
                dtype=object
            )
            if len(sites)
            else [],
            "dachaihu": dachaihu,
            "capacity_households": capacity,
            "assigned_households": site_load,
            "room_left": capacity - site_load,
            "from_villages": ["、".join(x) for x in site_villages],
        }
    )
    return RelocationResult(table, site_table)

"""Relocation (搬迁扶贫, 十.4 and 六.5): households to sites, subsidies, progress.

Households willing and eligible to move (``relocation_households``) are assigned
to relocation sites within the rules' distance (and, by default, in their own
county) so that as many households as possible find a place, and among such
assignments the one with the least total distance: a transport problem solved
by linear programming, whose optimum is whole households. Households left over
have no site within reach. Every household gets the subsidy and may take the
interest-free loan; those placed in the 大柴湖 new town get the city's and 钟祥's
extra.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog
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


def assign(
    demand: np.ndarray,
    village_xy,
    capacity: np.ndarray,
    site_xy,
    max_m: float,
    village_area=None,
    site_area=None,
):
    """Households moved from each village to each site: ``{(village, site): n}``.

    As many households as possible are placed within ``max_m``, with the least
    total distance. With ``village_area`` and ``site_area`` (county codes), a village only moves
    to sites of its own area; an unknown area allows any.
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
    if village_area is not None and site_area is not None:
        va = np.asarray(village_area, dtype=object)[want[pairs["i"]]]
        sa = np.asarray(site_area, dtype=object)[have[pairs["j"]]]
        known = pd.notna(va) & pd.notna(sa)
        pairs = pairs[~known | (va == sa)]
    if not len(pairs):
        return moves
    amounts = _transport(pairs["i"], pairs["j"], pairs["v"], left[want], room[have])
    for i, j, n in zip(pairs["i"], pairs["j"], amounts, strict=True):
        if n > 0:
            key = (int(want[i]), int(have[j]))
            moves[key] = moves.get(key, 0) + int(n)
    return dict(sorted(moves.items()))


def _transport(i, j, dist, supply, room) -> np.ndarray:
    """Households per pair: most households placed, then least total distance."""
    n_pairs = len(i)
    # A household placed is worth more than any lengthening of the other
    # households' moves that placing it can cause (an alternating chain of
    # reassignments visits each village and site at most once).
    worth = (float(dist.max()) + 1.0) * (len(supply) + len(room) + 1)
    cost = dist - worth
    rows = np.concatenate([i, len(supply) + j])
    cols = np.concatenate([np.arange(n_pairs), np.arange(n_pairs)])
    a_ub = sparse.csr_matrix(
        (np.ones(2 * n_pairs), (rows, cols)), shape=(len(supply) + len(room), n_pairs)
    )
    b_ub = np.concatenate([supply, room]).astype(float)
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    if result.status != 0:
        raise RuntimeError(f"relocation assignment failed: {result.message}")
    return np.round(result.x).astype(np.int64)


def relocation_gaps(
    villages: pd.DataFrame,
    village_xy: np.ndarray,
    sites: pd.DataFrame,
    site_xy: np.ndarray,
    rules: Rules,
    site_county=None,
) -> RelocationResult:
    """Assignment, subsidies and progress per village, and the load of each site.

    ``site_county`` gives each site's county code; with the rules'
    ``same_county`` households stay in their own county.
    """
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
    dachaihu = is_dachaihu(sites, rules) if len(sites) else np.zeros(0, bool)
    areas = (None, None)
    if bool(v("relocation", "same_county")) and site_county is not None:
        # The 大柴湖 new town takes households from the whole city (十.4).
        open_sites = np.where(dachaihu, None, np.asarray(site_county, dtype=object))
        areas = (villages["county_code"].to_numpy(dtype=object), open_sites)
    moves = assign(demand, village_xy, capacity, site_xy, max_m, *areas)

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
            "township": sites.get(
                "township", pd.Series(None, index=sites.index, dtype=object)
            ).to_numpy(dtype=object)
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

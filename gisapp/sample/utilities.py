"""Water works and pipes, power lines and substations, relocation sites.

They follow the registry: a village whose drinking water falls short has no pipe
to it and makes do with a well, a spring or a cistern; a village whose grid is
not upgraded hangs on a 10 kV line marked not upgraded; relocation sites stand in
the poor townships, sized near the households willing to move.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gisapp.sample.names import short_township
from gisapp.sample.shapes import wiggly_lines

LITRES_PER_PERSON_DAY = 120.0


class Land:
    """Where generated points may stand: inside the city's counties, off the water."""

    def __init__(self, counties, water):
        self.shape = shapely.difference(
            shapely.union_all(counties).buffer(-300), water.buffer(300)
        )
        shapely.prepare(self.shape)

    def near(self, xy, rng, low, high) -> np.ndarray:
        """A point ``low``–``high`` metres from ``xy`` on land (``xy`` itself if none)."""
        xy = np.asarray(xy, dtype=float)
        for _ in range(40):
            angle = rng.uniform(0, 2 * np.pi)
            cand = xy + rng.uniform(low, high) * np.array(
                [np.cos(angle), np.sin(angle)]
            )
            if shapely.contains_xy(self.shape, *cand):
                return cand
        return xy


def water_supply(
    seats, villages, reg, network, land, rng
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plants and village schemes (points) and the pipes between them (lines)."""
    n_seats = len(seats)
    edges = network.edges
    pop = reg["population"].to_numpy()
    full = reg["safe_water_pct"].to_numpy() >= 100
    plants, pipes = [], []
    piped_seats = set()
    for cc, group in seats.groupby("county_code", sort=True):
        hub = group.index[np.argmax(group["type"].eq("街道").to_numpy())]
        piped_seats.add(int(hub))
        plants.append(
            _plant(land, seats, hub, "水厂", rng, 30000, 80000, suffix="城区水厂")
        )
        county_x = edges[(edges["road_class"] == "county")]
        for e in county_x.itertuples():
            if {e.a, e.b} & {hub} and seats.at[
                e.b if e.a == hub else e.a, "county_code"
            ] == cc:
                other = int(e.b if e.a == hub else e.a)
                piped_seats.add(other)
                pipes.append(
                    _pipe(
                        e.geometry,
                        f"{short_township(seats.at[hub, 'name'])}—{short_township(seats.at[other, 'name'])}输水管",
                        rng,
                        300,
                        500,
                    )
                )
    rural = [
        int(i)
        for i in seats.index
        if seats.at[i, "type"] in ("镇", "乡") and int(i) not in piped_seats
    ]
    for i in rng.choice(rural, len(rural) // 2, replace=False):
        piped_seats.add(int(i))
        plants.append(_plant(land, seats, int(i), "水厂", rng, 2000, 12000))
    # Every other seat draws on a small town scheme that also feeds nearby villages.
    for i in seats.index:
        if int(i) not in piped_seats:
            piped_seats.add(int(i))
            town = _plant(
                land, seats, int(i), "水厂", rng, 600, 2500, suffix="集镇供水站"
            )
            plants.append({**town, "works_type": "scheme"})
    served = np.zeros(len(villages), dtype=bool)
    tree = edges[edges["tree"]].sort_values(["order", "a"], kind="stable")
    labels = villages["label"].to_numpy()
    reached = set(piped_seats)
    for _ in range(80):
        grew = False
        for e in tree.itertuples():
            v = e.b - n_seats
            if e.a in reached and e.b not in reached and full[v]:
                reached.add(e.b)
                served[v] = True
                big = e.road_class == "township"
                pipes.append(
                    _pipe(
                        e.geometry,
                        f"{labels[v]}供水管",
                        rng,
                        *(160, 250) if big else (63, 110),
                    )
                )
                grew = True
        if not grew:
            break
    works = plants + _village_schemes(villages, pop, full, served, reg, land, rng)
    return pd.DataFrame(works), pd.DataFrame(pipes)


def _plant(land, seats, i, kind, rng, low, high, suffix="水厂"):
    cap = float(np.round(rng.uniform(low, high), -2))
    return {
        "name": f"{short_township(seats.at[i, 'name'])}{suffix}",
        "works_type": "plant",
        "capacity_m3_day": cap,
        "served_people": int(
            cap * 1000 / LITRES_PER_PERSON_DAY * rng.uniform(0.7, 0.95)
        ),
        "geometry": shapely.Point(
            land.near(seats.loc[i, ["x", "y"]].to_numpy(float), rng, 800, 2000)
        ),
    }


def _village_schemes(villages, pop, full, served, reg, land, rng) -> list[dict]:
    rows = []
    xy_all = villages[["x", "y"]].to_numpy(float)
    labels = villages["label"].to_numpy()
    pct = reg["safe_water_pct"].to_numpy()
    names = {
        "scheme": "供水站",
        "well": "机井",
        "cistern": "水窖",
        "spring": "山泉水池",
    }
    for v in range(len(villages)):
        if served[v]:
            continue
        xy = xy_all[v]
        if full[v]:
            kind, people = "scheme", int(pop[v])
        else:
            kind = str(
                rng.choice(
                    ["well", "cistern", "spring", "scheme"], p=[0.45, 0.25, 0.15, 0.15]
                )
            )
            people = int(pop[v] * pct[v] / 100)
        rows.append(
            {
                "name": f"{labels[v]}{names[kind]}",
                "works_type": kind,
                "capacity_m3_day": float(
                    np.round(people * LITRES_PER_PERSON_DAY / 1000 * 1.2, 1)
                ),
                "served_people": people,
                "geometry": shapely.Point(land.near(xy, rng, 150, 600)),
            }
        )
    return rows


def _pipe(geometry, name, rng, low, high) -> dict:
    dn = [63, 75, 90, 110, 160, 200, 250, 300, 400, 500]
    choices = [d for d in dn if low <= d <= high] or [low]
    return {
        "name": name,
        "diameter_mm": float(rng.choice(choices)),
        "built_year": int(rng.integers(2005, 2016)),
        "geometry": geometry,
    }


def power_grid(
    seats, villages, reg, network, land, rng
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """110 kV and 35 kV substations and the 110, 35 and 10 kV lines."""
    subs, lines = [], []
    hubs = []
    for _, group in seats.groupby("county_code", sort=True):
        ranked = group.assign(town=~group["type"].eq("街道")).sort_values(
            ["town", "code"]
        )
        for i in ranked.index[: 1 if len(group) < 10 else 2]:
            xy = land.near(seats.loc[i, ["x", "y"]].to_numpy(float), rng, 1500, 3500)
            hubs.append(xy)
            subs.append(
                {
                    "name": f"{short_township(seats.at[i, 'name'])}110kV变电站",
                    "voltage_kv": 110.0,
                    "geometry": shapely.Point(xy),
                }
            )
    hubs = np.array(hubs)
    for k in range(1, len(hubs)):
        j = int(np.argmin(np.hypot(*(hubs[:k] - hubs[k]).T)))
        lines.append(
            _line(
                hubs[j],
                hubs[k],
                f"110kV {subs[j]['name'][:-6]}—{subs[k]['name'][:-6]}线",
                110.0,
                True,
                rng,
            )
        )
    feeder_from = {}
    for i in seats.index:
        seat_xy = seats.loc[i, ["x", "y"]].to_numpy(float)
        j = int(np.argmin(np.hypot(*(hubs - seat_xy).T)))
        if seats.at[i, "type"] in ("镇", "乡"):
            xy = land.near(seat_xy, rng, 600, 1500)
            name = f"{short_township(seats.at[i, 'name'])}35kV变电站"
            subs.append(
                {"name": name, "voltage_kv": 35.0, "geometry": shapely.Point(xy)}
            )
            lines.append(_line(hubs[j], xy, f"35kV {name[:-6]}线", 35.0, True, rng))
            feeder_from[int(i)] = xy
        else:
            feeder_from[int(i)] = hubs[j]
    lines += _feeders(seats, villages, reg, network, feeder_from, rng)
    return pd.DataFrame(subs), pd.DataFrame(lines)


def _line(a, b, name, kv, upgraded, rng, bend=0.02) -> dict:
    geom = wiggly_lines(np.array([a]), np.array([b]), rng, bend)[0]
    return {
        "name": name,
        "voltage_kv": kv,
        "upgraded": bool(upgraded),
        "geometry": geom,
    }


def _feeders(seats, villages, reg, network, feeder_from, rng) -> list[dict]:
    """10 kV lines from each township's substation to the seat and along the village tree."""
    n_seats = len(seats)
    nodes = network.nodes
    ok = (reg["power_living_upgraded"] & reg["power_production_upgraded"]).to_numpy()
    names = [short_township(n) for n in seats["name"]] + list(villages["label"])
    rows = []
    for i, xy in feeder_from.items():
        rows.append(_line(xy, nodes[i], f"10kV {names[i]}出线", 10.0, True, rng, 0.03))
    tree = network.edges[network.edges["tree"]]
    a, b = tree["a"].to_numpy(), tree["b"].to_numpy()
    geoms = wiggly_lines(nodes[a], nodes[b], rng, 0.03)
    for k in range(len(a)):
        v = b[k] - n_seats
        name = f"10kV {names[a[k]]}—{names[b[k]]}支线"
        rows.append(
            {
                "name": name,
                "voltage_kv": 10.0,
                "upgraded": bool(ok[v]),
                "geometry": geoms[k],
            }
        )
    return rows


def relocation_sites(
    seats, villages, reg, poor_towns, priority, land, rng
) -> pd.DataFrame:
    """Grouped sites near the seats of poor townships and scattered ones in villages.

    Capacity is near the households willing to move: some townships fall short.
    The priority township gets one large site for the 大柴湖 new town.
    """
    rows = []
    by_code = seats.set_index("code")
    want = reg.groupby(villages["township_code"].to_numpy())[
        "relocation_households"
    ].sum()
    for town in poor_towns:
        seat = by_code.loc[town]
        short = short_township(seat["name"])
        total = int(want.get(town, 0))
        cover = rng.uniform(0.7, 1.1)
        n_grouped = 1 if total < 120 else 2
        grouped_cap = int(total * cover * 0.8)
        for k in range(n_grouped):
            cap = max(20, grouped_cap // n_grouped)
            if town == priority and k == 0:
                cap = max(cap, 1200)
                name = f"{short}新镇集中安置点"
            else:
                name = f"{short}{'集镇' if k == 0 else '社区'}集中安置点"
            xy = land.near(seat[["x", "y"]].to_numpy(float), rng, 500, 2500)
            rows.append(_site(name, "grouped", cap, seat["name"], xy, rng))
        hosts = np.flatnonzero(
            (villages["township_code"] == town).to_numpy() & ~reg["is_poor"].to_numpy()
        )
        spare = max(int(total * cover) - grouped_cap, 0)
        for v in (
            rng.choice(hosts, min(len(hosts), int(rng.integers(2, 5))), replace=False)
            if len(hosts)
            else []
        ):
            cap = int(max(3, spare // 3 + rng.integers(0, 5)))
            xy = land.near(villages.loc[v, ["x", "y"]].to_numpy(float), rng, 200, 700)
            rows.append(
                _site(
                    f"{villages.at[v, 'label']}插花安置点",
                    "scattered",
                    cap,
                    seat["name"],
                    xy,
                    rng,
                )
            )
    return pd.DataFrame(rows)


def _site(name, kind, cap, township, xy, rng) -> dict:
    return {
        "name": name,
        "site_type": kind,
        "capacity_households": int(cap),
        "occupied_households": int(cap * rng.uniform(0.25, 0.85)),
        "township": township,
        "geometry": shapely.Point(xy),
    }

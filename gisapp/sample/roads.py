"""The road network of the sample project, with its crossings and bridges.

County roads (县道, X) join township seats; inside each township a tree grows from
the seat to every village: its trunks are township roads (乡道, Y), its twigs
village roads (村道, C + village code). Group roads (组道) and production roads
(生产路) end at hamlets and fields; some village roads stop short of the next
village (断头路). Where a road crosses water it is split, the part over the water
is ``level = 1`` and a bridge point marks it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay, cKDTree

from gisapp.sample import crossings
from gisapp.sample.names import short_township
from gisapp.sample.shapes import wiggly_lines

log = logging.getLogger(__name__)

SURFACE_BY_CLASS = {
    "county": (("asphalt",), (1.0,)),
    "township": (("asphalt", "cement"), (0.55, 0.45)),
    "village": (("cement", "asphalt", "gravel", "earth"), (0.9, 0.05, 0.04, 0.01)),
    "group": (("cement", "gravel", "earth"), (0.55, 0.3, 0.15)),
    "production": (("cement", "gravel", "earth"), (0.05, 0.4, 0.55)),
}
WIDTH_BY_CLASS = {
    "county": (7.0, 9.0),
    "township": (5.0, 6.5),
    "village": (3.5, 4.5),
    "group": (3.0, 3.5),
    "production": (2.5, 3.5),
}
BEND_BY_CLASS = {
    "county": 0.03,
    "township": 0.05,
    "village": 0.06,
    "group": 0.09,
    "production": 0.1,
}


@dataclass
class Network:
    """Road segments and bridges, metric, plus what the other layers build on."""

    roads: pd.DataFrame
    bridges: pd.DataFrame
    nodes: np.ndarray
    edges: pd.DataFrame
    parent: np.ndarray  # per village: node index of its parent in the township tree


class _Builder:
    def __init__(self, seats, villages, water, rng):
        self.seats, self.villages, self.water, self.rng = seats, villages, water, rng
        self.n_seats = len(seats)
        self.nodes = [*seats[["x", "y"]].to_numpy(), *villages[["x", "y"]].to_numpy()]
        self.edges: list[dict] = []
        self.names = [short_township(n) for n in seats["name"]] + list(
            villages["label"]
        )
        self.parent = np.full(len(villages), -1)
        self.ends: list[tuple[int, int]] = []
        self.n_field = 0
        shapely.prepare(water)

    def node(self, xy) -> int:
        self.nodes.append(np.asarray(xy, dtype=float))
        return len(self.nodes) - 1

    def add(self, a, b, cls, code, name, route_order=0, village=-1, surface=None):
        self.edges.append(
            {
                "a": a,
                "b": b,
                "road_class": cls,
                "code": code,
                "name": name,
                "order": route_order,
                "village": village,
                "surface": surface,
                "tree": False,
            }
        )

    def crosses(self, a_xy, b_xy) -> np.ndarray:
        coords = np.stack([a_xy, b_xy], axis=1)
        return shapely.intersects(shapely.linestrings(coords), self.water)

    def county_roads(self):
        """Seats joined by a spanning tree, plus short loops; few cross the Han."""
        xy = self.seats[["x", "y"]].to_numpy()
        tri = Delaunay(xy)
        pairs = set()
        for simplex in tri.simplices:
            for i in range(3):
                a, b = sorted((int(simplex[i]), int(simplex[(i + 1) % 3])))
                pairs.add((a, b))
        pairs = np.array(sorted(pairs))
        length = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
        wet = self.crosses(xy[pairs[:, 0]], xy[pairs[:, 1]])
        weight = length * np.where(wet, 8.0, 1.0)
        graph = coo_matrix((weight, (pairs[:, 0], pairs[:, 1])), shape=(len(xy),) * 2)
        tree = minimum_spanning_tree(graph).tocoo()
        chosen = {
            (min(a, b), max(a, b)) for a, b in zip(tree.row, tree.col, strict=True)
        }
        extra = [
            i
            for i in np.argsort(length)
            if tuple(pairs[i]) not in chosen and not wet[i]
        ]
        for i in extra[: len(chosen) // 3]:
            if length[i] < 24000:
                chosen.add(tuple(pairs[i]))
        # The Han has a few road bridges, not one: take the shortest wet links.
        wet_rows = [
            i for i in np.argsort(length) if wet[i] and tuple(pairs[i]) not in chosen
        ]
        for i in wet_rows[:2]:
            chosen.add(tuple(pairs[i]))
        for k, (a, b) in enumerate(
            sorted(chosen, key=lambda p: (self.seats["county_code"].iloc[p[0]], p))
        ):
            self.add(
                a, b, "county", f"X{k + 1:03d}", f"{self.names[a]}—{self.names[b]}公路"
            )

    def township_trees(self, road_gap: np.ndarray):
        """A tree per township from its seat; trunks are 乡道, twigs are 村道."""
        tcode = self.villages["township_code"].to_numpy()
        y_count = 0
        for s, code in enumerate(self.seats["code"]):
            rows = np.flatnonzero(tcode == code)
            if not len(rows):
                continue
            ids = np.concatenate([[s], self.n_seats + rows])
            parent = self._prim(np.array([self.nodes[i] for i in ids]))
            size = self._subtree_sizes(parent)
            children = {i: [] for i in range(len(ids))}
            for i in range(1, len(ids)):
                children[parent[i]].append(i)
            for i in range(1, len(ids)):
                self.parent[rows[i - 1]] = ids[parent[i]]
            y_count = self._emit_tree(
                ids, parent, size, children, rows, road_gap, y_count
            )

    def _prim(self, pts: np.ndarray) -> np.ndarray:
        n = len(pts)
        d = np.hypot(
            pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1]
        )
        # Prefer joining toward the seat: a small pull keeps trees from snaking.
        d = d + 0.25 * d[0][None, :]
        parent = np.zeros(n, dtype=int)
        inside = np.zeros(n, dtype=bool)
        inside[0] = True
        best = d[0].copy()
        best_from = np.zeros(n, dtype=int)
        for _ in range(n - 1):
            cand = np.where(inside, np.inf, best)
            v = int(np.argmin(cand))
            u = best_from[v]
            if self.crosses(pts[[u]], pts[[v]])[0]:
                alt = np.flatnonzero(inside)
                ok = ~self.crosses(pts[alt], np.repeat(pts[[v]], len(alt), axis=0))
                if ok.any():
                    alt = alt[ok]
                    u = int(alt[np.argmin(d[alt, v])])
            parent[v] = u
            inside[v] = True
            closer = d[v] < best
            best = np.where(closer & ~inside, d[v], best)
            best_from = np.where(closer & ~inside, v, best_from)
        return parent

    @staticmethod
    def _subtree_sizes(parent: np.ndarray) -> np.ndarray:
        n = len(parent)
        depth = np.zeros(n, dtype=int)
        for i in range(1, n):
            j, k = i, 0
            while j != 0:
                j, k = parent[j], k + 1
            depth[i] = k
        size = np.ones(n, dtype=int)
        for i in np.argsort(-depth, kind="stable"):
            if i:
                size[parent[i]] += size[i]
        return size

    def _emit_tree(self, ids, parent, size, children, rows, road_gap, y_count) -> int:
        stack = [(0, None, 0)]
        while stack:
            u, route, order = stack.pop()
            kids = sorted(children[u], key=lambda c: (-size[c], c))
            first_trunk = True
            for c in kids:
                a, b = int(ids[u]), int(ids[c])
                village = int(rows[c - 1])
                vcode = self.villages["nbs2023_code"].iloc[village]
                if size[c] >= 3:
                    if route is not None and first_trunk:
                        code, k = route, order + 1
                    else:
                        y_count += 1
                        code, k = f"Y{y_count:03d}", 0
                    first_trunk = False
                    name = f"{self.names[ids[0]]}—{self.names[b]}"
                    self.add(a, b, "township", code, name, k, village)
                    self.edges[-1]["tree"] = True
                    stack.append((c, code, k))
                else:
                    surface = self._gap_surface() if road_gap[village] else None
                    self.add(
                        a,
                        b,
                        "village",
                        f"C{vcode}",
                        f"{self.names[a]}—{self.names[b]}",
                        0,
                        village,
                        surface,
                    )
                    self.edges[-1]["tree"] = True
                    stack.append((c, None, 0))
        return y_count

    def _gap_surface(self) -> str:
        return str(self.rng.choice(["gravel", "earth"], p=[0.6, 0.4]))

    def links(self, road_gap: np.ndarray, count: int = 70):
        """Village roads joining neighbouring villages of different townships."""
        xy = self.villages[["x", "y"]].to_numpy()
        tcode = self.villages["township_code"].to_numpy()
        pairs = np.array(sorted(cKDTree(xy).query_pairs(4500.0)))
        pairs = pairs[tcode[pairs[:, 0]] != tcode[pairs[:, 1]]]
        pairs = pairs[~road_gap[pairs[:, 0]] & ~road_gap[pairs[:, 1]]]
        length = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
        pairs = pairs[np.argsort(length, kind="stable")]
        pairs = pairs[~self.crosses(xy[pairs[:, 0]], xy[pairs[:, 1]])]
        used: set[int] = set()
        made = 0
        for a, b in pairs:
            if made >= count or a in used or b in used:
                continue
            used.update((int(a), int(b)))
            vcode = self.villages["nbs2023_code"].iloc[a]
            na, nb = self.n_seats + int(a), self.n_seats + int(b)
            self.add(
                na,
                nb,
                "village",
                f"C{vcode}",
                f"{self.names[na]}—{self.names[nb]}",
                1,
                int(a),
            )
            made += 1

    def dead_ends(self, poor: np.ndarray, count: int = 48):
        """Village roads that set out for the next village and stop short (断头路)."""
        xy = self.villages[["x", "y"]].to_numpy()
        dist, idx = cKDTree(xy).query(xy, k=4)
        order = self.rng.permutation(len(xy))
        order = np.concatenate([order[poor[order]], order[~poor[order]]])
        made = 0
        for a in order:
            if made >= count:
                break
            if (not poor[a]) and made < count * 0.55:
                continue
            b = int(idx[a, self.rng.integers(2, 4)])
            if not 1800 < dist[a, list(idx[a]).index(b)] < 6000:
                continue
            end = xy[a] + (xy[b] - xy[a]) * self.rng.uniform(0.4, 0.75)
            if self.crosses(xy[[a]], end[None, :])[0]:
                continue
            vcode = self.villages["nbs2023_code"].iloc[a]
            na = self.n_seats + int(a)
            name = f"{self.names[na]}—{self.names[self.n_seats + b]}(未贯通)"
            surface = str(self.rng.choice(["cement", "gravel"]))
            self.add(
                na, self.node(end), "village", f"C{vcode}", name, 2, int(a), surface
            )
            made += 1

    def spurs(self, poor: np.ndarray, road_gap: np.ndarray):
        """Group roads to hamlets and production roads to fields: dead ends by nature."""
        rng = self.rng
        xy = self.villages[["x", "y"]].to_numpy()
        taken = self._angles()
        codes = self.villages["nbs2023_code"].to_numpy()
        for v in range(len(xy)):
            vcode = codes[v]
            na = self.n_seats + v
            n_group = int(rng.integers(1, 4))
            n_prod = int(rng.integers(0, 2))
            for k in range(n_group + n_prod):
                cls = "group" if k < n_group else "production"
                reach = (
                    rng.uniform(500, 1900) if cls == "group" else rng.uniform(350, 1300)
                )
                angle = self._free_angle(na, taken.setdefault(na, []), rng)
                taken[na].append(angle)
                end = xy[v] + reach * np.array([np.cos(angle), np.sin(angle)])
                if self.crosses(xy[[v]], end[None, :])[0]:
                    continue
                surface = None
                if road_gap[v]:
                    surface = str(rng.choice(["gravel", "earth"]))
                elif cls == "group" and poor[v]:
                    surface = str(
                        rng.choice(["cement", "gravel", "earth"], p=[0.35, 0.4, 0.25])
                    )
                if cls == "group":
                    code, name = f"C{vcode}-Z{k + 1}", f"{self.names[na]}{k + 1}组道路"
                else:
                    code, name = (
                        f"C{vcode}-S{k - n_group + 1}",
                        f"{self.names[na]}生产路{k - n_group + 1}",
                    )
                self.add(na, self.node(end), cls, code, name, 0, v, surface)
                self.ends.append((len(self.nodes) - 1, v))

    def _angles(self) -> dict[int, list[float]]:
        """Directions of the roads already leaving each node."""
        out: dict[int, list[float]] = {}
        for e in self.edges:
            a, b = self.nodes[e["a"]], self.nodes[e["b"]]
            out.setdefault(e["a"], []).append(
                float(np.arctan2(b[1] - a[1], b[0] - a[0]))
            )
            out.setdefault(e["b"], []).append(
                float(np.arctan2(a[1] - b[1], a[0] - b[0]))
            )
        return out

    @staticmethod
    def _free_angle(node: int, taken: list[float], rng, gap: float = 0.7) -> float:
        """A direction at least ``gap`` radians from every road at the node, if any."""
        angle = rng.uniform(0, 2 * np.pi)
        for _ in range(12):
            if all(abs(np.angle(np.exp(1j * (angle - t)))) >= gap for t in taken):
                break
            angle = rng.uniform(0, 2 * np.pi)
        return float(angle)

    def field_roads(self, reach: float = 2500.0, keep_share: float = 0.22):
        """Field roads (生产路) joining hamlets to neighbouring villages, unhardened.

        Most hamlet roads then lead on to a neighbour; about ``keep_share`` stay
        as spurs ending at their hamlet, as hill hamlets do.
        """
        if not self.ends:
            return
        ids = np.array([e[0] for e in self.ends])
        owner = np.array([e[1] for e in self.ends])
        xy = np.array([self.nodes[i] for i in ids])
        used = np.zeros(len(ids), dtype=bool)
        pairs = np.array(sorted(cKDTree(xy).query_pairs(reach)))
        if len(pairs):
            pairs = pairs[owner[pairs[:, 0]] != owner[pairs[:, 1]]]
            length = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
            pairs = pairs[np.argsort(length, kind="stable")]
            pairs = pairs[~self.crosses(xy[pairs[:, 0]], xy[pairs[:, 1]])]
        for a, b in pairs:
            if used[a] or used[b]:
                continue
            used[a] = used[b] = True
            self._field_road(int(ids[a]), int(ids[b]), int(owner[a]), int(owner[b]))
        keep = self.rng.random(len(ids)) < keep_share
        vxy = self.villages[["x", "y"]].to_numpy()
        tree = cKDTree(vxy)
        for k in np.flatnonzero(~used & ~keep):
            dist, near = tree.query(xy[k], k=3)
            for d, v in zip(dist, near, strict=True):
                if (
                    v != owner[k]
                    and d < reach * 1.4
                    and not self.crosses(xy[[k]], vxy[[v]])[0]
                ):
                    self._field_road(
                        int(ids[k]), self.n_seats + int(v), int(owner[k]), int(v)
                    )
                    break

    def _field_road(self, a: int, b: int, va: int, vb: int) -> None:
        self.n_field += 1
        vcode = self.villages["nbs2023_code"].iloc[va]
        name = (
            f"{self.names[self.n_seats + va]}—{self.names[self.n_seats + vb]}田间道路"
        )
        surface = str(self.rng.choice(["gravel", "earth"], p=[0.45, 0.55]))
        self.add(a, b, "production", f"C{vcode}-T{self.n_field}", name, 0, va, surface)


def build_roads(seats, villages, road_gap, poor, water, streams, rng) -> Network:
    """The whole road network (metric) and its bridges.

    ``villages`` needs ``x``, ``y``, ``nbs2023_code``, ``township_code`` and
    ``label``; ``road_gap`` marks villages whose access road stays unhardened.
    """
    builder = _Builder(seats, villages, water, rng)
    builder.county_roads()
    builder.township_trees(road_gap)
    builder.links(road_gap)
    builder.dead_ends(poor)
    builder.spurs(poor, road_gap)
    builder.field_roads()
    nodes = np.array(builder.nodes)
    edges = pd.DataFrame(builder.edges)
    edges = _fill_attributes(edges, rng)
    geoms = np.empty(len(edges), dtype=object)
    for cls, bend in BEND_BY_CLASS.items():
        rows = np.flatnonzero(edges["road_class"].to_numpy() == cls)
        geoms[rows] = wiggly_lines(
            nodes[edges["a"].to_numpy()[rows]],
            nodes[edges["b"].to_numpy()[rows]],
            rng,
            bend,
        )
    edges["geometry"] = geoms
    segments = crossings.node_crossings(edges)
    waters = crossings.water_bodies(water, streams)
    roads, bridges = crossings.split_at_water(segments, waters, rng)
    log.debug("%d road segments, %d bridges", len(roads), len(bridges))
    return Network(
        roads=roads, bridges=bridges, nodes=nodes, edges=edges, parent=builder.parent
    )


def _fill_attributes(edges: pd.DataFrame, rng) -> pd.DataFrame:
    n = len(edges)
    surface = edges["surface"].to_numpy(dtype=object)
    width = np.zeros(n)
    for cls, (choices, p) in SURFACE_BY_CLASS.items():
        rows = np.flatnonzero(edges["road_class"].to_numpy() == cls)
        drawn = rng.choice(choices, len(rows), p=p)
        surface[rows] = np.where(pd.isna(surface[rows]), drawn, surface[rows])
        width[rows] = np.round(rng.uniform(*WIDTH_BY_CLASS[cls], len(rows)) * 2) / 2
    # One route, one surface and width: the first segment decides.
    frame = edges.assign(surface=surface, width_m=width)
    first = frame.groupby("code", sort=False)[["width_m"]].transform("first")
    frame["width_m"] = first["width_m"]
    hard = np.isin(surface, ["asphalt", "cement"])
    start = {
        "county": 1998,
        "township": 2004,
        "village": 2008,
        "group": 2011,
        "production": 2013,
    }
    low = frame["road_class"].map(start).to_numpy()
    year = rng.integers(low, 2016)
    frame["built_year"] = pd.array(np.where(hard, year, None), dtype="Int64")
    return frame

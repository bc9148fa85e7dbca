"""Build a routable road network from digitised lines, repairing digitising errors.

Roads arrive as lines drawn by hand: ends stop short of the road they meet
(undershoot) or run past it (overshoot), T-junctions have no shared vertex, ends
that should meet sit a few centimetres apart, lines are drawn twice. The network is
built in metres with a snapping tolerance:

* line ends closer than the tolerance are one node, whatever their level;
* a line end within the tolerance of another line of the same level splits that
  line there (T-junction, undershoot);
* lines of the same level that cross are split at the crossing; lines of different
  levels (a viaduct over a road) never are;
* a dangling piece no longer than the tolerance beyond a junction is trimmed
  (overshoot); a line drawn twice is kept once.

Each repair is listed as an edit a user can review and apply to the source data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from gisapp.analysis.segments import Meetings, NearEnds, meetings

log = logging.getLogger(__name__)

START, END, SPLIT = 0, 1, 2
EDIT_ZH = {
    "undershoot": "未接边(悬挂)",
    "tjunction": "T形交叉未打断",
    "node_merge": "端点未重合",
    "crossing": "平交未打断",
    "overshoot": "出头",
    "duplicate": "重复线",
    "overlap": "部分重叠",
    "short": "过短线段",
}


@dataclass
class RoadNetwork:
    """A road graph: nodes in metres, edges as pieces of the source lines.

    Attributes
    ----------
    lines : ndarray of LineString
        The source lines after splitting multi-part features, in metres.
    line_row : ndarray of int
        For each line, the position of its feature in the source frame.
    line_level : ndarray of int
        Grade level of each line (0 ground, 1 bridge or viaduct, …).
    node_xy : ndarray, shape (n_nodes, 2)
    edge_u, edge_v : ndarray of int
        End nodes of each edge.
    edge_line : ndarray of int
        The line each edge is a piece of.
    edge_t0, edge_t1 : ndarray of float
        Where along its line the edge starts and ends, in metres.
    edits : DataFrame
        The repairs made, one row each.
    """

    lines: np.ndarray
    line_row: np.ndarray
    line_level: np.ndarray
    node_xy: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_line: np.ndarray
    edge_t0: np.ndarray
    edge_t1: np.ndarray
    tolerance: float
    edits: pd.DataFrame
    line_labels: np.ndarray = field(default=None, repr=False)
    _components: tuple | None = field(default=None, repr=False)
    _tree: shapely.STRtree | None = field(default=None, repr=False)
    _lengths: sparse.csr_matrix | None = field(default=None, repr=False)

    @property
    def tree(self) -> shapely.STRtree:
        """A spatial index of the lines, built once."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.lines)
        return self._tree

    @property
    def n_nodes(self) -> int:
        return len(self.node_xy)

    @property
    def n_edges(self) -> int:
        return len(self.edge_u)

    @property
    def edge_length(self) -> np.ndarray:
        return self.edge_t1 - self.edge_t0

    @property
    def edge_row(self) -> np.ndarray:
        """For each edge, the position of its feature in the source frame."""
        return self.line_row[self.edge_line]

    def degree(self) -> np.ndarray:
        """Number of edge ends at each node."""
        return np.bincount(
            np.concatenate([self.edge_u, self.edge_v]), minlength=self.n_nodes
        )

    def matrix(self, weight=None, mask=None) -> sparse.csr_matrix:
        """Symmetric adjacency matrix; parallel edges keep their smallest weight."""
        if weight is None and mask is None:
            if self._lengths is None:
                self._lengths = self.matrix(self.edge_length)
            return self._lengths
        w = self.edge_length if weight is None else np.asarray(weight, dtype=float)
        u, v = self.edge_u, self.edge_v
        if mask is not None:
            u, v, w = u[mask], v[mask], w[mask]
        w = np.maximum(w, 1e-9)
        keep = _min_per_pair(u, v, w)
        u, v, w = u[keep], v[keep], w[keep]
        n = self.n_nodes
        rows, cols = np.concatenate([u, v]), np.concatenate([v, u])
        return sparse.csr_matrix((np.concatenate([w, w]), (rows, cols)), shape=(n, n))

    def components(self) -> tuple[int, np.ndarray]:
        """``(count, label per node)`` of the connected parts of the network."""
        if self._components is None:
            used = np.zeros(self.n_nodes, bool)
            used[self.edge_u] = used[self.edge_v] = True
            n = self.n_nodes
            graph = sparse.coo_matrix(
                (np.ones(self.n_edges), (self.edge_u, self.edge_v)), shape=(n, n)
            )
            count, labels = connected_components(graph, directed=False)
            labels = _renumber(labels, used)
            self._components = (int(labels.max()) + 1 if used.any() else 0, labels)
        return self._components

    def line_components(self) -> list[set]:
        """The source labels of the lines in each component, largest first."""
        _, labels = self.components()
        comp_of_edge = labels[self.edge_u]
        groups: dict[int, set] = {}
        for comp, line in zip(comp_of_edge, self.edge_line, strict=True):
            groups.setdefault(int(comp), set()).add(self.line_labels[line])
        return sorted(groups.values(), key=lambda s: (-len(s), sorted(map(str, s))))

    def edge_at(self, line: np.ndarray, t: np.ndarray) -> np.ndarray:
        """The edge of each ``line`` covering position ``t`` (-1 when trimmed away)."""
        if not self.n_edges:
            return np.full(len(line), -1)
        span = float(self.edge_t1.max()) + 1.0
        key = self.edge_line * span + self.edge_t0
        order = np.argsort(key)
        pos = np.searchsorted(key[order], np.asarray(line) * span + t, side="right") - 1
        edge = order[np.clip(pos, 0, len(order) - 1)]
        return np.where(self.edge_line[edge] == line, edge, -1)

    def edge_points(self, where: np.ndarray, edges=None) -> np.ndarray:
        """Points along edges: ``where`` is 0 at ``edge_u``'s end, 1 at ``edge_v``'s."""
        e = np.arange(self.n_edges) if edges is None else np.asarray(edges)
        t = self.edge_t0[e] + np.asarray(where) * (self.edge_t1[e] - self.edge_t0[e])
        return shapely.line_interpolate_point(self.lines[self.edge_line[e]], t)


def _renumber(labels: np.ndarray, used: np.ndarray) -> np.ndarray:
    """Component labels 0..k-1 for nodes with edges, -1 for isolated nodes."""
    out = np.full(len(labels), -1, dtype=np.int64)
    uniq, inverse = np.unique(labels[used], return_inverse=True)
    out[used] = inverse
    return out


def _min_per_pair(u, v, w) -> np.ndarray:
    """Indices of the lightest edge for each unordered node pair."""
    n = np.int64(max(int(u.max()), int(v.max())) + 1) if len(u) else np.int64(1)
    key = np.minimum(u, v).astype(np.int64) * n + np.maximum(u, v)
    order = np.lexsort((w, key))
    k = key[order]
    first = np.ones(len(order), bool)
    first[1:] = k[1:] != k[:-1]
    return order[first]


def explode_lines(geoms) -> tuple[np.ndarray, np.ndarray]:
    """Single lines with at least two distinct points and their source positions."""
    geoms = np.asarray(geoms, dtype=object)
    parts, rows = shapely.get_parts(geoms, return_index=True)
    ok = shapely.get_type_id(parts) == 1
    ok &= shapely.length(parts) > 0
    return parts[ok], rows[ok]


def build_network(
    geoms, level=None, tolerance: float = 2.0, labels=None
) -> RoadNetwork:
    """Build the road graph from lines in a metric CRS.

    Parameters
    ----------
    geoms : array-like of LineString or MultiLineString
        Road geometries in metres (``Layer.projected(project.metric_crs)``).
    level : array-like of int, optional
        Grade level per feature (0 ground, 1 bridge or viaduct); missing means 0.
    tolerance : float
        Snapping tolerance in metres.
    labels : array-like, optional
        How edits name each feature (its route code); positions by default.

    Returns
    -------
    RoadNetwork
    """
    geoms = np.asarray(geoms, dtype=object)
    n_rows = len(geoms)
    if level is None:
        level = np.zeros(n_rows, dtype=np.int64)
    level = np.asarray(pd.Series(level).fillna(0).astype("int64"))
    if labels is None:
        labels = np.arange(n_rows)
    labels = np.asarray(labels, dtype=object)

    edits = _Edits(labels)
    lines, rows = explode_lines(geoms)
    if not len(lines):
        return _empty(tolerance, labels)
    edits.rows_of_lines = rows
    meet = meetings(lines, level[rows], pad=tolerance)
    keep = _drop_covered(lines, meet, tolerance, edits)
    lines, rows, meet = _subset(lines, rows, meet, keep)
    edits.rows_of_lines = rows
    line_level = level[rows]
    lengths = shapely.length(lines)
    ends_xy = _end_coords(lines)

    on_a, on_b, (over_ends, over_pts, over_t) = _crossings(
        meet, lengths, ends_xy, tolerance, edits
    )
    snap_ends, snap_pts = _end_snaps(meet.near, ends_xy, tolerance, over_ends, edits)
    snaps = (
        np.concatenate([over_ends, snap_ends]),
        _Points(
            np.concatenate([over_pts.line, snap_pts.line]),
            np.concatenate([over_pts.t, snap_pts.t]),
            np.concatenate([over_pts.xy, snap_pts.xy]),
        ),
    )
    # An overshooting end is cut back to the crossing it ran past.
    end_t = np.column_stack([np.zeros(len(lines)), lengths]).ravel()
    end_t[over_ends] = over_t
    net = _assemble(
        lines, rows, line_level, end_t, ends_xy, (on_a, on_b), snaps, tolerance, edits
    )
    net.line_labels = labels[rows]
    _trim_overshoots(net, edits)
    _drop_duplicates(net, edits)
    net.edits = edits.frame()
    log.debug(
        "road network: %d lines, %d nodes, %d edges, %d edits",
        len(lines),
        net.n_nodes,
        net.n_edges,
        len(net.edits),
    )
    return net


def _empty(tolerance: float, labels) -> RoadNetwork:
    none = np.empty(0, dtype=np.int64)
    return RoadNetwork(
        lines=np.empty(0, dtype=object),
        line_row=none,
        line_level=none,
        node_xy=np.empty((0, 2)),
        edge_u=none,
        edge_v=none,
        edge_line=none,
        edge_t0=np.empty(0),
        edge_t1=np.empty(0),
        tolerance=tolerance,
        edits=pd.DataFrame(columns=EDIT_COLUMNS),
        line_labels=np.empty(0, dtype=object),
    )


def _drop_covered(lines, meet: Meetings, tol: float, edits) -> np.ndarray:
    """Lines to keep: a line lying wholly along another was drawn twice.

    Lines sharing a shorter stretch are reported as overlaps and kept.
    """
    lengths = shapely.length(lines)
    a, b, shared = meet.shared_a, meet.shared_b, meet.shared_len
    covers_b = shared >= lengths[b] - 1e-6
    covers_a = shared >= lengths[a] - 1e-6
    drop = np.zeros(len(lines), bool)
    # Of two equal lines the later goes; a line inside a longer one goes.
    for k in np.flatnonzero(covers_a | covers_b):
        gone = b[k] if covers_b[k] else a[k]
        other = a[k] if gone == b[k] else b[k]
        if drop[other] or drop[gone]:
            continue
        drop[gone] = True
        edits.add_many(
            "duplicate",
            [gone],
            [other],
            meet.shared_xy[[k]],
            [shared[k]],
            "删除重复绘制的线段",
        )
    partial = ~(covers_a | covers_b) & (shared > tol)
    partial &= ~(drop[a] | drop[b])
    if partial.any():
        edits.add_many(
            "overlap",
            b[partial],
            a[partial],
            meet.shared_xy[partial],
            shared[partial],
            [f"删除与相邻道路重叠的 {x:.1f} 米" for x in shared[partial]],
        )
    return ~drop


def _subset(lines, rows, meet: Meetings, keep: np.ndarray):
    """Lines, rows and meetings without the dropped lines, renumbered."""
    if keep.all():
        return lines, rows, meet
    new = np.cumsum(keep) - 1
    ok = keep[meet.line_a] & keep[meet.line_b]
    near = meet.near
    ok_near = keep[near.end // 2] & keep[near.line]
    near = NearEnds(
        2 * new[near.end[ok_near] // 2] + near.end[ok_near] % 2,
        new[near.line[ok_near]],
        near.distance[ok_near],
        near.t[ok_near],
        near.xy[ok_near],
    )
    meet = Meetings(
        new[meet.line_a[ok]],
        meet.t_a[ok],
        new[meet.line_b[ok]],
        meet.t_b[ok],
        meet.xy[ok],
        meet.shared_a,
        meet.shared_b,
        meet.shared_len,
        meet.shared_xy,
        near,
    )
    return lines[keep], rows[keep], meet


def _end_coords(lines: np.ndarray) -> np.ndarray:
    """Start and end point of each line: rows 2i (start) and 2i+1 (end)."""
    coords, idx = shapely.get_coordinates(lines, return_index=True)
    first = np.searchsorted(idx, np.arange(len(lines)), side="left")
    last = np.searchsorted(idx, np.arange(len(lines)), side="right") - 1
    out = np.empty((2 * len(lines), 2))
    out[0::2] = coords[first]
    out[1::2] = coords[last]
    return out


EDIT_COLUMNS = [
    "kind",
    "kind_zh",
    "road",
    "other_road",
    "x",
    "y",
    "distance_m",
    "action",
]


class _Edits:
    """Collects repairs, a batch of rows at a time."""

    def __init__(self, labels):
        self.labels = labels
        self.rows_of_lines = np.arange(len(labels))
        self.parts: list[pd.DataFrame] = []

    def _label(self, lines) -> np.ndarray:
        lines = np.asarray(lines)
        out = np.full(len(lines), None, dtype=object)
        ok = lines >= 0
        out[ok] = self.labels[self.rows_of_lines[lines[ok].astype(int)]]
        return out

    def add_many(self, kind, lines, others, xy, distance, action) -> None:
        """Rows of one kind; ``others`` may be None or -1 where there is none."""
        lines = np.asarray(lines, dtype=int)
        if not len(lines):
            return
        others = np.full(len(lines), -1) if others is None else np.asarray(others, int)
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self.parts.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "kind_zh": EDIT_ZH[kind],
                    "road": self._label(lines),
                    "other_road": self._label(others),
                    "x": xy[:, 0],
                    "y": xy[:, 1],
                    "distance_m": np.round(np.asarray(distance, float), 3),
                    "action": action,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=EDIT_COLUMNS)
        frame = pd.concat(self.parts, ignore_index=True)[EDIT_COLUMNS]
        # Parts of one multi-part feature can need the same repair at one place.
        key = frame[["kind", "road", "other_road"]].astype(str)
        key["x"], key["y"] = frame["x"].round(2), frame["y"].round(2)
        return frame[~key.duplicated()].reset_index(drop=True)


@dataclass
class _Points:
    """Node candidates on lines: line, position along it, coordinates."""

    line: np.ndarray
    t: np.ndarray
    xy: np.ndarray


def _no_points() -> _Points:
    return _Points(np.empty(0, int), np.empty(0), np.empty((0, 2)))


def _crossings(meet: Meetings, lengths, ends_xy, tol, edits):
    """Same-level crossings without a shared vertex.

    Returns paired split points on both lines for true crossings, and for a line
    end that runs at most ``tol`` past the other line (an overshoot), the end
    index with the point on the other line it is cut back to. Meetings at a
    line's own end are left to end snapping.
    """
    la, ta, lb, tb, xy = meet.line_a, meet.t_a, meet.line_b, meet.t_b, meet.xy
    len_a, len_b = lengths[la], lengths[lb]
    at_end = (np.minimum(ta, len_a - ta) <= 1e-6) | (np.minimum(tb, len_b - tb) <= 1e-6)
    la, ta, lb, tb, xy = la[~at_end], ta[~at_end], lb[~at_end], tb[~at_end], xy[~at_end]
    end_a = _near_end(la, ta, lengths[la], tol)
    end_b = _near_end(lb, tb, lengths[lb], tol)
    plain = (end_a < 0) & (end_b < 0)
    edits.add_many(
        "crossing",
        la[plain],
        lb[plain],
        xy[plain],
        np.zeros(int(plain.sum())),
        "在交叉点打断两条道路并连接",
    )
    over_ends, over_line, over_t, over_xy, over_own = [], [], [], [], []
    for ends, other_line, other_t, own_t in (
        (end_a, lb, tb, ta),
        (end_b, la, ta, tb),
    ):
        hit = np.flatnonzero(ends >= 0)
        d = np.hypot(*(ends_xy[ends[hit]] - xy[hit]).T)
        edits.add_many(
            "overshoot",
            ends[hit] // 2,
            other_line[hit],
            xy[hit],
            d,
            [f"剪去超出相交道路的 {x:.2f} 米并在交点打断该路" for x in d],
        )
        over_ends.append(ends[hit])
        over_line.append(other_line[hit])
        over_t.append(other_t[hit])
        over_xy.append(xy[hit])
        over_own.append(own_t[hit])
    overshoots = (
        np.concatenate(over_ends),
        _Points(
            np.concatenate(over_line), np.concatenate(over_t), np.concatenate(over_xy)
        ),
        np.concatenate(over_own),
    )
    full = (
        _Points(la[plain], ta[plain], xy[plain]),
        _Points(lb[plain], tb[plain], xy[plain]),
    )
    return full[0], full[1], overshoots


def _near_end(line, t, length, tol) -> np.ndarray:
    """The end index (2·line or 2·line+1) within ``tol`` of position ``t``, else -1."""
    out = np.full(len(line), -1, dtype=np.int64)
    out[t <= tol] = 2 * line[t <= tol]
    at_end = (length - t <= tol) & (out < 0)
    out[at_end] = 2 * line[at_end] + 1
    return out


def _end_snaps(near: NearEnds, ends_xy, tol, done, edits):
    """Line ends that touch or nearly touch another line of the same level.

    Returns the end indices and the points they snap to on the other lines. Ends
    close to one of the other line's own ends are left to node merging; ends in
    ``done`` were already cut back as overshoots.
    """
    pi, li, dist, t, xy = near.end, near.line, near.distance, near.t, near.xy
    keep = ~np.isin(pi, done)
    pi, li, dist, t, xy = pi[keep], li[keep], dist[keep], t[keep], xy[keep]
    d_start = np.hypot(*(ends_xy[pi] - ends_xy[2 * li]).T)
    d_end = np.hypot(*(ends_xy[pi] - ends_xy[2 * li + 1]).T)
    keep = np.minimum(d_start, d_end) > tol
    pi, li, dist, t, xy = pi[keep], li[keep], dist[keep], t[keep], xy[keep]
    order = np.lexsort((dist, pi))
    first = np.ones(len(order), bool)
    first[1:] = pi[order][1:] != pi[order][:-1]
    k = order[first]
    pi, li, dist, t, xy = pi[k], li[k], dist[k], t[k], xy[k]
    under = dist > 1e-3
    edits.add_many(
        "undershoot",
        pi[under] // 2,
        li[under],
        xy[under],
        dist[under],
        [f"延长至相邻道路({x:.2f} 米)并在接点打断该路" for x in dist[under]],
    )
    edits.add_many(
        "tjunction",
        pi[~under] // 2,
        li[~under],
        xy[~under],
        dist[~under],
        "在接点打断该路",
    )
    return pi, _Points(li, t, xy)


def _assemble(lines, rows, level, end_t, ends_xy, cross, snaps, tol, edits):
    """Cluster node candidates into nodes and cut each line into edges."""
    n = len(lines)
    snap_ends, snap_pts = snaps
    on_a, on_b = cross
    line = np.concatenate(
        [np.repeat(np.arange(n), 2), snap_pts.line, on_a.line, on_b.line]
    )
    t = np.concatenate([end_t, snap_pts.t, on_a.t, on_b.t])
    xy = np.concatenate([ends_xy, snap_pts.xy, on_a.xy, on_b.xy])
    kind = np.concatenate(
        [np.tile([START, END], n), np.full(len(snap_pts.t) + 2 * len(on_a.t), SPLIT)]
    )
    m_snap, m_cross = len(snap_pts.t), len(on_a.t)
    base_snap, base_cross = 2 * n, 2 * n + m_snap
    pair_i = [snap_ends, base_cross + np.arange(m_cross)]
    pair_j = [base_snap + np.arange(m_snap), base_cross + m_cross + np.arange(m_cross)]

    close_i, close_j = _close_pairs(xy, line, level, kind, tol, edits)
    pair_i.append(close_i)
    pair_j.append(close_j)
    i, j = np.concatenate(pair_i), np.concatenate(pair_j)
    total = len(xy)
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(total, total))
    _, node = connected_components(graph, directed=False)
    # A node sits where its repair put it: on the line split, else between the ends.
    weight = np.where(kind == SPLIT, 1000.0, 1.0)
    node_xy = np.zeros((node.max() + 1, 2))
    np.add.at(node_xy, node, xy * weight[:, None])
    node_xy /= np.bincount(node, weights=weight)[:, None]

    order = np.lexsort((t, line))
    line_s, t_s, node_s = line[order], t[order], node[order]
    same_line = line_s[1:] == line_s[:-1]
    e_line = line_s[:-1][same_line]
    e_t0, e_t1 = t_s[:-1][same_line], t_s[1:][same_line]
    e_u, e_v = node_s[:-1][same_line], node_s[1:][same_line]
    loop = e_u == e_v
    short = loop & (e_t1 - e_t0 > tol)
    edits.add_many(
        "short",
        e_line[short],
        None,
        node_xy[e_u[short]],
        (e_t1 - e_t0)[short],
        "首尾相接的线段不参与连通",
    )
    keep = ~loop
    return RoadNetwork(
        lines=lines,
        line_row=rows,
        line_level=level,
        node_xy=node_xy,
        edge_u=e_u[keep],
        edge_v=e_v[keep],
        edge_line=e_line[keep],
        edge_t0=e_t0[keep],
        edge_t1=e_t1[keep],
        tolerance=tol,
        edits=pd.DataFrame(),
    )


def _close_pairs(xy, line, level, kind, tol, edits):
    """Node candidates within ``tol``: ends meet anything; splits meet their level."""
    from scipy.spatial import cKDTree

    tree = cKDTree(xy, balanced_tree=False, compact_nodes=False)
    pairs = tree.query_pairs(tol, output_type="ndarray")
    if not len(pairs):
        return np.empty(0, int), np.empty(0, int)
    i, j = pairs[:, 0], pairs[:, 1]
    is_end_i, is_end_j = kind[i] != SPLIT, kind[j] != SPLIT
    ok = is_end_i | is_end_j | (level[line[i]] == level[line[j]])
    i, j = i[ok], j[ok]
    dist = np.hypot(*(xy[i] - xy[j]).T)
    report = (
        (kind[i] != SPLIT) & (kind[j] != SPLIT) & (line[i] != line[j]) & (dist > 1e-6)
    )
    mid = (xy[i[report]] + xy[j[report]]) / 2
    edits.add_many(
        "node_merge",
        line[i[report]],
        line[j[report]],
        mid,
        dist[report],
        [f"合并相距 {d:.2f} 米的端点" for d in dist[report]],
    )
    return i, j


def _trim_overshoots(net: RoadNetwork, edits: _Edits) -> None:
    """Drop dangling pieces no longer than the tolerance past a junction."""
    while True:
        deg = net.degree()
        length = net.edge_length
        du, dv = deg[net.edge_u], deg[net.edge_v]
        stub = (length <= net.tolerance) & (
            ((du == 1) & (dv >= 3)) | ((dv == 1) & (du >= 3))
        )
        if not stub.any():
            return
        free = np.where(du[stub] == 1, net.edge_u[stub], net.edge_v[stub])
        edits.add_many(
            "overshoot",
            net.edge_line[stub],
            None,
            net.node_xy[free],
            length[stub],
            [f"剪去超出路口的 {x:.2f} 米" for x in length[stub]],
        )
        _keep_edges(net, ~stub)


def _keep_edges(net: RoadNetwork, keep: np.ndarray) -> None:
    for name in ("edge_u", "edge_v", "edge_line", "edge_t0", "edge_t1"):
        setattr(net, name, getattr(net, name)[keep])
    net._components = None
    net._lengths = None


def _drop_duplicates(net: RoadNetwork, edits: _Edits) -> None:
    """Keep one of two edges that join the same nodes along the same course."""
    a, b = np.minimum(net.edge_u, net.edge_v), np.maximum(net.edge_u, net.edge_v)
    length = net.edge_length
    order = np.lexsort((b, a))
    first, second = order[:-1], order[1:]
    cand = (a[first] == a[second]) & (b[first] == b[second])
    cand &= net.edge_line[first] != net.edge_line[second]
    cand &= np.abs(length[first] - length[second]) <= net.tolerance
    e1, e2 = first[cand], second[cand]
    same = _same_course(net, e1, e2)
    e1, e2 = e1[same], e2[same]
    # Of a run of parallel copies keep the first; drop each copy once.
    drop = np.zeros(net.n_edges, bool)
    drop[e2] = True
    drop[e1] = False
    if not drop.any():
        return
    keep_of = {
        int(e2): int(e1) for e1, e2 in zip(first[cand], second[cand], strict=True)
    }
    gone = np.flatnonzero(drop)
    edits.add_many(
        "duplicate",
        net.edge_line[gone],
        net.edge_line[[keep_of[int(g)] for g in gone]],
        net.node_xy[net.edge_u[gone]],
        length[gone],
        "删除重复绘制的线段",
    )
    _keep_edges(net, ~drop)


def _same_course(net: RoadNetwork, e1: np.ndarray, e2: np.ndarray) -> np.ndarray:
    """Whether two edges between the same nodes stay within the tolerance.

    Compared at a quarter, half and three quarters of the way, walking both
    from the same node.
    """
    out = np.ones(len(e1), bool)
    flip = net.edge_u[e1] != net.edge_u[e2]
    for f in (0.25, 0.5, 0.75):
        p1 = shapely.get_coordinates(net.edge_points(np.full(len(e1), f), e1))
        p2 = shapely.get_coordinates(net.edge_points(np.where(flip, 1 - f, f), e2))
        out &= np.hypot(*(p1 - p2).T) <= net.tolerance
    return out

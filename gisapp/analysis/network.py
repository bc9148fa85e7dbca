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
            count, labels = connected_components(self.matrix(), directed=False)
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

    def edge_points(self, where: np.ndarray) -> np.ndarray:
        """Points along edges: ``where`` is 0 at ``edge_u``'s end, 1 at ``edge_v``'s."""
        t = self.edge_t0 + np.asarray(where) * (self.edge_t1 - self.edge_t0)
        return shapely.line_interpolate_point(self.lines[self.edge_line], t)


def _renumber(labels: np.ndarray, used: np.ndarray) -> np.ndarray:
    """Component labels 0..k-1 for nodes with edges, -1 for isolated nodes."""
    out = np.full(len(labels), -1, dtype=np.int64)
    uniq, inverse = np.unique(labels[used], return_inverse=True)
    out[used] = inverse
    return out


def _min_per_pair(u, v, w) -> np.ndarray:
    """Indices of the lightest edge for each unordered node pair."""
    a, b = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((w, b, a))
    a_s, b_s = a[order], b[order]
    first = np.ones(len(order), bool)
    first[1:] = (a_s[1:] != a_s[:-1]) | (b_s[1:] != b_s[:-1])
    return order[first]


def explode_lines(geoms) -> tuple[np.ndarray, np.ndarray]:
    """Single lines with at least two distinct points and their source positions."""
    geoms = np.asarray(geoms, dtype=object)
    parts, rows = shapely.get_parts(geoms, return_index=True)
    ok = shapely.get_type_id(parts) == 1
    ok &= shapely.length(parts) > 0
    return parts[ok], rows[ok]


def _drop_contained(lines, rows, level, edits):
    """Remove lines lying wholly on another line of the same level (drawn twice)."""
    lvl = level[rows]
    edits.rows_of_lines = rows
    a, b = shapely.STRtree(lines).query(lines, predicate="contains")
    keep = (a != b) & (lvl[a] == lvl[b])
    a, b = a[keep], b[keep]
    mutual = set(zip(a.tolist(), b.tolist(), strict=True))
    drop = np.zeros(len(lines), bool)
    for big, small in zip(a.tolist(), b.tolist(), strict=True):
        if drop[big] or ((small, big) in mutual and small < big):
            continue
        drop[small] = True
        x, y = shapely.get_coordinates(shapely.point_on_surface(lines[small]))[0]
        length = shapely.length(lines[small])
        edits.add("duplicate", small, big, x, y, length, "删除重复绘制的线段")
    return lines[~drop], rows[~drop]


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
    lines, rows = _drop_contained(lines, rows, level, edits)
    line_level = level[rows]
    lengths = shapely.length(lines)
    ends_xy = _end_coords(lines)
    edits.rows_of_lines = rows

    tree = shapely.STRtree(lines)
    on_a, on_b, (over_ends, over_pts, over_t) = _crossings(
        tree, lines, line_level, ends_xy, tolerance, edits
    )
    snap_ends, snap_pts = _end_snaps(
        tree, lines, line_level, ends_xy, tolerance, set(over_ends.tolist()), edits
    )
    snaps = (
        np.concatenate([over_ends, snap_ends]),
        _Points(
            np.concatenate([over_pts.line, snap_pts.line]),
            np.concatenate([over_pts.t, snap_pts.t]),
            np.concatenate([over_pts.xy, snap_pts.xy]),
        ),
    )
    cross = (on_a, on_b)
    # An overshooting end is cut back to the crossing it ran past.
    end_t = np.column_stack([np.zeros(len(lines)), lengths]).ravel()
    end_t[over_ends] = over_t
    net = _assemble(
        lines, rows, line_level, end_t, ends_xy, cross, snaps, tolerance, edits
    )
    net.line_labels = labels[rows]
    _trim_overshoots(net, edits)
    _drop_duplicates(net, edits)
    _report_overlaps(tree, lines, line_level, tolerance, edits)
    net.edits = edits.frame()
    log.debug(
        "road network: %d lines, %d nodes, %d edges, %d edits",
        len(lines),
        net.n_nodes,
        net.n_edges,
        len(net.edits),
    )
    return net


def _end_coords(lines: np.ndarray) -> np.ndarray:
    """Start and end point of each line: rows 2i (start) and 2i+1 (end)."""
    coords, idx = shapely.get_coordinates(lines, return_index=True)
    first = np.searchsorted(idx, np.arange(len(lines)), side="left")
    last = np.searchsorted(idx, np.arange(len(lines)), side="right") - 1
    out = np.empty((2 * len(lines), 2))
    out[0::2] = coords[first]
    out[1::2] = coords[last]
    return out


class _Edits:
    """Collects repairs as rows."""

    def __init__(self, labels):
        self.labels = labels
        self.rows_of_lines = np.arange(len(labels))
        self.rows: list[dict] = []

    def label(self, line):
        return None if line is None else self.labels[self.rows_of_lines[line]]

    def add(self, kind, line, other, x, y, distance, action):
        self.rows.append(
            {
                "kind": kind,
                "kind_zh": EDIT_ZH[kind],
                "road": self.label(line),
                "other_road": self.label(other),
                "x": float(x),
                "y": float(y),
                "distance_m": round(float(distance), 3),
                "action": action,
            }
        )

    def frame(self) -> pd.DataFrame:
        cols = [
            "kind",
            "kind_zh",
            "road",
            "other_road",
            "x",
            "y",
            "distance_m",
            "action",
        ]
        return pd.DataFrame(self.rows, columns=cols)


@dataclass
class _Points:
    """Node candidates on lines: line, position along it, coordinates."""

    line: np.ndarray
    t: np.ndarray
    xy: np.ndarray


def _crossings(tree, lines, level, ends_xy, tol, edits):
    """Same-level crossings without a shared vertex.

    Returns paired split points on both lines for true crossings, and for a line
    end that runs at most ``tol`` past the other line (an overshoot), the end
    index with the point on the other line it is cut back to.
    """
    a, b = tree.query(lines, predicate="crosses")
    keep = (a < b) & (level[a] == level[b])
    a, b = a[keep], b[keep]
    if not len(a):
        return _no_points(), _no_points(), (np.empty(0, int), _no_points(), np.empty(0))
    pts, which = shapely.get_parts(
        shapely.intersection(lines[a], lines[b]), return_index=True
    )
    is_point = shapely.get_type_id(pts) == 0
    pts, which = pts[is_point], which[is_point]
    la, lb = a[which], b[which]
    ta = shapely.line_locate_point(lines[la], pts)
    tb = shapely.line_locate_point(lines[lb], pts)
    xy = shapely.get_coordinates(pts)
    end_a = _near_end(la, ta, shapely.length(lines[la]), tol)
    end_b = _near_end(lb, tb, shapely.length(lines[lb]), tol)
    plain = (end_a < 0) & (end_b < 0)
    for i in np.flatnonzero(plain):
        edits.add("crossing", la[i], lb[i], *xy[i], 0.0, "在交叉点打断两条道路并连接")
    over_ends, over_pts, over_own_t = [], [], []
    for ends, other_line, other_t, own_t in ((end_a, lb, tb, ta), (end_b, la, ta, tb)):
        hit = np.flatnonzero(ends >= 0)
        over_own_t.append(own_t[hit])
        for i in hit:
            d = np.hypot(*(ends_xy[ends[i]] - xy[i]))
            action = f"剪去超出相交道路的 {d:.2f} 米并在交点打断该路"
            edits.add("overshoot", ends[i] // 2, other_line[i], *xy[i], d, action)
        over_ends.append(ends[hit])
        over_pts.append((other_line[hit], other_t[hit], xy[hit]))
    line_o = np.concatenate([p[0] for p in over_pts])
    t_o = np.concatenate([p[1] for p in over_pts])
    xy_o = np.concatenate([p[2] for p in over_pts])
    overshoots = (
        np.concatenate(over_ends),
        _Points(line_o, t_o, xy_o),
        np.concatenate(over_own_t),
    )
    full = (
        _Points(la[plain], ta[plain], xy[plain]),
        _Points(lb[plain], tb[plain], xy[plain]),
    )
    return full[0], full[1], overshoots


def _no_points() -> _Points:
    return _Points(np.empty(0, int), np.empty(0), np.empty((0, 2)))


def _near_end(line, t, length, tol) -> np.ndarray:
    """The end index (2·line or 2·line+1) within ``tol`` of position ``t``, else -1."""
    out = np.full(len(line), -1, dtype=np.int64)
    out[t <= tol] = 2 * line[t <= tol]
    at_end = (length - t <= tol) & (out < 0)
    out[at_end] = 2 * line[at_end] + 1
    return out


def _end_snaps(tree, lines, level, ends_xy, tol, done, edits):
    """Line ends that touch or nearly touch another line of the same level.

    Returns the end indices and the points they snap to on the other lines. Ends
    close to one of the other line's own ends are left to node merging; ends in
    ``done`` (end index, line) were already cut back as overshoots.
    """
    points = shapely.points(ends_xy)
    pi, li = tree.query(points, predicate="dwithin", distance=tol)
    own = pi // 2
    keep = (li != own) & (level[li] == level[own])
    pi, li = pi[keep], li[keep]
    d_start = np.hypot(*(ends_xy[pi] - ends_xy[2 * li]).T)
    d_end = np.hypot(*(ends_xy[pi] - ends_xy[2 * li + 1]).T)
    keep = np.minimum(d_start, d_end) > tol
    pi, li = pi[keep], li[keep]
    if not len(pi):
        return np.empty(0, int), _no_points()
    dist = shapely.distance(points[pi], lines[li])
    order = np.lexsort((dist, pi))
    first = np.ones(len(order), bool)
    first[1:] = pi[order][1:] != pi[order][:-1]
    pi, li, dist = pi[order][first], li[order][first], dist[order][first]
    handled = np.isin(pi, list(done)) if done else np.zeros(len(pi), bool)
    pi, li, dist = pi[~handled], li[~handled], dist[~handled]
    t = shapely.line_locate_point(lines[li], points[pi])
    xy = shapely.get_coordinates(shapely.line_interpolate_point(lines[li], t))
    for i in range(len(pi)):
        if dist[i] > 1e-3:
            action = f"延长至相邻道路({dist[i]:.2f} 米)并在接点打断该路"
            edits.add("undershoot", pi[i] // 2, li[i], *xy[i], dist[i], action)
        else:
            edits.add("tjunction", pi[i] // 2, li[i], *xy[i], dist[i], "在接点打断该路")
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
    for k in np.flatnonzero(loop & (e_t1 - e_t0 > tol)):
        x, y = node_xy[e_u[k]]
        edits.add(
            "short",
            e_line[k],
            None,
            x,
            y,
            e_t1[k] - e_t0[k],
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

    pairs = cKDTree(xy).query_pairs(tol, output_type="ndarray")
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
    for k in np.flatnonzero(report):
        a, b = i[k], j[k]
        mid = (xy[a] + xy[b]) / 2
        edits.add(
            "node_merge",
            line[a],
            line[b],
            *mid,
            dist[k],
            f"合并相距 {dist[k]:.2f} 米的端点",
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
        for k in np.flatnonzero(stub):
            free = net.edge_u[k] if du[k] == 1 else net.edge_v[k]
            x, y = net.node_xy[free]
            edits.add(
                "overshoot",
                net.edge_line[k],
                None,
                x,
                y,
                length[k],
                f"剪去超出路口的 {length[k]:.2f} 米",
            )
        _keep_edges(net, ~stub)


def _keep_edges(net: RoadNetwork, keep: np.ndarray) -> None:
    for name in ("edge_u", "edge_v", "edge_line", "edge_t0", "edge_t1"):
        setattr(net, name, getattr(net, name)[keep])
    net._components = None


def _drop_duplicates(net: RoadNetwork, edits: _Edits) -> None:
    """Keep one of two edges that join the same nodes along the same course."""
    a, b = np.minimum(net.edge_u, net.edge_v), np.maximum(net.edge_u, net.edge_v)
    order = np.lexsort((b, a))
    same = (a[order][1:] == a[order][:-1]) & (b[order][1:] == b[order][:-1])
    if not same.any():
        return
    drop = np.zeros(net.n_edges, bool)
    for k in np.flatnonzero(same):
        first, second = order[k], order[k + 1]
        if drop[first] or net.edge_line[first] == net.edge_line[second]:
            continue
        if _same_course(net, first, second):
            drop[second] = True
            x, y = net.node_xy[net.edge_u[second]]
            edits.add(
                "duplicate",
                net.edge_line[second],
                net.edge_line[first],
                x,
                y,
                net.edge_length[second],
                "删除重复绘制的线段",
            )
    _keep_edges(net, ~drop)


def _same_course(net: RoadNetwork, e1: int, e2: int) -> bool:
    from shapely.ops import substring

    g1 = substring(net.lines[net.edge_line[e1]], net.edge_t0[e1], net.edge_t1[e1])
    g2 = substring(net.lines[net.edge_line[e2]], net.edge_t0[e2], net.edge_t1[e2])
    return shapely.hausdorff_distance(g1, g2) <= net.tolerance


def _report_overlaps(tree, lines, level, tol, edits) -> None:
    """Lines of one level sharing a stretch longer than the tolerance."""
    a, b = tree.query(lines, predicate="overlaps")
    keep = (a < b) & (level[a] == level[b])
    a, b = a[keep], b[keep]
    if not len(a):
        return
    shared = shapely.intersection(lines[a], lines[b])
    length = shapely.length(shared)
    where = shapely.get_coordinates(shapely.point_on_surface(shared))
    for k in np.flatnonzero(length > tol):
        edits.add(
            "overlap",
            b[k],
            a[k],
            *where[k],
            length[k],
            f"删除与相邻道路重叠的 {length[k]:.1f} 米",
        )

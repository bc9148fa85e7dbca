"""What changed between two periods: who left the list, who came back, what was built.

Villages and townships leave the list (脱贫即出) and return to it on falling back
(返贫纳入); roads get hardened, bridges repaired, water and power brought, houses
rebuilt, households moved. Each change is one row, so the app can map and list it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from gisapp.model.periods import Period

HARDENED = ("asphalt", "cement")
DANGEROUS_CLASSES = (4, 5)

CHANGE_ZH = {
    "village_exited": "贫困村销号",
    "village_returned": "返贫重新纳入",
    "township_exited": "贫困乡镇摘帽",
    "township_returned": "乡镇重新纳入",
    "road_hardened": "道路硬化",
    "bridge_repaired": "危桥改造",
    "water_completed": "安全饮水达标",
    "power_living_done": "生活用电改造完成",
    "power_production_done": "生产用电改造完成",
    "houses_rebuilt": "危房改造",
    "households_relocated": "易地搬迁",
}


@dataclass
class Transitions:
    """Changes from period ``before`` to period ``after``, one row per change."""

    before: str
    after: str
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)

    def of(self, change: str) -> pd.DataFrame:
        return self.changes[self.changes["change"] == change]

    def count(self, change: str) -> int:
        return int((self.changes["change"] == change).sum())

    def counts(self) -> dict[str, int]:
        return {c: self.count(c) for c in CHANGE_ZH}

    def table_zh(self) -> pd.DataFrame:
        """The changes with Chinese headings, for the app and Excel."""
        out = self.changes.copy()
        out["变化"] = out["change"].map(CHANGE_ZH)
        return out.rename(
            columns={
                "key": "代码/序号",
                "name": "名称",
                "township": "乡镇",
                "amount": "数量",
            }
        )[["变化", "代码/序号", "名称", "乡镇", "数量"]]


def _flag(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame:
        return pd.Series(False, index=frame.index)
    return frame[col].astype("boolean").fillna(False).astype(bool)


def _listed(frame: pd.DataFrame) -> pd.Series:
    """On the poverty list at that period: registered poor and not exited."""
    return _flag(frame, "is_poor") & ~_flag(frame, "exited")


def _rows(change: str, frame: pd.DataFrame, index, amount=None) -> pd.DataFrame:
    index = pd.Index(index)
    sub = frame.reindex(index)
    return pd.DataFrame(
        {
            "change": change,
            "key": [str(k) for k in index],
            "name": sub["name"].tolist() if "name" in sub else [None] * len(index),
            "township": sub["township"].tolist()
            if "township" in sub
            else [None] * len(index),
            "amount": (1 if amount is None else amount.reindex(index).tolist()),
        }
    )


def _listing_changes(kind: str, a: pd.DataFrame, b: pd.DataFrame) -> list[pd.DataFrame]:
    if "is_poor" in b:
        # A period that does not say who is poor (the layers before any list) takes
        # the registration of the later one.
        known = a["is_poor"] if "is_poor" in a else pd.Series(pd.NA, index=a.index)
        later = b["is_poor"].reindex(a.index).astype("boolean")
        a = a.assign(is_poor=known.astype("boolean").fillna(later))
    keys = a.index.intersection(b.index)
    on_a, on_b = _listed(a).reindex(keys), _listed(b).reindex(keys)
    exited_a, exited_b = (
        _flag(a, "exited").reindex(keys),
        _flag(b, "exited").reindex(keys),
    )
    left = keys[on_a & ~on_b & exited_b]
    back = keys[~on_a & on_b & (exited_a | ~_flag(a, "is_poor").reindex(keys))]
    return [_rows(f"{kind}_exited", b, left), _rows(f"{kind}_returned", b, back)]


def _became(a: pd.DataFrame, b: pd.DataFrame, col: str, test) -> pd.Index:
    if col not in a or col not in b:
        return pd.Index([])
    keys = a.index.intersection(b.index)
    was = test(a[col].reindex(keys))
    now = test(b[col].reindex(keys))
    return keys[(~was & now).to_numpy()]


def _increase(a: pd.DataFrame, b: pd.DataFrame, col: str) -> pd.Series:
    if col not in a or col not in b:
        return pd.Series(dtype=float)
    keys = a.index.intersection(b.index)
    before = pd.to_numeric(a[col].reindex(keys), errors="coerce").fillna(0)
    after = pd.to_numeric(b[col].reindex(keys), errors="coerce").fillna(0)
    delta = after - before
    return delta[delta > 0]


def transitions(
    before: Period,
    after: Period,
    hardened=HARDENED,
    dangerous=DANGEROUS_CLASSES,
    water_target_pct: float = 100.0,
) -> Transitions:
    """Every change from one period to another, as rows of (change, key, name, …)."""
    parts: list[pd.DataFrame] = []
    va, vb = before.state("village"), after.state("village")
    ta, tb = before.state("township"), after.state("township")
    if not va.empty:
        parts += _listing_changes("village", va, vb)
        water = _became(
            va,
            vb,
            "safe_water_pct",
            lambda s: pd.to_numeric(s, errors="coerce") >= water_target_pct,
        )
        parts.append(_rows("water_completed", vb, water))
        for col, change in (
            ("power_living_upgraded", "power_living_done"),
            ("power_production_upgraded", "power_production_done"),
        ):
            done = _became(
                va, vb, col, lambda s: s.astype("boolean").fillna(False).astype(bool)
            )
            parts.append(_rows(change, vb, done))
        for col, change in (
            ("houses_rebuilt", "houses_rebuilt"),
            ("relocated_households", "households_relocated"),
        ):
            delta = _increase(va, vb, col)
            parts.append(_rows(change, vb, delta.index, delta))
    if not ta.empty:
        parts += _listing_changes("township", ta, tb)
    ra, rb = before.state("road"), after.state("road")
    if not ra.empty:
        hard = _became(ra, rb, "surface", lambda s: s.isin(list(hardened)))
        parts.append(_rows("road_hardened", rb, hard))
    ba, bb = before.state("bridge"), after.state("bridge")
    if not ba.empty:
        safe = _became(
            ba,
            bb,
            "condition_class",
            lambda s: ~pd.to_numeric(s, errors="coerce").isin(list(dangerous)),
        )
        parts.append(_rows("bridge_repaired", bb, safe))
    parts = [p for p in parts if not p.empty]
    columns = ["change", "key", "name", "township", "amount"]
    changes = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    )
    return Transitions(before.name, after.name, changes)

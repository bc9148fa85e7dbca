"""The state of a project's places per period (year or quarter).

A period holds the attributes of every keyed layer (villages by code, townships by
code, roads and bridges by row) as they stood then. A new period starts as a copy of
the one before and is changed by an office list joined by code, or by edits; earlier
periods are never changed (脱贫即出、返贫纳入 is read by comparing two periods).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

import pandas as pd

from gisapp.data.fields import normalise_code
from gisapp.errors import ProjectError
from gisapp.model.kinds import get_kind

log = logging.getLogger(__name__)

_PERIOD = re.compile(r"^(?P<year>(19|20)\d\d)(?:\s*[Qq季](?P<q>[1-4]))?$")


def parse_period(name: str) -> tuple[int, int | None]:
    """Year and quarter of a period name such as "2016" or "2016Q3"."""
    match = _PERIOD.match(str(name).strip())
    if not match:
        raise ProjectError(
            "a period name must be a year or a year and quarter",
            value=name,
            fix='write it as "2016" or "2016Q3"',
        )
    quarter = match.group("q")
    return int(match.group("year")), int(quarter) if quarter else None


def segment_keys(frame: pd.DataFrame, kind_id: str) -> pd.Series | None:
    """Route code and start chainage ("Y001+2.350"), as road lists name segments.

    None when the kind has no chainage or a row lacks its code or chainage.
    """
    key = get_kind(kind_id).key
    if key not in frame or "start_km" not in frame:
        return None
    codes = frame[key].map(normalise_code)
    km = pd.to_numeric(frame["start_km"], errors="coerce")
    if codes.isna().any() or km.isna().any():
        return None
    return codes.astype(str) + "+" + km.map("{:.3f}".format)


def state_key(frame: pd.DataFrame, kind_id: str) -> pd.Index:
    """The key rows of a layer are matched by across periods.

    The kind's key field when it is filled and unique (village and township codes),
    else route code and start chainage when those are unique (road segments),
    otherwise the row's position in the layer.
    """
    key = get_kind(kind_id).key
    if key in frame:
        values = frame[key].map(normalise_code)
        if values.notna().all() and values.is_unique:
            return pd.Index(values, name=key)
        segments = segment_keys(frame, kind_id)
        if segments is not None and segments.is_unique:
            return pd.Index(segments, name="segment")
    return pd.RangeIndex(len(frame), name="row")


@dataclass(frozen=True)
class Period:
    """The attributes of each keyed layer kind at one period; read-only."""

    name: str
    states: MappingProxyType
    note: str = ""

    @property
    def year(self) -> int:
        return parse_period(self.name)[0]

    @property
    def sort_key(self) -> tuple[int, int]:
        year, quarter = parse_period(self.name)
        return year, quarter or 4

    def state(self, kind_id: str) -> pd.DataFrame:
        """A copy of one kind's attributes at this period (empty when not tracked)."""
        frame = self.states.get(kind_id)
        return pd.DataFrame() if frame is None else frame.copy()


def freeze_states(states: dict[str, pd.DataFrame]) -> MappingProxyType:
    return MappingProxyType({k: v.copy() for k, v in states.items()})


@dataclass
class History:
    """The periods of a project, oldest first."""

    periods: list[Period] = field(default_factory=list)

    def names(self) -> list[str]:
        return [p.name for p in self.periods]

    def get(self, name: str) -> Period:
        for period in self.periods:
            if period.name == str(name):
                return period
        raise ProjectError(
            "the project has no such period",
            value=name,
            fix=f"choose one of {', '.join(self.names()) or '(none yet)'}",
        )

    def latest(self) -> Period | None:
        return self.periods[-1] if self.periods else None

    def next_name(self) -> str:
        """A name for the period after the latest: the next quarter when the latest
        is a quarter, else the next year (this year without periods)."""
        latest = self.latest()
        if latest is None:
            return str(date.today().year)
        year, quarter = parse_period(latest.name)
        if quarter is None:
            return str(year + 1)
        return f"{year + 1}Q1" if quarter == 4 else f"{year}Q{quarter + 1}"

    def for_year(self, year: int) -> Period | None:
        """The period that stands for ``year``: the latest one in or before it (the
        first period when every one is later); None without periods."""
        if not self.periods:
            return None
        earlier = [p for p in self.periods if p.year <= int(year)]
        return earlier[-1] if earlier else self.periods[0]

    def _insert(self, period: Period) -> Period:
        if str(period.name) in self.names():
            raise ProjectError(
                "a period of that name exists already; earlier periods are kept unchanged",
                value=period.name,
                fix="give the new period another name, e.g. the next year or quarter",
            )
        self.periods.append(period)
        self.periods.sort(key=lambda p: p.sort_key)
        return period

    def snapshot(self, project, name: str, note: str = "") -> Period:
        """Record the project's current attributes as a period."""
        parse_period(name)
        states = {}
        for kind_id in {lyr.kind.id for lyr in project.layers}:
            frame = project.frame_of(kind_id).drop(columns="geometry", errors="ignore")
            states[kind_id] = frame.set_axis(state_key(frame, kind_id), axis=0)
        return self._insert(Period(str(name), freeze_states(states), note))

    def add_from_table(
        self,
        name: str,
        table: pd.DataFrame,
        kind_id: str = "village",
        base: str | None = None,
        strict: bool = False,
        amend: bool = False,
        notes: list[str] | None = None,
    ) -> tuple[Period, list[str]]:
        """A new period: the base period (default the latest) updated from a list.

        ``table`` holds canonical fields (see ``conform``) keyed by the kind's key
        (road segments by route code and start chainage); only its filled cells
        change the state. Names and places (村名, 乡镇, 县市区 and their codes) are
        who a row is, not what changed: they only fill blanks, and a list that
        names a place otherwise is reported in ``notes``, the project's name kept.
        With ``amend`` the period ``name`` just made is updated
        by a further list of the same period (a project file's second list for one
        year). Returns the period and the keys that matched no place.
        """
        parse_period(name)
        if amend:
            previous = self.get(name)
        else:
            previous = self.get(base) if base else self.latest()
        if previous is None:
            raise ProjectError(
                "there is no earlier period to update",
                value=name,
                fix="record the project's present state as the first period",
            )
        key = get_kind(kind_id).key
        if key not in table:
            raise ProjectError(
                f"the list has no {get_kind(kind_id).field(key).zh} column to match by",
                value=", ".join(map(str, table.columns[:8])),
                fix="add the code column or map it in the import dialog",
            )
        states = {k: previous.state(k) for k in previous.states}
        state = states.get(kind_id, pd.DataFrame())
        rows = table.drop(columns="geometry", errors="ignore").copy()
        rows[key] = rows[key].map(normalise_code)
        if state.index.name == "segment":
            segments = segment_keys(rows, kind_id)
            if segments is None:
                raise ProjectError(
                    "road segments are matched by route code and start chainage",
                    value=", ".join(map(str, table.columns[:8])),
                    fix="give every row its 路线编码 and 起点桩号",
                )
            key = "segment"
            rows = rows.drop(columns=[key], errors="ignore").assign(segment=segments)
        rows = rows[rows[key].notna()].drop_duplicates(key, keep="last").set_index(key)
        matched = rows.index.intersection(state.index)
        unmatched = sorted(set(rows.index) - set(state.index))
        if strict and unmatched:
            raise ProjectError(
                "the list names places the project does not have",
                value=", ".join(unmatched[:5]),
                fix="check the codes; nothing was changed",
            )
        for col in rows.columns:
            values = rows.loc[matched, col]
            values = values[values.notna()]
            if col in IDENTITY_FIELDS and col in state and not values.empty:
                values = _identity_fill(state[col], values, col, kind_id, notes)
            if values.empty:
                continue
            if col not in state:
                state[col] = pd.Series(pd.NA, index=state.index, dtype=values.dtype)
            if state[col].dtype != values.dtype:
                state[col] = state[col].astype(object)
            state.loc[values.index, col] = values
        states[kind_id] = state
        note = f"由 {len(rows)} 行台账更新"
        if amend:
            note = f"{previous.note}; {note}" if previous.note else note
            period = Period(str(name), freeze_states(states), note)
            self.periods[self.periods.index(previous)] = period
            return period, unmatched
        period = self._insert(Period(str(name), freeze_states(states), note))
        return period, unmatched

    def add_from_edits(
        self, name: str, kind_id: str, edits: dict, base: str | None = None
    ) -> Period:
        """A new period: the base period with ``{key: {field: value}}`` edits."""
        table = pd.DataFrame.from_dict(edits, orient="index")
        table.index.name = get_kind(kind_id).key
        period, _ = self.add_from_table(name, table.reset_index(), kind_id, base, True)
        return period

    def apply(self, project, name: str) -> None:
        """Set the project's layer attributes to a period's state (for the timeline)."""
        period = self.get(name)
        project.period = period.name
        for kind_id, state in period.states.items():
            layers = project.layers_of(kind_id)
            for layer in layers:
                keys = state_key(layer.frame, kind_id)
                if isinstance(keys, pd.RangeIndex) and len(layers) > 1:
                    log.debug("row-keyed %s state skipped: several layers", kind_id)
                    continue
                aligned = state.reindex(keys).set_axis(layer.frame.index, axis=0)
                known = pd.Series(keys.isin(state.index), index=layer.frame.index)
                for col in state.columns.intersection(layer.frame.columns):
                    _assign(layer.frame, col, aligned[col], known)
                layer.changed()


IDENTITY_FIELDS = ("name", "township", "township_code", "county", "county_code")


def _identity_fill(
    held: pd.Series, values: pd.Series, col: str, kind_id: str, notes
) -> pd.Series:
    """The values of a name or place column that may go in: those filling blanks.
    Those naming a row otherwise are told in ``notes``."""
    current = held.reindex(values.index)
    blank = current.isna()
    clash = ~blank & (current.astype(str).str.strip() != values.astype(str).str.strip())
    if clash.any() and notes is not None:
        kind = get_kind(kind_id)
        shown = [f"{k} {current[k]}≠{values[k]}" for k in clash[clash].index[:5]]
        notes.append(
            f"{int(clash.sum())} 行的{kind.field(col).zh}与项目不一致,保留项目中的值"
            f"(如 {'；'.join(shown)}),请核对台账"
        )
    return values[blank]


def _assign(frame: pd.DataFrame, col: str, values: pd.Series, known: pd.Series) -> None:
    """Overwrite a column on the rows the period knows (blanks included, so an
    earlier period comes back whole); keep its dtype if it can."""
    merged = values.where(known, frame[col])
    try:
        frame[col] = merged.astype(frame[col].dtype)
    except (TypeError, ValueError):
        frame[col] = merged

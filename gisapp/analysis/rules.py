"""The numbers of a decision, read from a versioned rules file in ``rules/``.

Every number carries the clause it comes from, so that each output can name its
source. Numbers the decision leaves to the office (tolerances, unit costs) carry the
clause "本地设定" (set locally).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from gisapp.errors import RulesError
from gisapp.paths import RULES_DIR
from gisapp.tomlfile import read_toml

log = logging.getLogger(__name__)

DEFAULT_RULES = "jingmen-2016"
LOCAL = "本地设定"
OPS = (">=", "<=", "==")

# Numbers the engine cannot work without: (section, key).
REQUIRED = (
    ("money", "water_subsidy_per_person"),
    ("money", "water_central_provincial"),
    ("money", "water_city_county"),
    ("money", "road_maintenance_per_km_year"),
    ("money", "relocation_subsidy_per_household"),
    ("money", "relocation_loan_per_household"),
    ("money", "dachaihu_city_extra"),
    ("money", "dachaihu_county_extra"),
    ("money", "dangerous_house_per_household"),
    ("money", "harden_per_km"),
    ("money", "new_road_per_km"),
    ("money", "bridge_rebuild_per_m"),
    ("money", "bridge_default_length_m"),
    ("deadlines", "power_living"),
    ("deadlines", "power_production"),
    ("places", "dachaihu_township_code"),
    ("places", "dachaihu_names"),
    ("roads", "snap_tolerance_m"),
    ("roads", "hardened_surfaces"),
    ("roads", "county_network_classes"),
    ("roads", "dangerous_bridge_classes"),
    ("roads", "bridge_snap_m"),
    ("roads", "village_access_m"),
    ("roads", "destination_m"),
    ("roads", "boundary_m"),
    ("roads", "review_m"),
    ("roads", "missing_link_m"),
    ("roads", "missing_bridge_m"),
    ("roads", "detour_factor"),
    ("roads", "maintained_classes"),
    ("roads", "local_classes"),
    ("water", "coverage_distance_m"),
    ("water", "target_pct"),
    ("water", "served_by"),
    ("power", "line_distance_m"),
    ("relocation", "max_distance_km"),
    ("relocation", "same_county"),
)
TARGETS = (
    "villages_exit",
    "townships_exit",
    "relocation",
    "dangerous_houses",
    "power_living",
    "power_production",
    "clinic",
)


@dataclass(frozen=True)
class Number:
    """One number of the rules with where it comes from."""

    value: object
    clause: str
    zh: str
    note: str = ""


@dataclass(frozen=True)
class Target:
    """A cumulative yearly target: a count or a share reached by each year's end."""

    key: str
    zh: str
    clause: str
    by_year: dict[int, float]

    def for_year(self, year: int) -> float | None:
        """The target in force at the end of ``year`` (None before the first year)."""
        years = [y for y in sorted(self.by_year) if y <= year]
        return self.by_year[years[-1]] if years else None

    @property
    def first_year(self) -> int:
        return min(self.by_year)


@dataclass(frozen=True)
class Indicator:
    """One exit-standard indicator: value ``op`` target, possibly a veto."""

    key: str
    zh: str
    op: str
    target: object
    clause: str
    veto: bool = False
    ratio_of: str | None = None
    note: str = ""

    def passes(self, value, target) -> bool | None:
        """Whether ``value`` meets ``target``; None when the value is unknown."""
        if value is None or (isinstance(value, float) and value != value):
            return None
        if self.op == ">=":
            return bool(value >= target)
        if self.op == "<=":
            return bool(value <= target)
        return bool(value == target)


@dataclass(frozen=True)
class Rules:
    """A rules file: its name, version, numbers, targets and exit standards."""

    name: str
    version: str
    zh: str
    path: Path
    default_year: int
    sections: dict = field(repr=False)
    targets: dict[str, Target] = field(repr=False)
    village_exit: tuple[Indicator, ...] = ()
    township_exit: tuple[Indicator, ...] = ()
    city_average: dict[str, Number] = field(default_factory=dict, repr=False)
    city_code: str = ""

    @property
    def label(self) -> str:
        """How every output names the rules: ``name vversion``."""
        return f"{self.name} v{self.version}"

    def number(self, section: str, key: str) -> Number:
        """The number ``section.key`` with its clause."""
        try:
            return self.sections[section][key]
        except KeyError:
            raise RulesError(
                f"the rules have no number [{section}] {key}",
                path=self.path,
                fix=f"add {key} = {{ value = …, clause = … }} under [{section}]",
            ) from None

    def value(self, section: str, key: str):
        """Just the value of ``section.key``."""
        return self.number(section, key).value

    def clause(self, section: str, key: str) -> str:
        return self.number(section, key).clause

    def all_numbers(self) -> list[dict]:
        """Every number as a row (section, key, zh, value, clause, note)."""
        rows = []
        for section, items in self.sections.items():
            for key, num in items.items():
                rows.append(
                    {
                        "section": section,
                        "key": key,
                        "zh": num.zh,
                        "value": num.value,
                        "clause": num.clause,
                        "note": num.note,
                    }
                )
        return rows


def rules_path(name_or_path=None) -> Path:
    """Where a rules file is: a path as given, or ``rules/<name>.toml``."""
    if name_or_path is None:
        name_or_path = DEFAULT_RULES
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.suffix == ".toml" or candidate.parent != Path("."):
        return candidate
    return RULES_DIR / f"{text}.toml"


def load_rules(name_or_path=None) -> Rules:
    """Read a rules file by name (``rules/<name>.toml``) or path.

    Parameters
    ----------
    name_or_path : str or Path, optional
        A name such as ``"jingmen-2016"`` or a path to a TOML file; the default
        is the Jingmen 2016 decision.

    Returns
    -------
    Rules

    Raises
    ------
    RulesError
        When the file is missing, is not TOML, or lacks or mistypes a number.
    """
    if isinstance(name_or_path, Rules):
        return name_or_path
    path = rules_path(name_or_path)
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in RULES_DIR.glob("*.toml")))
        raise RulesError(
            "the rules file does not exist",
            path=path,
            value=str(name_or_path),
            fix=f"use one of: {known or 'none installed'}, or give a path to a .toml",
        )
    raw = read_toml(path, "the rules file", RulesError)
    rules = _build(raw, path)
    log.debug("rules %s read from %s", rules.label, path)
    return rules


def _build(raw: dict, path: Path) -> Rules:
    meta = raw.get("meta", {})
    for key in ("name", "version"):
        if key not in meta:
            raise RulesError(
                f"the rules file has no [meta] {key}",
                path=path,
                fix=f'add {key} = "…" under [meta]',
            )
    sections = {}
    for section, items in raw.items():
        if section in ("meta", "targets", "exit", "city_average"):
            continue
        sections[section] = {
            key: _number(spec, f"[{section}] {key}", path)
            for key, spec in items.items()
        }
    rules = Rules(
        name=str(meta["name"]),
        version=str(meta["version"]),
        zh=str(meta.get("zh", meta["name"])),
        path=path,
        default_year=int(meta.get("default_year", 2016)),
        sections=sections,
        targets=_targets(raw.get("targets", {}), path),
        village_exit=_indicators(raw.get("exit", {}).get("village", []), path),
        township_exit=_indicators(raw.get("exit", {}).get("township", []), path),
        city_average={
            key: Number(spec.get("value"), spec.get("clause", ""), spec.get("zh", key))
            for key, spec in raw.get("city_average", {}).items()
        },
        city_code=str(meta.get("city_code", "")),
    )
    for section, key in REQUIRED:
        rules.number(section, key)
    return rules


def _number(spec, where: str, path: Path) -> Number:
    if not isinstance(spec, dict) or "value" not in spec or "clause" not in spec:
        raise RulesError(
            f"{where} must be a table with value and clause",
            path=path,
            value=spec,
            fix=f'write {where.split()[-1]} = {{ value = …, clause = "…", zh = "…" }}',
        )
    return Number(
        spec["value"], str(spec["clause"]), spec.get("zh", ""), spec.get("note", "")
    )


def _targets(raw: dict, path: Path) -> dict[str, Target]:
    targets = {}
    for key, spec in raw.items():
        try:
            by_year = {int(y): float(v) for y, v in spec["by_year"].items()}
        except (KeyError, ValueError, TypeError) as exc:
            raise RulesError(
                f"target {key} needs by_year = {{ 2016 = … }}",
                path=path,
                value=spec,
                fix="give the cumulative target for each year",
            ) from exc
        targets[key] = Target(
            key, spec.get("zh", key), str(spec.get("clause", "")), by_year
        )
    missing = [k for k in TARGETS if k not in targets]
    if missing:
        raise RulesError(
            "the rules file lacks yearly targets",
            path=path,
            value=", ".join(missing),
            fix="add a [targets.<name>] table for each",
        )
    return targets


def _indicators(raw: list, path: Path) -> tuple[Indicator, ...]:
    out = []
    for spec in raw:
        if spec.get("op") not in OPS or "key" not in spec or "target" not in spec:
            raise RulesError(
                "an exit indicator needs key, op (>=, <=, ==) and target",
                path=path,
                value=spec,
                fix="complete the [[exit.…]] entry",
            )
        out.append(
            Indicator(
                key=spec["key"],
                zh=spec.get("zh", spec["key"]),
                op=spec["op"],
                target=spec["target"],
                clause=str(spec.get("clause", "")),
                veto=bool(spec.get("veto", False)),
                ratio_of=spec.get("ratio_of"),
                note=spec.get("note", ""),
            )
        )
    return tuple(out)

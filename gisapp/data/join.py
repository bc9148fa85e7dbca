"""Match the rows of an office table to villages: by official code, else by name
within the township, with a report of what matched, what is ambiguous and what not.

Codes: 12-digit village codes and 9-digit township codes of the National Bureau of
Statistics (统计用区划代码); township codes of the Ministry of Civil Affairs differ
for some townships (毛李镇: NBS 420822106, MCA 420822107) and are translated with a
township list that carries both. Names repeat (131 village names occur more than
once in Jingmen), so a name is only trusted inside its township.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from gisapp.data.dms import fold

log = logging.getLogger(__name__)

_VILLAGE_SUFFIX = re.compile(
    r"(村民委员会|居民委员会|村委会|居委会|委员会|社区居委会|管理委员会|管委会)$"
)
_VILLAGE_KIND = re.compile(r"(村|社区|居委|村委)$")
_TOWN_SUFFIX = re.compile(r"(街道办事处|办事处|街道|管理区|镇|乡|场)$")
CODE_COLUMNS = (
    "code",
    "村代码",
    "行政区划代码",
    "区划代码",
    "统计用区划代码",
    "村编码",
    "代码",
    "nbs2023_code",
)
NAME_COLUMNS = (
    "name",
    "村名",
    "村名称",
    "行政村",
    "行政村名称",
    "村委会",
    "村庄名称",
    "名称",
)
TOWN_COLUMNS = (
    "township",
    "乡镇",
    "乡镇名称",
    "所属乡镇",
    "乡镇街道",
    "镇",
    "township_name",
)
TOWN_CODE_COLUMNS = ("township_code", "乡镇代码", "乡镇编码")


def _nfkc(text) -> str:
    return unicodedata.normalize("NFKC", fold(str(text))).strip().replace(" ", "")


def village_name(name) -> str:
    """A village's name without its committee suffix (杨集村村民委员会 → 杨集村)."""
    text = _nfkc(name)
    for suffix, kind in (
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("居民委员会", "社区"),
        ("居委会", "社区"),
    ):
        if text.endswith(suffix) and len(text) > len(suffix):
            base = text[: -len(suffix)]
            return base if base.endswith(kind) else base + kind
    return text


def village_key(name) -> str:
    """A village name reduced to its core (双河村民委员会 / 双河村 → 双河)."""
    text = _VILLAGE_SUFFIX.sub("", village_name(name))
    core = _VILLAGE_KIND.sub("", text)
    return core or text


def town_key(name) -> str:
    """A township name reduced to its core (毛李镇 → 毛李)."""
    text = _nfkc(name)
    core = _TOWN_SUFFIX.sub("", text)
    return core or text


def clean_code(value) -> str | None:
    """Digits of a code cell ("420802100201.0" → "420802100201"), None if not a code."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = re.sub(r"\.0+$", "", _nfkc(value))
    return text if text.isdigit() else None


@dataclass
class JoinReport:
    """How each row of a table found its village."""

    by_code: int = 0
    by_name: int = 0
    code_system: str = ""
    translated: int = 0
    ambiguous: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return self.by_code + self.by_name

    def summary(self) -> str:
        text = f"{self.matched} rows matched ({self.by_code} by code"
        if self.code_system:
            text += f", {self.code_system}"
        text += f"; {self.by_name} by name within township)"
        if self.translated:
            text += f"; {self.translated} MCA township codes translated to NBS"
        if self.ambiguous:
            text += f"; {len(self.ambiguous)} ambiguous"
        if self.unmatched:
            text += f"; {len(self.unmatched)} unmatched"
        return text


def _pick(columns, names, given):
    if given is not None:
        return given
    folded = {re.sub(r"\s", "", str(c)).lower(): c for c in columns}
    for n in names:
        if n.lower() in folded:
            return folded[n.lower()]
    return None


def _mca_to_nbs(townships: pd.DataFrame | None) -> dict[str, str]:
    if townships is None or "mca2025_code" not in townships:
        return {}
    out = {}
    pairs = zip(townships["nbs2023_code"], townships["mca2025_code"], strict=True)
    for nbs, mca in pairs:
        nbs, mca = clean_code(nbs), clean_code(mca)
        if nbs and mca:
            out[mca] = nbs
    return out


def township_code_system(codes, townships: pd.DataFrame | None) -> tuple[str, str]:
    """Which system a column of 9-digit township codes uses: ``("NBS" | "MCA", why)``.

    Codes that exist in only one system decide; when every code exists in both
    (the systems reuse numbers for different townships), NBS is assumed and said.
    """
    if townships is None or "mca2025_code" not in townships:
        return "NBS", "no MCA code list given"
    nbs = {clean_code(c) for c in townships["nbs2023_code"]} - {None}
    mca = {clean_code(c) for c in townships["mca2025_code"]} - {None}
    codes = {c[:9] for c in (clean_code(v) for v in codes) if c and len(c) >= 9}
    only_nbs, only_mca = len(codes & (nbs - mca)), len(codes & (mca - nbs))
    if only_mca and not only_nbs:
        return "MCA", f"{only_mca} township codes exist only in the MCA list"
    if only_nbs and not only_mca:
        return "NBS", f"{only_nbs} township codes exist only in the NBS list"
    if only_nbs and only_mca:
        return "NBS", "codes of both systems are mixed; read as NBS, check the MCA ones"
    return "NBS", "every code exists in both lists; NBS assumed"


class _Index:
    """Village codes by (township, name) at two levels: full name, then core."""

    def __init__(self, villages: pd.DataFrame):
        self.codes = set()
        self.full: dict = {}
        self.core: dict = {}
        has_town = "township" in villages
        has_town_code = "township_code" in villages
        for i in range(len(villages)):
            code = clean_code(villages["code"].iloc[i])
            if not code:
                continue
            self.codes.add(code)
            name = villages["name"].iloc[i]
            towns = {None}
            if has_town_code and clean_code(villages["township_code"].iloc[i]):
                towns.add(clean_code(villages["township_code"].iloc[i])[:9])
            else:
                towns.add(code[:9])
            if has_town and isinstance(villages["township"].iloc[i], str):
                towns.add(town_key(villages["township"].iloc[i]))
            for town in towns:
                self.full.setdefault((town, village_name(name)), set()).add(code)
                self.core.setdefault((town, village_key(name)), set()).add(code)

    def find(self, town, name) -> list[str]:
        exact = self.full.get((town, village_name(name)), set())
        if len(exact) == 1:
            return sorted(exact)
        return sorted(exact or self.core.get((town, village_key(name)), set()))


def join_villages(
    table: pd.DataFrame,
    villages: pd.DataFrame,
    *,
    code_col: str | None = None,
    name_col: str | None = None,
    township_col: str | None = None,
    townships: pd.DataFrame | None = None,
    code_system: str = "auto",
    out_col: str = "code",
    row_base: int = 2,
    row_labels=None,
) -> tuple[pd.DataFrame, JoinReport]:
    """The table with the matched village code in ``out_col`` and a report.

    Parameters
    ----------
    table
        Office table; columns are found by name unless given.
    villages
        Reference villages with canonical columns ``code``, ``name`` and
        ``township`` and/or ``township_code`` (a village layer's frame).
    townships
        Township list with ``nbs2023_code`` and ``mca2025_code`` to translate MCA
        codes (``townships.csv``).
    code_system
        ``"auto"``, ``"NBS"`` or ``"MCA"``: the system of township codes in the table.
    row_base
        Row number of the first data row as the user sees it (2 below a header).
    row_labels
        The row number the user sees for each row, when not ``row_base`` onwards.

    Returns
    -------
    (table copy, JoinReport)
        ``out_col`` holds the village code or None; ``匹配方式`` says how.
    """
    code_col = _pick(table.columns, CODE_COLUMNS, code_col)
    name_col = _pick(table.columns, NAME_COLUMNS, name_col)
    township_col = _pick(table.columns, TOWN_COLUMNS + TOWN_CODE_COLUMNS, township_col)
    report = JoinReport()
    index = _Index(villages)
    mca = _mca_to_nbs(townships)
    town_codes = []
    for col in (township_col, code_col):
        if col is not None:
            town_codes += [
                c for c in table[col].map(clean_code) if c and len(c) in (9, 12)
            ]
    system = code_system.upper()
    if system == "AUTO":
        system, why = township_code_system(town_codes, townships)
        report.code_system = f"township codes read as {system} ({why})"
    else:
        report.code_system = f"township codes read as {system} (chosen)"
    translate = mca if system == "MCA" else {}
    out = table.copy()
    result, how = [], []
    for pos in range(len(table)):
        row = table.iloc[pos]
        label = str(row_labels[pos]) if row_labels is not None else str(pos + row_base)
        code, method = None, ""
        raw = clean_code(row[code_col]) if code_col else None
        if raw and len(raw) == 12:
            nbs = translate.get(raw[:9], raw[:9]) + raw[9:]
            if nbs in index.codes:
                code = nbs
                method = "code" if nbs == raw else "code (MCA township part translated)"
                report.translated += nbs != raw
        name = row[name_col] if name_col is not None else None
        if code is None and isinstance(name, str) and name.strip():
            code, method = _by_name(
                row, name, township_col, index, translate, label, report
            )
        elif code is None:
            report.unmatched.append(
                {
                    "row": label,
                    "name": None,
                    "township": None,
                    "reason": (
                        f"code {raw or '(none)'} matches no village and there is "
                        "no name"
                    ),
                }
            )
        if method.startswith("code"):
            report.by_code += 1
        elif code is not None:
            report.by_name += 1
        result.append(code)
        how.append(method or "未匹配")
    out[out_col] = result
    out["匹配方式"] = how
    log.info("join: %s", report.summary())
    return out, report


def _blank(value) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    return isinstance(value, str) and not value.strip()


def _by_name(row, name, township_col, index, translate, label, report):
    name = name.strip()
    town_raw = row[township_col] if township_col else None
    if not _blank(town_raw):
        town_code = clean_code(town_raw)
        if town_code and len(town_code) >= 9:
            town = translate.get(town_code[:9], town_code[:9])
            report.translated += town != town_code[:9]
        else:
            town = town_key(town_raw)
        found = index.find(town, name)
        where = f"乡镇 {town_raw}"
        method = "name within township"
    else:
        found = index.find(None, name)
        where = "the whole area (no township given)"
        method = "name (unique in the area)"
    if len(found) == 1:
        return found[0], method
    entry = {"row": label, "name": name, "township": town_raw}
    if not found:
        entry["reason"] = f"no village named {name} in {where}"
        report.unmatched.append(entry)
    else:
        entry["reason"] = (
            f"{len(found)} villages named {name} in {where}: {', '.join(found[:6])}"
        )
        entry["candidates"] = found
        report.ambiguous.append(entry)
    return None, ""

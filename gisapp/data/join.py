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


def village_key(name) -> str:
    """A village name reduced to its core (双河村民委员会 / 双河村 → 双河)."""
    text = _VILLAGE_SUFFIX.sub("", _nfkc(name))
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
    for nbs, mca in zip(
        townships["nbs2023_code"], townships["mca2025_code"], strict=True
    ):
        nbs, mca = clean_code(nbs), clean_code(mca)
        if nbs and mca and nbs != mca:
            out[mca] = nbs
    return out


def join_villages(
    table: pd.DataFrame,
    villages: pd.DataFrame,
    *,
    code_col: str | None = None,
    name_col: str | None = None,
    township_col: str | None = None,
    townships: pd.DataFrame | None = None,
    out_col: str = "code",
    row_base: int = 2,
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
    row_base
        Row number of the first data row as the user sees it (2 below a header).

    Returns
    -------
    (table copy, JoinReport)
        ``out_col`` holds the village code or None; ``匹配方式`` says how.
    """
    code_col = _pick(table.columns, CODE_COLUMNS, code_col)
    name_col = _pick(table.columns, NAME_COLUMNS, name_col)
    township_col = _pick(table.columns, TOWN_COLUMNS + TOWN_CODE_COLUMNS, township_col)
    report = JoinReport()
    ref = pd.DataFrame(
        {
            "code": villages["code"].map(clean_code),
            "key": villages["name"].map(village_key),
            "town_code": (
                villages["township_code"].map(clean_code)
                if "township_code" in villages
                else villages["code"].map(lambda c: (clean_code(c) or "")[:9] or None)
            ),
            "town_key": (
                villages["township"].map(town_key) if "township" in villages else None
            ),
        }
    )
    codes = set(ref["code"].dropna())
    mca = _mca_to_nbs(townships)
    by_name: dict[tuple[str, str], list[str]] = {}
    by_name_only: dict[str, list[str]] = {}
    for r in ref.itertuples():
        for town in {r.town_code, r.town_key} - {None}:
            by_name.setdefault((town, r.key), []).append(r.code)
        by_name_only.setdefault(r.key, []).append(r.code)
    out = table.copy()
    result, how = [], []
    for pos, (_, row) in enumerate(table.iterrows()):
        label = str(pos + row_base)
        code, method = None, ""
        raw = clean_code(row[code_col]) if code_col else None
        if raw and len(raw) == 12:
            if raw in codes:
                code, method = raw, "code"
            elif raw[:9] in mca and mca[raw[:9]] + raw[9:] in codes:
                code, method = (
                    mca[raw[:9]] + raw[9:],
                    "code (MCA township part translated)",
                )
                report.translated += 1
        if code is None and name_col is not None and str(row[name_col]).strip():
            code, method = _by_name(
                row, name_col, township_col, by_name, by_name_only, mca, label, report
            )
        elif code is None:
            report.unmatched.append(
                {
                    "row": label,
                    "name": None,
                    "township": None,
                    "reason": f"code {row[code_col] if code_col else ''!s} is not a village code and there is no name",
                }
            )
        if method == "code" or method.startswith("code ("):
            report.by_code += 1
        elif code is not None:
            report.by_name += 1
        result.append(code)
        how.append(method or "未匹配")
    if report.by_code:
        report.code_system = "NBS 12-digit village codes"
    out[out_col] = result
    out["匹配方式"] = how
    log.info("join: %s", report.summary())
    return out, report


def _by_name(row, name_col, township_col, by_name, by_name_only, mca, label, report):
    name = str(row[name_col]).strip()
    key = village_key(name)
    town_raw = row[township_col] if township_col else None
    if town_raw is not None and str(town_raw).strip():
        town_code = clean_code(town_raw)
        if town_code and len(town_code) >= 9:
            town_code = town_code[:9]
            if town_code in mca:
                town_code = mca[town_code]
                report.translated += 1
            found = by_name.get((town_code, key), [])
        else:
            found = by_name.get((town_key(town_raw), key), [])
        where = f"乡镇 {town_raw}"
    else:
        found = by_name_only.get(key, [])
        where = "the whole area (no township given)"
    found = sorted(set(found))
    if len(found) == 1:
        return found[0], "name within township" if township_col else "name (unique)"
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

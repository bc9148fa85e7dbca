"""Export profiles: who may see which attributes.

``internal`` shows everything. ``briefing`` masks household names, ID numbers and
phone numbers (张**, 420802********123X, 138****5678). ``public`` drops those
columns, masks such numbers wherever they appear in other text, and aggregates
household-level layers to one feature per village.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.errors import ExportError


@dataclass(frozen=True)
class Profile:
    id: str
    zh: str
    note: str
    mask: bool
    drop: bool
    aggregate: bool


PROFILES = {
    "internal": Profile(
        "internal", "内部版", "含全部属性，仅限内部使用", False, False, False
    ),
    "briefing": Profile(
        "briefing", "汇报版", "姓名、身份证号、电话已脱敏", True, False, False
    ),
    "public": Profile(
        "public", "公开版", "不含个人信息，农户数据按村汇总", True, True, True
    ),
}

# Column names that hold a person's name, an ID number or a phone number. Chinese
# words match inside a name; Latin ones must be a whole word (tel, not hotel).
_NAME_WORDS = ("姓名", "户主", "户名", "联系人", "帮扶责任人", "贫困户名")
_NAME_LATIN = {"householder", "head_name", "person_name", "xm", "hzxm", "hzmc"}
_ID_WORDS = ("身份证", "证件号", "公民身份号码")
_ID_LATIN = {"idcard", "id_card", "id_no", "idno", "sfz", "sfzh"}
_PHONE_WORDS = ("电话", "手机", "联系方式")
_PHONE_LATIN = {"phone", "mobile", "tel", "telephone", "lxdh", "sjhm"}

_ID_RE = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_ID15_RE = re.compile(r"(?<!\d)(\d{6})\d{6}(\d{3})(?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3}-?)\d{3,4}(\d{4})(?!\d)")


def get_profile(profile: str) -> Profile:
    if profile not in PROFILES:
        raise ExportError(
            "unknown web map profile",
            value=profile,
            fix=f"use one of {', '.join(PROFILES)}",
        )
    return PROFILES[profile]


def sensitive_kind(column: str) -> str | None:
    """``"name"``, ``"id"`` or ``"phone"`` when a column holds personal data."""
    key = str(column).strip().lower()
    words = set(re.split(r"[^a-z0-9_]+", key)) | set(re.split(r"[^a-z0-9]+", key))
    if any(w in key for w in _ID_WORDS) or words & _ID_LATIN:
        return "id"
    if any(w in key for w in _PHONE_WORDS) or words & _PHONE_LATIN:
        return "phone"
    if any(w in key for w in _NAME_WORDS) or words & _NAME_LATIN:
        return "name"
    return None


def mask_name(text: str) -> str:
    """Keep the family name: 张三丰 → 张**."""
    text = str(text).strip()
    return text[:1] + "*" * max(len(text) - 1, 1) if text else text


def mask_numbers(text: str) -> str:
    """Mask ID and phone numbers inside free text."""
    text = _ID_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    text = _ID15_RE.sub(lambda m: m.group(1) + "*" * 6 + m.group(2), text)
    text = _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return _LANDLINE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def _mask_series(series: pd.Series, how: str) -> pd.Series:
    def one(value):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return value
        if how == "name":
            return mask_name(value)
        text = str(value)
        if how == "id" and len(text) >= 15:
            return text[:6] + "*" * (len(text) - 10) + text[-4:]
        if how == "phone" and len(text) >= 7:
            return (
                mask_numbers(text)
                if mask_numbers(text) != text
                else text[:3] + "****" + text[-4:]
            )
        return mask_numbers(text)

    return series.map(one, na_action="ignore").astype(object)


def _free_text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if c != "geometry"
        and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype))
    ]


def is_household_layer(frame: pd.DataFrame) -> bool:
    """Whether rows are households or people (a column names a person)."""
    return any(sensitive_kind(c) == "name" for c in frame.columns)


def protect(
    frame: gpd.GeoDataFrame, profile: Profile
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """A copy of a layer's frame fit for the profile, and what was done to it."""
    if not profile.mask:
        return frame, []
    out = frame.copy()
    done = []
    for column in list(out.columns):
        if column == "geometry":
            continue
        how = sensitive_kind(column)
        if how is None:
            continue
        if profile.drop:
            out = out.drop(columns=column)
            done.append(f"删除 {column}")
        else:
            out[column] = _mask_series(out[column], how)
            done.append(f"脱敏 {column}")
    for column in _free_text_columns(out):
        out[column] = out[column].map(
            lambda v: mask_numbers(v) if isinstance(v, str) else v
        )
    return out, done


_VILLAGE_KEYS = (
    "village_code",
    "村代码",
    "code",
    "village",
    "村名",
    "行政村",
    "所在村",
)


def village_key(frame: pd.DataFrame) -> str | None:
    """The column that names each household's village, if any."""
    for key in _VILLAGE_KEYS:
        if key in frame.columns and frame[key].notna().any():
            return key
    return None


def aggregate_households(
    frame: gpd.GeoDataFrame, villages: gpd.GeoDataFrame | None
) -> gpd.GeoDataFrame | None:
    """One feature per village: household count and sums of numeric columns.

    The place is the village's own point when the village layer has it (matched by
    code, then by name), else the centre of its households. ``None`` when no column
    names the village.
    """
    key = village_key(frame)
    if key is None:
        return None
    numeric = [
        c
        for c in frame.columns
        if c not in ("geometry", key)
        and pd.api.types.is_numeric_dtype(frame[c].dtype)
        and not pd.api.types.is_bool_dtype(frame[c].dtype)
        and sensitive_kind(c) is None
    ]
    grouped = frame.groupby(key, dropna=True, sort=True)
    table = (
        grouped[numeric].sum(min_count=1)
        if numeric
        else pd.DataFrame(index=grouped.size().index)
    )
    table.insert(0, "户数", grouped.size())
    centres = grouped["geometry"].agg(
        lambda g: g.union_all().centroid if g.notna().any() else None
    )
    places = centres
    if villages is not None and len(villages):
        for vcol in ("code", "name"):
            if vcol in villages:
                lookup = villages.drop_duplicates(vcol).set_index(vcol).geometry
                lookup = lookup[lookup.notna()].representative_point()
                found = places.index.to_series().map(lookup)
                places = found.where(found.notna(), places)
    table.index.name = "村"
    result = gpd.GeoDataFrame(
        table.reset_index(), geometry=list(places.reindex(table.index)), crs=frame.crs
    )
    return result

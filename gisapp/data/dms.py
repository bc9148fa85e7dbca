"""Read coordinates typed by people: decimal degrees and 度分秒 in every notation.

Cells come as ``110°57′31.7″``, ``110°57'31.7"``, ``111度5分6.5秒``, ``111 1 17.54``,
``111°3.3553′``, ``111º6’30.1’’``, ``东经111°8′24.9″``, ``E111°10′0.8″``, full-width
digits and punctuation, or both values in one cell (``27.45,110.92``). A value
that cannot be a coordinate raises :class:`AngleError` with the reason; nothing
is wrapped, rounded into range or given a guessed hemisphere.
"""

from __future__ import annotations

import math
import re
import unicodedata

_PREFIX_LON = ("东经", "西经", "经度", "e", "w", "lon", "lng")
_PREFIX_LAT = ("北纬", "南纬", "纬度", "n", "s", "lat")
_NEGATIVE = ("西经", "南纬", "w", "s")
# Marks for degrees, minutes and seconds, after full-width folding.
_DEG = "°º˚度"
_MIN = "′'’‘`´分"
_SEC = '″"”“秒'
_MARKS = _DEG + _MIN + _SEC
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d*)?|[-+]?\.\d+")
_FOLD = str.maketrans(
    {"，": ",", "；": ";", "：": ":", "　": " ", "－": "-", "．": "."}
)


class AngleError(ValueError):
    """A cell that cannot be read as a coordinate; the message says why."""


def fold(text: str) -> str:
    """Full-width digits and punctuation to ASCII, keeping the angle marks."""
    text = str(text).translate(_FOLD)
    out = []
    for ch in text:
        if "\uff10" <= ch <= "\uff5a" or ch in "\uff0b\uff0d\uff0e":
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    text = "".join(out)
    # Seconds written as two minute marks.
    return re.sub(r"(′′|''|’’|‘‘|´´)", "″", text)


def _hemisphere(text: str) -> tuple[str, str | None, int]:
    """Strip a leading or trailing hemisphere word: ``(rest, axis, sign)``."""
    low = text.strip().lower()
    for words, axis in ((_PREFIX_LON, "lon"), (_PREFIX_LAT, "lat")):
        for word in words:
            sign = -1 if word in _NEGATIVE else 1
            if low.startswith(word) and not low[len(word) : len(word) + 1].isalpha():
                return low[len(word) :].strip(" :"), axis, sign
            before = low[: -len(word)].rstrip()[-1:]
            if (
                len(word) == 1
                and low.endswith(word)
                and (before.isdigit() or before in _MARKS)
            ):
                return low[:-1].strip(), axis, sign
    return low, None, 1


def parse_angle(value) -> tuple[float, str | None]:
    """One coordinate in decimal degrees, with the axis its text names (or None).

    Raises
    ------
    AngleError
        For empty cells, text that holds no number, minutes or seconds of 60 or
        more, or a fraction on a part that is followed by another part.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise AngleError("empty")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), None
    text = fold(value).strip()
    if not text:
        raise AngleError("empty")
    text, axis, sign = _hemisphere(text)
    numbers = _NUMBER.findall(text)
    if not numbers:
        raise AngleError(f"no number in {value!r}")
    leftover = _NUMBER.sub(" ", text)
    leftover = re.sub(f"[{re.escape(_DEG + _MIN + _SEC)}\\s]", "", leftover)
    if leftover:
        raise AngleError(f"unexpected text {leftover!r} in {value!r}")
    if len(numbers) > 3:
        raise AngleError(f"more than three numbers in {value!r}")
    parts = [float(n) for n in numbers]
    if len(parts) == 1:
        return sign * parts[0], axis
    if any("." in n for n in numbers[:-1]):
        raise AngleError(f"only the last part may have decimals in {value!r}")
    degrees = parts[0]
    if degrees < 0:
        sign, degrees = -sign, -degrees
    minutes = parts[1]
    seconds = parts[2] if len(parts) == 3 else 0.0
    if minutes >= 60:
        raise AngleError(f"minutes {numbers[1]} ≥ 60 in {value!r}")
    if seconds >= 60:
        raise AngleError(f"seconds {numbers[2]} ≥ 60 in {value!r}")
    if minutes < 0 or seconds < 0:
        raise AngleError(f"negative minutes or seconds in {value!r}")
    return sign * (degrees + minutes / 60.0 + seconds / 3600.0), axis


def split_pair(value) -> tuple[str, str]:
    """The two halves of a combined ``"纬度,经度"`` cell."""
    text = fold(value).strip().strip("()[]（）")
    halves = [h for h in re.split(r"\s*[,;/|]\s*", text) if h.strip()]
    if len(halves) != 2:
        halves = text.split()
        if len(halves) != 2:
            raise AngleError(f"expected two values separated by a comma in {value!r}")
    return halves[0], halves[1]


def parse_pair(value, first: str = "lat") -> tuple[float, float]:
    """Longitude and latitude from a combined cell; ``first`` names the first value.

    Hemisphere words in the cell override ``first``.
    """
    a_text, b_text = split_pair(value)
    a, a_axis = parse_angle(a_text)
    b, b_axis = parse_angle(b_text)
    if a_axis == "lon" or b_axis == "lat":
        return a, b
    if a_axis == "lat" or b_axis == "lon":
        return b, a
    return (b, a) if first == "lat" else (a, b)

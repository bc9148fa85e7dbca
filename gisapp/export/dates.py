"""The date printed on every map: the day in Beijing time, where the office works."""

from __future__ import annotations

import datetime as dt

BEIJING = dt.timezone(dt.timedelta(hours=8))


def map_date() -> dt.date:
    """Today in China Standard Time, whatever the computer's own time zone."""
    return dt.datetime.now(BEIJING).date()

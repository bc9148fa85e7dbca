"""Dangerous houses (危房改造, 十.5): households left to rebuild and the cost.

``dangerous_houses`` is the registered count of dangerous houses and
``houses_rebuilt`` those already rebuilt (none when the registry is silent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gisapp.analysis.rules import Rules


def house_gaps(villages: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Dangerous houses left, their cost, and the share rebuilt per village."""
    total = pd.to_numeric(villages["dangerous_houses"], errors="coerce").fillna(0)
    done = pd.to_numeric(villages["houses_rebuilt"], errors="coerce").fillna(0)
    done = np.minimum(done, total)
    left = total - done
    per = float(rules.value("money", "dangerous_house_per_household"))
    share = np.where(total > 0, done / total.where(total > 0, 1), np.nan)
    return pd.DataFrame(
        {
            "dangerous_houses": total.astype(int),
            "houses_rebuilt": done.astype(int),
            "dangerous_houses_left": left.astype(int),
            "dangerous_houses_cost_yuan": left * per,
            "houses_rebuilt_pct": np.round(share * 100.0, 1),
        },
        index=villages.index,
    )

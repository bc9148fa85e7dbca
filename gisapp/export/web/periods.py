"""Several periods on one web map: each village's status per period and the
progress figures, for the page's period switch.

The page holds one status digit per village and period (an index into the village
style's categories) and the figures as Chinese text; switching recolours the
villages, the legend and the figures without reloading.
"""

from __future__ import annotations

from gisapp.export.periods import walk_periods
from gisapp.model.style import layer_style, style_for

UNKNOWN = "-"


def period_payload(project, names=None, rules=None, current=None) -> dict:
    """The page data of the period switch.

    Parameters
    ----------
    project : Project
        With periods in ``project.history``; its layers are left as they were.
    names : list of str, optional
        The periods to carry; all by default.
    rules : Rules, str or Path, optional
    current : str, optional
        The period the page opens at (and that popups describe); the latest
        carried by default.

    Returns
    -------
    dict
        ``names``, ``current``, ``cats`` and ``catLabels`` (the village style's
        categories), ``codes`` (village codes), ``status`` (per period, one digit
        per code, ``-`` when unknown) and ``figures`` (per period, rows of label,
        value and on track).
    """
    style = _village_style(project)
    cats = list(style.categories)
    views = list(walk_periods(project, names, rules))
    codes = sorted({code for view in views for code in view.status.index})
    index = {key: str(i) for i, key in enumerate(cats)}
    status, figures = {}, {}
    for view in views:
        values = view.status.reindex(codes)
        status[view.name] = "".join(index.get(v, UNKNOWN) for v in values.tolist())
        figures[view.name] = [
            [label, value, track] for label, value, track in view.lines
        ]
    carried = [view.name for view in views]
    opened = str(current) if current is not None else carried[-1]
    return {
        "names": carried,
        "current": opened if opened in carried else carried[-1],
        "cats": cats,
        "catLabels": [style.categories[k].get("zh", k) for k in cats],
        "codes": codes,
        "status": status,
        "figures": figures,
        "note": f"弹窗中的村情卡与属性为{opened}年状态" if current is not None else "",
    }


def _village_style(project):
    """The style the page's villages are coloured by status in.

    The first village layer drawn by gap status gives it (its own style when the
    style editor gave it one); the village kind's style otherwise.
    """
    for layer in project.layers_of("village"):
        style = layer_style(layer)
        if style.category_field == "gap_status":
            return style
    return style_for("village")

"""Chinese headings of the report's columns, for every table a user sees."""

from __future__ import annotations

import pandas as pd

from gisapp.model.kinds import get_kind

ZH = {
    # identity
    "code": "代码",
    "name": "名称",
    "township": "乡镇",
    "township_code": "乡镇代码",
    "county": "县市区",
    "county_code": "县市区代码",
    "is_poor": "贫困村",
    "gap_status": "状态",
    "gap_status_zh": "状态",
    "gap_reason": "差距说明",
    "exit_ready": "达到退出标准",
    # roads
    "road_hardened_connected": "通沥青(水泥)路",
    "road_reachable": "有路连通县道",
    "road_access_m": "村委会距路网(米)",
    "unhardened_km": "待硬化里程(公里)",
    "new_road_km": "需新建道路(公里)",
    "road_cost_yuan": "道路投资(元)",
    "route_km": "通县道路线长度(公里)",
    "route": "通县道路线",
    "dangerous_bridges": "路线上危桥(座)",
    "dangerous_bridge_codes": "路线上危桥编号",
    "dead_ends_nearby": "附近断头路(处)",
    "village_road_km": "村道(公里)",
    "group_road_km": "村组道路(公里)",
    "household_path_km": "入户路(公里)",
    "production_road_km": "生产路(公里)",
    "maintenance_yuan_year": "村组道路养护(元/年)",
    # water
    "safe_water_pct": "安全饮水覆盖率(%)",
    "water_basis": "饮水数据依据",
    "water_source_m": "距管网/水厂(米)",
    "people_without_water": "未覆盖人口",
    "water_subsidy_yuan": "饮水补助(元)",
    "water_central_provincial_yuan": "其中中央和省级(元)",
    "water_city_county_yuan": "其中市县配套(元)",
    # power
    "power_living_ok": "生活用电达标(核定)",
    "power_production_ok": "生产用电达标(核定)",
    "power_basis": "电力数据依据",
    "power_living_overdue": "生活用电逾期",
    "power_production_overdue": "生产用电逾期",
    "nearest_substation": "最近变电站",
    "nearest_substation_km": "距变电站(公里)",
    "nearest_substation_kv": "变电站电压(kV)",
    "power_living_todo": "生活用电待改造村",
    "power_production_todo": "生产用电待改造村",
    # relocation
    "relocation_households": "自愿搬迁户数",
    "relocation_assigned": "已安排安置点户数",
    "relocation_no_site": "无安置点户数",
    "relocation_sites": "安置点",
    "relocation_km": "平均搬迁距离(公里)",
    "relocation_dachaihu": "迁入大柴湖户数",
    "relocation_subsidy_yuan": "搬迁补助(元)",
    "relocation_loan_yuan": "无息贷款(元)",
    "dachaihu_city_yuan": "大柴湖市级另补(元)",
    "dachaihu_county_yuan": "大柴湖钟祥另补(元)",
    "relocated_households": "已搬迁户数",
    "relocated_pct": "搬迁完成率(%)",
    # houses
    "dangerous_houses": "危房户数",
    "houses_rebuilt": "已改造危房户数",
    "dangerous_houses_left": "未改造危房(户)",
    "dangerous_houses_cost_yuan": "危房改造资金(元)",
    "houses_rebuilt_pct": "危改完成率(%)",
    # aggregates
    "villages": "行政村数",
    "poor_villages": "贫困村数",
    "n_red": "差距大(个)",
    "n_yellow": "有差距(个)",
    "n_green": "达标(个)",
    "exit_ready_villages": "达到销号标准村",
    "exited_villages": "已销号村",
    "not_hardened_villages": "未通硬化路贫困村",
    "dangerous_bridge_villages": "路线有危桥贫困村",
    "dead_ends": "断头路(处)",
    "townships": "乡镇数",
    "poor_townships": "贫困乡镇数",
    "exit_ready_townships": "达到摘帽标准乡镇",
    "exited_townships": "已摘帽乡镇",
    "villages_ready_share": "贫困村达标比例",
    "budget_revenue_per_person": "人均公共财政预算收入(元)",
    "income_per_person": "农村人均可支配收入(元)",
    "rules": "规则文件",
    "year": "年度",
    # bridges
    "condition_class": "技术状况等级",
    "length_m": "桥长(米)",
    "road_code": "所在路线编码",
    "dangerous": "危桥",
    "danger": "危桥标记",
    "on_road": "挂接道路",
    "snap_m": "距道路(米)",
    "cut_off_count": "断桥后孤立村数",
    "cut_off_poor": "其中贫困村",
    "cut_off_villages": "断桥后孤立的村",
    "on_route_count": "经此桥通行村数",
    "on_route_villages": "经此桥通行的村",
    "rebuild_cost_yuan": "改造资金(元)",
    "placed_by": "定位方式",
    # dead ends and edits
    "x": "X(米)",
    "y": "Y(米)",
    "lon": "经度",
    "lat": "纬度",
    "road": "道路",
    "component": "连通片编号",
    "category": "类别代码",
    "category_zh": "类别",
    "gap_m": "距离(米)",
    "other_road": "相邻道路",
    "kind": "类型代码",
    "kind_zh": "类型",
    "distance_m": "距离(米)",
    "action": "修正办法",
    # sites
    "dachaihu": "大柴湖新镇",
    "capacity_households": "容纳户数",
    "assigned_households": "安排户数",
    "room_left": "剩余容量",
    "from_villages": "迁出村",
    # progress
    "key": "代码",
    "target_zh": "目标",
    "clause": "条款",
    "target": "目标值",
    "unit": "单位",
    "total": "总数",
    "done": "已完成",
    "ready": "达到标准",
    "planned": "计划完成",
    "done_share": "完成比例",
    "behind": "差额",
    "on_track": "按期",
    # rules
    "section": "类别",
    "zh": "内容",
    "value": "数值",
    "note": "说明",
    "local": "本地设定",
}


# Headings that depend on the table: what "code" and "name" are codes and names of.
SHEET_ZH = {
    "村级差距": {"code": "村代码", "name": "村名"},
    "乡镇汇总": {"code": "乡镇代码", "name": "乡镇名称", "exited": "已摘帽"},
    "桥梁": {"code": "桥梁编码", "name": "桥梁名称"},
    "安置点": {"name": "安置点名称", "township": "所在乡镇"},
}


def zh_name(column: str, indicators=(), overrides=None) -> str:
    """The Chinese heading of a column (exit columns named by their indicator)."""
    if overrides and column in overrides:
        return overrides[column]
    if column in ZH:
        return ZH[column]
    for ind in indicators:
        if column == f"exit_{ind.key}_pass":
            return f"{ind.zh}·达标"
        if column == f"exit_{ind.key}_margin":
            return f"{ind.zh}·差值"
    for kind_id in ("village", "township", "bridge", "relocation_site"):
        kind = get_kind(kind_id)
        if column in kind.field_names:
            return kind.field(column).zh
    return column


def to_zh(frame: pd.DataFrame, indicators=(), sheet: str = "") -> pd.DataFrame:
    """A copy with Chinese headings; names that would repeat keep a suffix."""
    seen: dict[str, int] = {}
    names = []
    overrides = SHEET_ZH.get(sheet)
    for col in frame.columns:
        name = zh_name(str(col), indicators, overrides)
        if name in seen:
            seen[name] += 1
            name = f"{name}({seen[name]})"
        else:
            seen[name] = 0
        names.append(name)
    out = frame.copy()
    out.columns = names
    return out

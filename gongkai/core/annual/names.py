"""Readers' names for a report's cells and checks, for every screen.

The stable keys (``s3.new.natural``, ``T3_BALANCE``) are for files, the API and
tests; a person reads "表三·一、本年新收政府信息公开申请数量·自然人" and "表三：各行
合计与总计不符". Every name is derived from the schema's own labels
(:mod:`gongkai.core.annual.schema` via :mod:`~gongkai.core.annual.checks.layout`),
so a new row or column needs no second list here; only the checks' names are data.
"""

from __future__ import annotations

from gongkai.core.annual import schema
from gongkai.core.annual.checks import layout

__all__ = [
    "CHECK_NAMES",
    "UNKNOWN_CELL",
    "cell_choices",
    "cell_name",
    "check_name",
]

# What a key outside every format is called (a typo in an old import, say):
# never the key itself on a screen.
UNKNOWN_CELL = "不在本报告格式中的数据项"

_TABLE_OF_SECTION = {"s2": "表二", "s3": "表三", "s4": "表四"}

# Spec §6's check IDs, named as an officer would say what is wrong.
CHECK_NAMES: dict[str, str] = {
    "CELL_MISSING": "数据项空缺或无法识别",
    "T2_NONNEG": "表二：数量不能为负数",
    "T2_FEE_DECIMALS": "表二：收费金额小数位数过多（万元保留至4位小数）",
    "T3_BALANCE": "表三：各行合计与总计不符（一＋二≠（七）总计＋四）",
    "T3_RESULT_TOTAL": "表三：各项处理结果之和与（七）总计不符",
    "T3_ROW_TOTAL": "表三：各类申请人之和与总计不符",
    "T3_SUBTOTAL": "表三：小计与其各项之和不符",
    "T3_CARRY_LE_INPUT": "表三：结转下年度的申请多于新收与上年结转之和",
    "T3_NONNEG_INT": "表三：数量应为非负整数",
    "T4_GROUP_TOTAL": "表四：总计与各项结果之和不符",
    "T4_NONNEG_INT": "表四：数量应为非负整数",
    "NARR_SECTIONS": "正文：六个部分不全或顺序不对",
    "NARR_FEE": "正文第六部分：未说明信息处理费收取情况",
    "NARR_S5_NONEMPTY": "正文第五部分：存在的主要问题及改进情况为空",
    "NARR_TEXT_VS_TABLE": "正文与表三的数字不一致",
    "NARR_PERIOD": "正文：统计期限不是本年1月1日至12月31日",
    "XY_YEAR": "上年报告的年度不对",
    "XY_CARRY": "表三：上年结转与上年报告的结转下年度不符",
    "XY_IN_FORCE": "表二：现行有效件数与上年数、本年制发和废止数对不上",
    "CROSS_YEAR_RULES": "与上年报告的对照",
}


def check_name(code: str) -> str:
    """The Chinese name of a check (``T3_BALANCE`` → "表三：各行合计与总计不符…")."""
    return CHECK_NAMES.get(code, "报告审核发现的问题")


def _s2_name(key: str, version: str) -> str | None:
    found = layout.s2_table_of(key, version)
    if found is None:
        return None
    table, col = found
    stem = key.split(".", 1)[1].rsplit(".", 1)[0]
    row = next((r.label for r in table.rows if r.key == stem), None)
    column = next((c.label for c in table.columns if c.key == col), None)
    if row is None or column is None:
        return None
    return f"表二·{row}·{column}"


def cell_name(key: str, version: str = "2021") -> str:
    """The printed name of a cell: "表三·一、本年新收政府信息公开申请数量·自然人".

    A key no format holds gets :data:`UNKNOWN_CELL`, never the key itself.
    """
    section, _, rest = key.partition(".")
    stem, _, col = rest.rpartition(".")
    if section not in _TABLE_OF_SECTION or not stem:
        return UNKNOWN_CELL
    if section == "s2":
        return _s2_name(key, version) or UNKNOWN_CELL
    if section == "s3":
        row = layout.t3_row(stem)
        column = next((c.label for c in schema.S3_COLUMNS if c.key == col), None)
        if row is None or column is None:
            return UNKNOWN_CELL
        return f"表三·{layout.t3_row_label(stem)}·{column}"
    group = next((g for g in schema.S4_GROUPS if g.key == stem), None)
    column = next((c.label for c in schema.S4_COLUMNS if c.key == col), None)
    if group is None or column is None:
        return UNKNOWN_CELL
    return f"表四·{layout.t4_group_label(stem)}·{column}"


def cell_choices(version: str = "2021") -> list[tuple[str, str]]:
    """(key, name) of every cell of ``version``'s form, in form order (for a picker)."""
    if version not in schema.SCHEMAS:
        return []
    return [(key, cell_name(key, version)) for key in schema.cell_keys(version)]

"""Table checks (spec §6.1–6.2): sums of sections 三 and 四, cell values, blanks."""

from __future__ import annotations

from decimal import Decimal

from gongkai.core.annual.checks.base import finding, fmt, present, values_of
from gongkai.core.annual.checks.layout import (
    FEE_AMOUNT_KEY,
    FEE_MAX_DECIMALS,
    SUBTOTAL,
    T3_APPLICANT_COLUMNS,
    T3_CARRIED,
    T3_CARRY_FORWARD,
    T3_COLUMNS,
    T3_NEW,
    T3_RESULT_GROUPS,
    T3_SINGLE_RESULT_ROWS,
    T3_TOTAL,
    T3_TOTAL_COLUMN,
    T4_GROUPS,
    T4_OUTCOMES,
    T4_TOTAL,
    cell_label,
    expected_cell_keys,
    kind_description,
    t3_column_label,
    t3_group_label,
    t3_key,
    t3_row_label,
    t3_rows_in,
    t4_group_label,
    t4_key,
    value_kind,
)
from gongkai.core.annual.model import CellNumber, Finding, Report


def _result_row_keys(report: Report, col: str) -> list[str]:
    """The result rows (三（一）…（六）) that add up to （七）总计 for ``col``.

    For each group the itemised rows are used when the report has them, else
    the group's single row / subtotal (2019 format prints （六）其他处理 as one
    row; some templates print a subtotal row only).
    """
    keys = [t3_key(row, col) for row in T3_SINGLE_RESULT_ROWS]
    for group, items in T3_RESULT_GROUPS:
        item_keys = [t3_key(f"{group}.{item}", col) for item in items]
        subtotal_key = t3_key(f"{group}.{SUBTOTAL}", col)
        if any(present(report, key) for key in item_keys):
            keys.extend(item_keys)
        elif present(report, subtotal_key):
            keys.append(subtotal_key)
        else:
            keys.extend(item_keys)
    return keys


def check_t3_balance(report: Report) -> list[Finding]:
    """T3_BALANCE: 一 + 二 = 三（七）总计 + 四 in every column (the form's 勾稽关系)."""
    findings = []
    for col in T3_COLUMNS:
        keys = [t3_key(row, col) for row in (T3_NEW, T3_CARRIED, T3_TOTAL)] + [
            t3_key(T3_CARRY_FORWARD, col)
        ]
        values = values_of(report, keys)
        if values is None:
            continue
        new, carried, total, carry_forward = values
        if new + carried != total + carry_forward:
            findings.append(
                finding(
                    "T3_BALANCE",
                    "error",
                    f"三、表“{t3_column_label(col)}”列：本年新收{fmt(new)}＋上年结转"
                    f"{fmt(carried)}＝{fmt(new + carried)}，但办理结果总计"
                    f"{fmt(total)}＋结转下年度{fmt(carry_forward)}＝"
                    f"{fmt(total + carry_forward)}。",
                    keys,
                )
            )
    return findings


def check_t3_result_total(report: Report) -> list[Finding]:
    """T3_RESULT_TOTAL: the result rows add up to （七）总计 in every column."""
    findings = []
    for col in T3_COLUMNS:
        total_key = t3_key(T3_TOTAL, col)
        part_keys = _result_row_keys(report, col)
        values = values_of(report, [total_key, *part_keys])
        if values is None:
            continue
        total, parts = values[0], values[1:]
        if sum(parts) != total:
            findings.append(
                finding(
                    "T3_RESULT_TOTAL",
                    "error",
                    f"三、表“{t3_column_label(col)}”列：各项办理结果之和为"
                    f"{fmt(sum(parts))}，与（七）总计{fmt(total)}不符。",
                    [total_key, *part_keys],
                )
            )
    return findings


def check_t3_row_total(report: Report) -> list[Finding]:
    """T3_ROW_TOTAL: in every row the six applicant columns add up to 总计."""
    findings = []
    for row in t3_rows_in(report.cells):
        part_keys = [t3_key(row, col) for col in T3_APPLICANT_COLUMNS]
        total_key = t3_key(row, T3_TOTAL_COLUMN)
        values = values_of(report, [total_key, *part_keys])
        if values is None:
            continue
        total, parts = values[0], values[1:]
        if sum(parts) != total:
            findings.append(
                finding(
                    "T3_ROW_TOTAL",
                    "error",
                    f"三、表“{t3_row_label(row)}”行：六类申请人"
                    f"之和为{fmt(sum(parts))}，与总计{fmt(total)}不符。",
                    [total_key, *part_keys],
                )
            )
    return findings


def check_t3_subtotal(report: Report) -> list[Finding]:
    """T3_SUBTOTAL: an optional subtotal row equals the sum of its items."""
    findings = []
    for group, items in T3_RESULT_GROUPS:
        for col in T3_COLUMNS:
            subtotal_key = t3_key(f"{group}.{SUBTOTAL}", col)
            item_keys = [t3_key(f"{group}.{item}", col) for item in items]
            if not present(report, subtotal_key):
                continue
            values = values_of(report, [subtotal_key, *item_keys])
            if values is None:
                continue
            subtotal, parts = values[0], values[1:]
            if sum(parts) != subtotal:
                findings.append(
                    finding(
                        "T3_SUBTOTAL",
                        "error",
                        f"三、表“{t3_group_label(group)}”小计"
                        f"（{t3_column_label(col)}）为{fmt(subtotal)}，"
                        f"但其各项之和为{fmt(sum(parts))}。",
                        [subtotal_key, *item_keys],
                    )
                )
    return findings


def check_t3_carry_le_input(report: Report) -> list[Finding]:
    """T3_CARRY_LE_INPUT: 四、结转下年度 ≤ 一 + 二 in every column."""
    findings = []
    for col in T3_COLUMNS:
        keys = [t3_key(row, col) for row in (T3_CARRY_FORWARD, T3_NEW, T3_CARRIED)]
        values = values_of(report, keys)
        if values is None:
            continue
        carry_forward, new, carried = values
        if carry_forward > new + carried:
            findings.append(
                finding(
                    "T3_CARRY_LE_INPUT",
                    "error",
                    f"三、表“{t3_column_label(col)}”列：结转下年度{fmt(carry_forward)}件，"
                    f"多于本年新收与上年结转之和{fmt(new + carried)}件。",
                    keys,
                )
            )
    return findings


# --------------------------------------------------------------------------
# Section 四 (table 4)
# --------------------------------------------------------------------------


def check_t4_group_total(report: Report) -> list[Finding]:
    """T4_GROUP_TOTAL: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, per group."""
    findings = []
    for group in T4_GROUPS:
        part_keys = [t4_key(group, col) for col in T4_OUTCOMES]
        total_key = t4_key(group, T4_TOTAL)
        values = values_of(report, [total_key, *part_keys])
        if values is None:
            continue
        total, parts = values[0], values[1:]
        if sum(parts) != total:
            findings.append(
                finding(
                    "T4_GROUP_TOTAL",
                    "error",
                    f"四、表“{t4_group_label(group)}”：各项结果之和为"
                    f"{fmt(sum(parts))}，与总计{fmt(total)}不符。",
                    [total_key, *part_keys],
                )
            )
    return findings


# --------------------------------------------------------------------------
# Every cell: type, sign, presence
# --------------------------------------------------------------------------


def _is_whole(value: CellNumber) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return value == value.to_integral_value()


def _sign_check_code(key: str) -> str:
    return {"s2": "T2_NONNEG", "s3": "T3_NONNEG_INT", "s4": "T4_NONNEG_INT"}[
        key.split(".", 1)[0]
    ]


def check_non_negative(report: Report) -> list[Finding]:
    """T2_NONNEG / T3_NONNEG_INT / T4_NONNEG_INT: counts are whole numbers ≥ 0.

    Exceptions follow the schema: amounts (万元, 元) may have decimals, and the
    2019 format's 本年增/减 may be negative (spec §7.1).
    """
    findings = []
    for key, value in report.cells.items():
        if value is None or key.split(".", 1)[0] not in ("s2", "s3", "s4"):
            continue
        kind = value_kind(key, report.version)
        bad_sign = value < 0 and kind != "signed_count"
        bad_type = kind != "amount" and not _is_whole(value)
        if bad_sign or bad_type:
            findings.append(
                finding(
                    _sign_check_code(key),
                    "error",
                    f"单元格“{cell_label(key, report.version)}”的值"
                    f"{fmt(value)}不是{kind_description(kind)}。",
                    [key],
                )
            )
    return findings


def check_fee_decimals(report: Report) -> list[Finding]:
    """T2_FEE_DECIMALS: the 万元 amount should have at most 4 decimals (1 元)."""
    key = FEE_AMOUNT_KEY
    value = report.cells.get(key)
    if value is None or report.version != "2021":
        return []
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places <= FEE_MAX_DECIMALS:
        return []
    return [
        finding(
            "T2_FEE_DECIMALS",
            "warning",
            f"行政事业性收费金额{fmt(value)}万元有{places}位小数，"
            f"超过{FEE_MAX_DECIMALS}位（即精确到元）。",
            [key],
        )
    ]


def check_missing_cells(report: Report) -> list[Finding]:
    """CELL_MISSING: a cell of the report's format is blank, a dash or unreadable.

    Spec §6.2: the form expects a number in every cell; blanks are reported as
    warnings, not errors. A group printed as one row (（六）其他处理 in 2019, or
    a subtotal-only group) does not count its absent items as missing.
    """
    if report.version not in ("2021", "2019"):
        return []
    missing = [
        key
        for key in expected_cell_keys(report.version, report.cells)
        if report.cells.get(key) is None
    ]
    if not missing:
        return []
    shown = "、".join(cell_label(key, report.version) for key in missing[:5])
    more = f"等{len(missing)}个单元格" if len(missing) > 5 else ""
    return [
        finding(
            "CELL_MISSING",
            "warning",
            f"以下单元格为空或无法读取：{shown}{more}。",
            missing,
        )
    ]

"""Checks of an annual report (spec ``annual-report-format.md`` §6).

``validate(report, previous)`` runs a tuple of small rule functions. Each rule
returns ``list[Finding]``; a finding's ``code`` is the stable check ID of spec
§6 (``T3_BALANCE``, ``NARR_FEE`` …) so callers assert on codes, never on the
Chinese message. Arithmetic rules skip a relation when one of its cells is
missing: the missing cell is reported once by ``CELL_MISSING`` instead of
producing a cascade of sum errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from gongkai.core.annual import schema
from gongkai.core.annual.model import CellNumber, Finding, Report, Severity

Rule = Callable[[Report], list[Finding]]
CrossYearRule = Callable[[Report, Report], list[Finding]]


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _finding(
    code: str, severity: Severity, message: str, keys: Iterable[str] = ()
) -> Finding:
    return Finding(code=code, severity=severity, message=message, keys=tuple(keys))


def _present(report: Report, key: str) -> bool:
    return report.cells.get(key) is not None


def _values(report: Report, keys: Sequence[str]) -> list[CellNumber] | None:
    """The values of ``keys``, or ``None`` when any of them is missing."""
    values = [report.cells.get(key) for key in keys]
    if any(value is None for value in values):
        return None
    return [value for value in values if value is not None]


def _fmt(value: CellNumber) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _column_label(col: str) -> str:
    return _t3_column_label(col)


# --------------------------------------------------------------------------
# Key layout, all derived from the schema (no labels are written here)
# --------------------------------------------------------------------------

_V2021 = schema.V2021
SUBTOTAL = "subtotal"  # last part of a subtotal row stem (schema.S3_OTHER_SUBTOTAL)

_T3_NEW, _T3_CARRIED = "new", "carried"
_T3_TOTAL, _T3_CARRY_FORWARD = schema.S3_TOTAL_ROW, "carry_forward"
_T3_COLUMNS: tuple[str, ...] = tuple(c.key for c in schema.S3_COLUMNS)
_T3_TOTAL_COLUMN = _T3_COLUMNS[-1]
_T3_APPLICANT_COLUMNS = _T3_COLUMNS[:-1]
_SUBTOTAL = SUBTOTAL


def _result_structure() -> tuple[
    tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]
]:
    """(single result rows, (group, items) pairs) of the 2021 form, in order."""
    singles: list[str] = []
    groups: dict[str, list[str]] = {}
    for stem in schema.s3_result_rows("2021"):
        group, _, item = stem.partition(".")
        if item:
            groups.setdefault(group, []).append(item)
        else:
            singles.append(stem)
    return tuple(singles), tuple((g, tuple(items)) for g, items in groups.items())


_T3_SINGLE_RESULT_ROWS, _T3_RESULT_GROUPS = _result_structure()
_T3_ALL_ROWS: tuple[schema.Row, ...] = (
    *_V2021.s3_rows,
    schema.S3_OTHER_SUBTOTAL,
    *schema.S3_OPTIONAL_SUBTOTALS,
)

_T4_GROUPS: tuple[str, ...] = tuple(g.key for g in schema.S4_GROUPS)
_T4_TOTAL = schema.S4_COLUMNS[-1].key
_T4_OUTCOMES: tuple[str, ...] = tuple(c.key for c in schema.S4_COLUMNS[:-1])

_SECTION_NUMERALS: tuple[str, ...] = tuple(s.numeral for s in schema.SECTIONS)
_OVERVIEW_NUMERAL, _PROBLEMS_NUMERAL, _OTHER_MATTERS_NUMERAL = (
    _SECTION_NUMERALS[0],
    _SECTION_NUMERALS[4],
    _SECTION_NUMERALS[5],
)

# 2021 section 二: the (一) documents table and the (八) 万元 fee amount.
_DOCS_TABLE = _V2021.s2_tables[0]
_S2_IN_FORCE_ROWS: tuple[str, ...] = tuple(r.key for r in _DOCS_TABLE.rows)
_S2_DOC_COLUMNS: tuple[str, ...] = tuple(c.key for c in _DOCS_TABLE.columns)
_FEE_TABLE = next(t for t in _V2021.s2_tables if t.value_type == "amount")
_FEE_AMOUNT_KEY = _FEE_TABLE.cell_keys()[0]
# 4 decimals of 万元 = 1 元 (spec §3.4, regional 保留4位小数; check T2_FEE_DECIMALS).
_FEE_MAX_DECIMALS = 4
_FEE_UNPAID_TOTAL_KEY = f"s3.other.no_fee.{_T3_TOTAL_COLUMN}"

ValueKind = schema.ValueType


def _t3_key(row: str, col: str) -> str:
    return f"s3.{row}.{col}"


def _t4_key(group: str, col: str) -> str:
    return f"s4.{group}.{col}"


def _s2_key(row: str, col: str) -> str:
    return f"s2.{row}.{col}"


def _t3_column_label(col: str) -> str:
    return next(c.label for c in schema.S3_COLUMNS if c.key == col)


def _t3_row(stem: str) -> schema.Row | None:
    return next((r for r in _T3_ALL_ROWS if r.key == stem), None)


def _t3_row_label(stem: str) -> str:
    row = _t3_row(stem)
    if row is None:
        return stem
    return f"{row.subgroup}{row.label}" if row.subgroup else row.label


def _t3_group_label(group: str) -> str:
    return _t3_row_label(f"{group}.{SUBTOTAL}")


def _t4_group_label(group: str) -> str:
    found = next(g for g in schema.S4_GROUPS if g.key == group)
    return f"{found.group}（{found.label}）" if found.group else found.label


def _s2_row_label(row: str) -> str:
    return next(r.label for r in _DOCS_TABLE.rows if r.key == row)


def _section_heading(numeral: str) -> str:
    return next(s.heading for s in schema.SECTIONS if s.numeral == numeral)


def _t3_rows_in(cells: dict[str, CellNumber | None]) -> list[str]:
    """Row stems of section 三 the report has at least one value for, in form order."""
    return [
        row.key
        for row in _T3_ALL_ROWS
        if any(cells.get(_t3_key(row.key, col)) is not None for col in _T3_COLUMNS)
    ]


def _s2_table_of(key: str, version: str) -> tuple[schema.SubTable, str] | None:
    """The section-二 sub-table holding ``key`` (report's format first) and its column."""
    order = [version, *(v for v in schema.VERSIONS if v != version)]
    for candidate in order:
        if candidate not in schema.SCHEMAS:
            continue
        for table in schema.schema_for(candidate).s2_tables:
            if key in table.cell_keys():
                return table, key.rsplit(".", 1)[1]
    return None


def _value_kind(key: str, version: str = "2021") -> ValueKind:
    if not key.startswith("s2."):
        return "count"
    found = _s2_table_of(key, version)
    if found is None:
        return "count"
    table, col = found
    if col in table.signed_columns:
        return "signed_count"
    return table.value_type


def _kind_description(kind: ValueKind) -> str:
    return {
        "count": "非负整数",
        "signed_count": "整数",
        "amount": "非负数",
    }[kind]


def _cell_label(key: str, version: str) -> str:
    """A reader's name for a cell: its row and column labels as printed."""
    section, rest = key.split(".", 1)
    stem, col = rest.rsplit(".", 1)
    if section == "s3":
        return f"{_t3_row_label(stem)} × {_t3_column_label(col)}"
    if section == "s4":
        column = next((c.label for c in schema.S4_COLUMNS if c.key == col), col)
        return f"{_t4_group_label(stem)} × {column}"
    found = _s2_table_of(key, version)
    if found is None:
        return key
    table, _ = found
    row_label = next(r.label for r in table.rows if r.key == stem)
    col_label = next(c.label for c in table.columns if c.key == col)
    return f"{table.caption} {row_label} × {col_label}"


def _expected_cell_keys(
    version: str, cells: dict[str, CellNumber | None]
) -> tuple[str, ...]:
    """The cells the report's form prints (a one-row （六）其他处理 is accepted)."""
    other_items = [
        _t3_key(f"other.{item}", col)
        for group, items in _T3_RESULT_GROUPS
        if group == "other"
        for item in items
        for col in _T3_COLUMNS
    ]
    one_row = version == "2021" and not any(
        cells.get(k) is not None for k in other_items
    )
    one_row = one_row and any(
        cells.get(_t3_key(schema.S3_OTHER_SUBTOTAL.key, col)) is not None
        for col in _T3_COLUMNS
    )
    return schema.cell_keys(version, other_as_one_row=one_row)


# --------------------------------------------------------------------------
# Section 三 (table 3)
# --------------------------------------------------------------------------


def _result_row_keys(report: Report, col: str) -> list[str]:
    """The result rows (三（一）…（六）) that add up to （七）总计 for ``col``.

    For each group the itemised rows are used when the report has them, else
    the group's single row / subtotal (2019 format prints （六）其他处理 as one
    row; some templates print a subtotal row only).
    """
    keys = [_t3_key(row, col) for row in _T3_SINGLE_RESULT_ROWS]
    for group, items in _T3_RESULT_GROUPS:
        item_keys = [_t3_key(f"{group}.{item}", col) for item in items]
        subtotal_key = _t3_key(f"{group}.{_SUBTOTAL}", col)
        if any(_present(report, key) for key in item_keys):
            keys.extend(item_keys)
        elif _present(report, subtotal_key):
            keys.append(subtotal_key)
        else:
            keys.extend(item_keys)
    return keys


def check_t3_balance(report: Report) -> list[Finding]:
    """T3_BALANCE: 一 + 二 = 三（七）总计 + 四 in every column (the form's 勾稽关系)."""
    findings = []
    for col in _T3_COLUMNS:
        keys = [_t3_key(row, col) for row in (_T3_NEW, _T3_CARRIED, _T3_TOTAL)] + [
            _t3_key(_T3_CARRY_FORWARD, col)
        ]
        values = _values(report, keys)
        if values is None:
            continue
        new, carried, total, carry_forward = values
        if new + carried != total + carry_forward:
            findings.append(
                _finding(
                    "T3_BALANCE",
                    "error",
                    f"三、表“{_column_label(col)}”列：本年新收{_fmt(new)}＋上年结转"
                    f"{_fmt(carried)}＝{_fmt(new + carried)}，但办理结果总计"
                    f"{_fmt(total)}＋结转下年度{_fmt(carry_forward)}＝"
                    f"{_fmt(total + carry_forward)}。",
                    keys,
                )
            )
    return findings


def check_t3_result_total(report: Report) -> list[Finding]:
    """T3_RESULT_TOTAL: the result rows add up to （七）总计 in every column."""
    findings = []
    for col in _T3_COLUMNS:
        total_key = _t3_key(_T3_TOTAL, col)
        part_keys = _result_row_keys(report, col)
        values = _values(report, [total_key, *part_keys])
        if values is None:
            continue
        total, parts = values[0], values[1:]
        if sum(parts) != total:
            findings.append(
                _finding(
                    "T3_RESULT_TOTAL",
                    "error",
                    f"三、表“{_column_label(col)}”列：各项办理结果之和为"
                    f"{_fmt(sum(parts))}，与（七）总计{_fmt(total)}不符。",
                    [total_key, *part_keys],
                )
            )
    return findings


def check_t3_row_total(report: Report) -> list[Finding]:
    """T3_ROW_TOTAL: in every row the six applicant columns add up to 总计."""
    findings = []
    for row in _t3_rows_in(report.cells):
        part_keys = [_t3_key(row, col) for col in _T3_APPLICANT_COLUMNS]
        total_key = _t3_key(row, _T3_TOTAL_COLUMN)
        values = _values(report, [total_key, *part_keys])
        if values is None:
            continue
        total, parts = values[0], values[1:]
        if sum(parts) != total:
            findings.append(
                _finding(
                    "T3_ROW_TOTAL",
                    "error",
                    f"三、表“{_t3_row_label(row)}”行：六类申请人"
                    f"之和为{_fmt(sum(parts))}，与总计{_fmt(total)}不符。",
                    [total_key, *part_keys],
                )
            )
    return findings


def check_t3_subtotal(report: Report) -> list[Finding]:
    """T3_SUBTOTAL: an optional subtotal row equals the sum of its items."""
    findings = []
    for group, items in _T3_RESULT_GROUPS:
        for col in _T3_COLUMNS:
            subtotal_key = _t3_key(f"{group}.{_SUBTOTAL}", col)
            item_keys = [_t3_key(f"{group}.{item}", col) for item in items]
            if not _present(report, subtotal_key):
                continue
            values = _values(report, [subtotal_key, *item_keys])
            if values is None:
                continue
            subtotal, parts = values[0], values[1:]
            if sum(parts) != subtotal:
                findings.append(
                    _finding(
                        "T3_SUBTOTAL",
                        "error",
                        f"三、表“{_t3_group_label(group)}”小计"
                        f"（{_column_label(col)}）为{_fmt(subtotal)}，"
                        f"但其各项之和为{_fmt(sum(parts))}。",
                        [subtotal_key, *item_keys],
                    )
                )
    return findings


def check_t3_carry_le_input(report: Report) -> list[Finding]:
    """T3_CARRY_LE_INPUT: 四、结转下年度 ≤ 一 + 二 in every column."""
    findings = []
    for col in _T3_COLUMNS:
        keys = [_t3_key(row, col) for row in (_T3_CARRY_FORWARD, _T3_NEW, _T3_CARRIED)]
        values = _values(report, keys)
        if values is None:
            continue
        carry_forward, new, carried = values
        if carry_forward > new + carried:
            findings.append(
                _finding(
                    "T3_CARRY_LE_INPUT",
                    "error",
                    f"三、表“{_column_label(col)}”列：结转下年度{_fmt(carry_forward)}件，"
                    f"多于本年新收与上年结转之和{_fmt(new + carried)}件。",
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
    for group in _T4_GROUPS:
        part_keys = [_t4_key(group, col) for col in _T4_OUTCOMES]
        total_key = _t4_key(group, _T4_TOTAL)
        values = _values(report, [total_key, *part_keys])
        if values is None:
            continue
        total, parts = values[0], values[1:]
        if sum(parts) != total:
            findings.append(
                _finding(
                    "T4_GROUP_TOTAL",
                    "error",
                    f"四、表“{_t4_group_label(group)}”：各项结果之和为"
                    f"{_fmt(sum(parts))}，与总计{_fmt(total)}不符。",
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
        kind = _value_kind(key, report.version)
        bad_sign = value < 0 and kind != "signed_count"
        bad_type = kind != "amount" and not _is_whole(value)
        if bad_sign or bad_type:
            findings.append(
                _finding(
                    _sign_check_code(key),
                    "error",
                    f"单元格“{_cell_label(key, report.version)}”的值"
                    f"{_fmt(value)}不是{_kind_description(kind)}。",
                    [key],
                )
            )
    return findings


def check_fee_decimals(report: Report) -> list[Finding]:
    """T2_FEE_DECIMALS: the 万元 amount should have at most 4 decimals (1 元)."""
    key = _FEE_AMOUNT_KEY
    value = report.cells.get(key)
    if value is None or report.version != "2021":
        return []
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places <= _FEE_MAX_DECIMALS:
        return []
    return [
        _finding(
            "T2_FEE_DECIMALS",
            "warning",
            f"行政事业性收费金额{_fmt(value)}万元有{places}位小数，"
            f"超过{_FEE_MAX_DECIMALS}位（即精确到元）。",
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
        for key in _expected_cell_keys(report.version, report.cells)
        if report.cells.get(key) is None
    ]
    if not missing:
        return []
    shown = "、".join(_cell_label(key, report.version) for key in missing[:5])
    more = f"等{len(missing)}个单元格" if len(missing) > 5 else ""
    return [
        _finding(
            "CELL_MISSING",
            "warning",
            f"以下单元格为空或无法读取：{shown}{more}。",
            missing,
        )
    ]


# --------------------------------------------------------------------------
# Narrative
# --------------------------------------------------------------------------


def check_sections(report: Report) -> list[Finding]:
    """NARR_SECTIONS: the six headings 一…六 exist, in that order."""
    expected = list(_SECTION_NUMERALS)
    found = [numeral for numeral in report.sections if numeral in expected]
    missing = [numeral for numeral in expected if numeral not in report.sections]
    findings = []
    if missing:
        names = "、".join(_section_heading(n) for n in missing)
        findings.append(_finding("NARR_SECTIONS", "error", f"缺少以下部分：{names}。"))
    if found != [numeral for numeral in expected if numeral in found]:
        findings.append(
            _finding(
                "NARR_SECTIONS",
                "error",
                f"六个部分的顺序不对：{'、'.join(found)}（应为{'、'.join(expected)}）。",
            )
        )
    return findings


_FEE_WORD = "信息处理费"
_FEE_NOTICE = re.compile(r"收费通知|缴费通知|缴纳.{0,6}费")


def check_fee_statement(report: Report) -> list[Finding]:
    """NARR_FEE: section 六 states the 信息处理费 collected (spec §2, §8.6).

    When applications ended unprocessed for unpaid fees (三（六）2 > 0), 六 must
    also mention the fee notices.
    """
    text = report.sections.get(_OTHER_MATTERS_NUMERAL)
    if text is None:
        return []  # NARR_SECTIONS reports the missing section
    if _FEE_WORD not in text:
        return [
            _finding(
                "NARR_FEE",
                "warning",
                "“六、其他需要报告的事项”未说明信息处理费收取情况"
                "（未收取的应写明“本年度未收取信息处理费”）。",
            )
        ]
    unpaid = report.cells.get(_FEE_UNPAID_TOTAL_KEY)
    if unpaid and not _FEE_NOTICE.search(text):
        return [
            _finding(
                "NARR_FEE",
                "warning",
                f"三、表有{_fmt(unpaid)}件申请因逾期未缴费不再处理，"
                "但“六、其他需要报告的事项”未提及收费通知。",
                [_FEE_UNPAID_TOTAL_KEY],
            )
        ]
    return []


_EMPTY_TEXT = re.compile(r"^[\s。.:：、]*(无|暂无|没有)?[\s。.]*$")


def check_problems_section(report: Report) -> list[Finding]:
    """NARR_S5_NONEMPTY: section 五 is not empty or just 无."""
    text = report.sections.get(_PROBLEMS_NUMERAL)
    if text is None or not _EMPTY_TEXT.match(text):
        return []
    return [
        _finding(
            "NARR_S5_NONEMPTY",
            "warning",
            "“五、存在的主要问题及改进情况”为空或仅写“无”，应具体说明问题和改进措施。",
        )
    ]


# Counts an overview quotes about applications, each with the table-三 values
# it may legitimately mean. Practice words it either way: "受理政府信息公开申请21件",
# "共收到70件申请", "依申请公开方面，全年受理21件", "办结69件", "1件结转下年度".
_NOT_A_NUMBER = r"[^。；;，,\d]"
_RECEIVED_PATTERNS = (
    re.compile(
        rf"(?:收到|受理|新收|办理){_NOT_A_NUMBER}{{0,20}}?申请\s*(?:共计?)?\s*(\d+)\s*件"
    ),
    re.compile(r"(?:收到|受理|新收)\s*(?:各类)?\s*(\d+)\s*件[^。；;]{0,6}?申请"),
    re.compile(r"依申请公开[^。；;]{0,30}?(?:收到|受理|新收)\s*(?:各类)?\s*(\d+)\s*件"),
)
_CONCLUDED_PATTERNS = (re.compile(rf"办结{_NOT_A_NUMBER}{{0,10}}?(\d+)\s*件"),)
_CARRY_FORWARD_PATTERNS = (
    re.compile(r"(\d+)\s*件(?:申请)?结转(?:到|至)?下一?年度?"),
    re.compile(rf"结转(?:到|至)?下一?年度?{_NOT_A_NUMBER}{{0,8}}?(\d+)\s*件"),
)


def _quoted_numbers(text: str, patterns: Iterable[re.Pattern[str]]) -> list[int]:
    """Distinct numbers the patterns find, in order of first appearance."""
    found = (int(m.group(1)) for pattern in patterns for m in pattern.finditer(text))
    return list(dict.fromkeys(found))


def _total(report: Report, row: str) -> CellNumber | None:
    return report.cells.get(_t3_key(row, _T3_TOTAL_COLUMN))


def _quoted_count_findings(
    text: str,
    patterns: Iterable[re.Pattern[str]],
    accepted: set[CellNumber],
    what: str,
    table_says: str,
    key: str,
) -> list[Finding]:
    return [
        _finding(
            "NARR_TEXT_VS_TABLE",
            "warning",
            f"总体情况中写{what}{quoted}件，但三、表{table_says}。",
            [key],
        )
        for quoted in _quoted_numbers(text, patterns)
        if quoted not in accepted
    ]


def check_narrative_numbers(report: Report) -> list[Finding]:
    """NARR_TEXT_VS_TABLE: counts quoted in 一、总体情况 agree with table 三.

    A received count may mean new applications or new + carried over (both
    readings occur in practice); a concluded count must equal （七）总计 and a
    carried-forward count 四、结转下年度继续办理.
    """
    text = report.sections.get(_OVERVIEW_NUMERAL, "")
    new, carried = _total(report, _T3_NEW), _total(report, _T3_CARRIED)
    total, carry_forward = _total(report, _T3_TOTAL), _total(report, _T3_CARRY_FORWARD)
    findings = []
    if new is not None:
        with_carried = new + (carried or 0)
        findings += _quoted_count_findings(
            text,
            _RECEIVED_PATTERNS,
            {new, with_carried},
            "收到/受理申请",
            f"本年新收为{_fmt(new)}件（含上年结转为{_fmt(with_carried)}件）",
            _t3_key(_T3_NEW, _T3_TOTAL_COLUMN),
        )
    if total is not None:
        findings += _quoted_count_findings(
            text,
            _CONCLUDED_PATTERNS,
            {total},
            "办结",
            f"办理结果总计为{_fmt(total)}件",
            _t3_key(_T3_TOTAL, _T3_TOTAL_COLUMN),
        )
    if carry_forward is not None:
        findings += _quoted_count_findings(
            text,
            _CARRY_FORWARD_PATTERNS,
            {carry_forward},
            "结转下年度",
            f"结转下年度继续办理为{_fmt(carry_forward)}件",
            _t3_key(_T3_CARRY_FORWARD, _T3_TOTAL_COLUMN),
        )
    return findings


_PERIOD = re.compile(
    r"(\d{4})\s*年\s*1\s*月\s*1\s*日\D{0,6}?(\d{4})\s*年\s*12\s*月\s*31\s*日"
)


def check_period(report: Report) -> list[Finding]:
    """NARR_PERIOD: a stated statistic period is 1 Jan – 31 Dec of the report year.

    The sentence is practice, not mandated (spec §0.1), so only a period that
    names another year is a warning.
    """
    if report.year is None:
        return []
    text = "".join(report.sections.values())
    findings = []
    for match in _PERIOD.finditer(text):
        years = {int(match.group(1)), int(match.group(2))}
        if years != {report.year}:
            findings.append(
                _finding(
                    "NARR_PERIOD",
                    "warning",
                    f"统计期限“{match.group(0)}”与报告年度{report.year}年不符。",
                )
            )
    return findings


# --------------------------------------------------------------------------
# Against last year's report
# --------------------------------------------------------------------------


def check_carry_over(report: Report, previous: Report) -> list[Finding]:
    """XY_CARRY: this year's 二、上年结转 = last year's 四、结转下年度, per column."""
    findings = []
    for col in _T3_COLUMNS:
        this_key = _t3_key(_T3_CARRIED, col)
        last_key = _t3_key(_T3_CARRY_FORWARD, col)
        this, last = report.cells.get(this_key), previous.cells.get(last_key)
        if this is None or last is None or this == last:
            continue
        findings.append(
            _finding(
                "XY_CARRY",
                "warning",
                f"三、表“{_column_label(col)}”列：本年上年结转{_fmt(this)}件，"
                f"但上一年报告结转下年度{_fmt(last)}件。",
                [this_key],
            )
        )
    return findings


def check_in_force(report: Report, previous: Report) -> list[Finding]:
    """XY_IN_FORCE: 现行有效(Y) ≈ 现行有效(Y−1) + 制发(Y) − 废止(Y); info only.

    Not a hard rule: agencies re-clean their document libraries (修改、失效、
    重新认定), e.g. Pingtan 2022→2023 (corpus README).
    """
    if report.version != "2021" or previous.version != "2021":
        return []
    findings = []
    for row in _S2_IN_FORCE_ROWS:
        issued, repealed, in_force = (_s2_key(row, col) for col in _S2_DOC_COLUMNS)
        values = _values(report, [issued, repealed, in_force])
        last = previous.cells.get(in_force)
        if values is None or last is None:
            continue
        expected = last + values[0] - values[1]
        if expected != values[2]:
            findings.append(
                _finding(
                    "XY_IN_FORCE",
                    "info",
                    f"“{_s2_row_label(row)}”现行有效件数为{_fmt(values[2])}，"
                    f"按上年{_fmt(last)}＋本年制发{_fmt(values[0])}－本年废止"
                    f"{_fmt(values[1])}推算应为{_fmt(expected)}（清理、修改等可致差异）。",
                    [in_force],
                )
            )
    return findings


RULES: tuple[Rule, ...] = (
    check_sections,
    check_missing_cells,
    check_non_negative,
    check_t3_balance,
    check_t3_result_total,
    check_t3_row_total,
    check_t3_subtotal,
    check_t3_carry_le_input,
    check_t4_group_total,
    check_fee_decimals,
    check_fee_statement,
    check_problems_section,
    check_narrative_numbers,
    check_period,
)

CROSS_YEAR_RULES: tuple[CrossYearRule, ...] = (check_carry_over, check_in_force)


def validate(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every §6 check of ``report``; with ``previous`` (last year's) also the XY_* checks."""
    findings = [finding for rule in RULES for finding in rule(report)]
    if previous is not None:
        findings += [f for rule in CROSS_YEAR_RULES for f in rule(report, previous)]
    return findings


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == "error" for finding in findings)

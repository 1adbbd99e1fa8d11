"""Where the checked cells are: flat keys and printed labels, all from the schema.

No label is written here; every text comes from ``gongkai.core.annual.schema``.
"""

from __future__ import annotations

from gongkai.core.annual import schema
from gongkai.core.annual.model import CellNumber

_V2021 = schema.V2021
SUBTOTAL = "subtotal"  # last part of a subtotal row stem (schema.S3_OTHER_SUBTOTAL)

T3_NEW, T3_CARRIED = "new", "carried"
T3_TOTAL, T3_CARRY_FORWARD = schema.S3_TOTAL_ROW, "carry_forward"
T3_COLUMNS: tuple[str, ...] = tuple(c.key for c in schema.S3_COLUMNS)
T3_TOTAL_COLUMN = T3_COLUMNS[-1]
T3_APPLICANT_COLUMNS = T3_COLUMNS[:-1]


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


T3_SINGLE_RESULT_ROWS, T3_RESULT_GROUPS = _result_structure()
T3_ALL_ROWS: tuple[schema.Row, ...] = (
    *_V2021.s3_rows,
    schema.S3_OTHER_SUBTOTAL,
    *schema.S3_OPTIONAL_SUBTOTALS,
)

T4_GROUPS: tuple[str, ...] = tuple(g.key for g in schema.S4_GROUPS)
T4_TOTAL = schema.S4_COLUMNS[-1].key
T4_OUTCOMES: tuple[str, ...] = tuple(c.key for c in schema.S4_COLUMNS[:-1])

SECTION_NUMERALS: tuple[str, ...] = tuple(s.numeral for s in schema.SECTIONS)
OVERVIEW_NUMERAL, PROBLEMS_NUMERAL, OTHER_MATTERS_NUMERAL = (
    SECTION_NUMERALS[0],
    SECTION_NUMERALS[4],
    SECTION_NUMERALS[5],
)

# 2021 section 二: the (一) documents table and the (八) 万元 fee amount.
DOCS_TABLE = _V2021.s2_tables[0]
S2_IN_FORCE_ROWS: tuple[str, ...] = tuple(r.key for r in DOCS_TABLE.rows)
S2_DOC_COLUMNS: tuple[str, ...] = tuple(c.key for c in DOCS_TABLE.columns)
FEE_TABLE = next(t for t in _V2021.s2_tables if t.value_type == "amount")
FEE_AMOUNT_KEY = FEE_TABLE.cell_keys()[0]
# 4 decimals of 万元 = 1 元 (spec §3.4, regional 保留4位小数; check T2_FEE_DECIMALS).
FEE_MAX_DECIMALS = 4
FEE_UNPAID_TOTAL_KEY = f"s3.other.no_fee.{T3_TOTAL_COLUMN}"

ValueKind = schema.ValueType


def t3_key(row: str, col: str) -> str:
    return f"s3.{row}.{col}"


def t4_key(group: str, col: str) -> str:
    return f"s4.{group}.{col}"


def s2_key(row: str, col: str) -> str:
    return f"s2.{row}.{col}"


def t3_column_label(col: str) -> str:
    return next(c.label for c in schema.S3_COLUMNS if c.key == col)


def t3_row(stem: str) -> schema.Row | None:
    return next((r for r in T3_ALL_ROWS if r.key == stem), None)


def t3_row_label(stem: str) -> str:
    row = t3_row(stem)
    if row is None:
        return stem
    return f"{row.subgroup}{row.label}" if row.subgroup else row.label


def t3_group_label(group: str) -> str:
    return t3_row_label(f"{group}.{SUBTOTAL}")


def t4_group_label(group: str) -> str:
    found = next(g for g in schema.S4_GROUPS if g.key == group)
    return f"{found.group}（{found.label}）" if found.group else found.label


def s2_row_label(row: str) -> str:
    return next(r.label for r in DOCS_TABLE.rows if r.key == row)


def section_heading(numeral: str) -> str:
    return next(s.heading for s in schema.SECTIONS if s.numeral == numeral)


def t3_rows_in(cells: dict[str, CellNumber | None]) -> list[str]:
    """Row stems of section 三 the report has at least one value for, in form order."""
    return [
        row.key
        for row in T3_ALL_ROWS
        if any(cells.get(t3_key(row.key, col)) is not None for col in T3_COLUMNS)
    ]


def s2_table_of(key: str, version: str) -> tuple[schema.SubTable, str] | None:
    """The section-二 sub-table holding ``key`` (report's format first) and its column."""
    order = [version, *(v for v in schema.VERSIONS if v != version)]
    for candidate in order:
        if candidate not in schema.SCHEMAS:
            continue
        for table in schema.schema_for(candidate).s2_tables:
            if key in table.cell_keys():
                return table, key.rsplit(".", 1)[1]
    return None


def value_kind(key: str, version: str = "2021") -> ValueKind:
    if not key.startswith("s2."):
        return "count"
    found = s2_table_of(key, version)
    if found is None:
        return "count"
    table, col = found
    if col in table.signed_columns:
        return "signed_count"
    return table.value_type


def kind_description(kind: ValueKind) -> str:
    return {
        "count": "非负整数",
        "signed_count": "整数",
        "amount": "非负数",
    }[kind]


def cell_label(key: str, version: str) -> str:
    """A reader's name for a cell: its row and column labels as printed."""
    section, rest = key.split(".", 1)
    stem, col = rest.rsplit(".", 1)
    if section == "s3":
        return f"{t3_row_label(stem)} × {t3_column_label(col)}"
    if section == "s4":
        column = next((c.label for c in schema.S4_COLUMNS if c.key == col), col)
        return f"{t4_group_label(stem)} × {column}"
    found = s2_table_of(key, version)
    if found is None:
        return key
    table, _ = found
    row_label = next(r.label for r in table.rows if r.key == stem)
    col_label = next(c.label for c in table.columns if c.key == col)
    return f"{table.caption} {row_label} × {col_label}"


def expected_cell_keys(
    version: str, cells: dict[str, CellNumber | None]
) -> tuple[str, ...]:
    """The cells the report's form prints (a one-row （六）其他处理 is accepted)."""
    other_items = [
        t3_key(f"other.{item}", col)
        for group, items in T3_RESULT_GROUPS
        if group == "other"
        for item in items
        for col in T3_COLUMNS
    ]
    one_row = version == "2021" and not any(
        cells.get(k) is not None for k in other_items
    )
    one_row = one_row and any(
        cells.get(t3_key(schema.S3_OTHER_SUBTOTAL.key, col)) is not None
        for col in T3_COLUMNS
    )
    return schema.cell_keys(version, other_as_one_row=one_row)

"""The official tables as grids of merged cells, built from the schema.

Every renderer draws the same three grids (spec §3–§5, and the blank official
template ``blank_template.docx``: 14×4, 28×10 and 4×15 cells in 2021):

* 二: one 4-column table; each sub-table is a caption row (colspan 4), a header
  row and its data rows; a one-value sub-table merges the 3 value cells.
* 三: 3 header rows under the corner cell (colspan 3, rowspan 3); data rows with
  the level-1 label 三、本年度办理结果 and the level-2 labels （三）…（六） as
  vertical merges; 7 value columns.
* 四: 3 header rows of 15 columns and one value row.

A grid lists only the anchor (top-left) cell of each merged area.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from gongkai.core.annual import schema
from gongkai.core.annual.model import CellNumber, Report

Role = Literal["caption", "header", "label", "value"]


@dataclass(frozen=True)
class GridCell:
    """One anchor cell: position, span, printed text and, for values, its key."""

    row: int
    col: int
    text: str
    role: Role
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None


@dataclass(frozen=True)
class FormOptions:
    """Regional variants of the printed form.

    ``fee_decimals``: print the 万元 fee amount with this many decimals, and
    the header variant that says so (spec §3.4, §8.4: some regions require
    保留4位小数, i.e. to the yuan; the national form fixes no decimals).
    """

    fee_decimals: int | None = None


NATIONAL_FORM = FormOptions()


@dataclass(frozen=True)
class Grid:
    """A table of ``n_rows`` × ``n_cols`` grid positions."""

    name: str  # "s2", "s3", "s4"
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]

    def matrix(self) -> list[list[str]]:
        """Text per grid position; positions covered by a merge are empty."""
        rows = [[""] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell.text
        return rows

    def rows(self) -> list[list[GridCell]]:
        """Anchor cells grouped by grid row, left to right."""
        grouped: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            grouped[cell.row].append(cell)
        return [sorted(row, key=lambda c: c.col) for row in grouped]


def format_value(value: CellNumber | None) -> str:
    """Print a cell: ``0`` for zero (spec §8.3), blank only for an unknown value.

    Decimals keep the places they were entered with (spec §3.4: 万元 as entered).
    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def default_title(report: Report) -> str:
    """The title convention of spec §0.2: 机关全称 + YYYY年政府信息公开工作年度报告."""
    if report.title:
        return report.title
    year = f"{report.year}年" if report.year is not None else ""
    return f"{report.agency or ''}{year}政府信息公开工作年度报告"


def format_schema(report: Report) -> schema.FormatSchema:
    """The report's format; unknown and legacy reports are drawn on the 2021 form."""
    if report.version == "2019":
        return schema.V2019
    return schema.V2021


def other_as_one_row(report: Report) -> bool:
    """Does a 2021 report print （六）其他处理 as one row (洪泽 2024)?"""
    if report.version == "2019":
        return False
    prefix = f"s3.{schema.S3_OTHER_SUBTOTAL.key}."
    items = [
        r.key
        for r in schema.V2021.s3_rows
        if r.subgroup == schema.S3_OTHER_SUBTOTAL.label
    ]
    has_items = any(
        report.cells.get(f"s3.{stem}.{c.key}") is not None
        for stem in items
        for c in schema.S3_COLUMNS
    )
    has_one_row = any(
        report.cells.get(f"{prefix}{c.key}") is not None for c in schema.S3_COLUMNS
    )
    return has_one_row and not has_items


def s3_rows(report: Report) -> tuple[schema.Row, ...]:
    """The section-三 rows the report is printed with."""
    rows = format_schema(report).s3_rows
    if not other_as_one_row(report):
        return rows
    subgroup = schema.S3_OTHER_SUBTOTAL.label
    kept: list[schema.Row] = []
    for row in rows:
        if row.subgroup == subgroup:
            if schema.S3_OTHER_SUBTOTAL not in kept:
                kept.append(schema.S3_OTHER_SUBTOTAL)
            continue
        kept.append(row)
    return tuple(kept)


# --------------------------------------------------------------------------
# 二、主动公开政府信息情况
# --------------------------------------------------------------------------

_S2_COLS = 4  # label column + up to 3 value columns


def _value_spans(n_values: int) -> list[tuple[int, int]]:
    """(first grid column, colspan) of each value column in the 3 value slots."""
    if n_values == 1:
        return [(1, 3)]
    if n_values == 2:
        return [(1, 1), (2, 2)]
    return [(1 + i, 1) for i in range(n_values)]


def _fee_header(column: schema.Column, decimals: int) -> str:
    """The regional header of the 万元 column naming its decimals (schema alias)."""
    wanted = f"保留{decimals}位小数"  # wording of the regional variant, spec §3.4
    return next((a for a in column.aliases if wanted in a), column.label)


def _s2_column_header(
    table: schema.SubTable, column: schema.Column, options: FormOptions
) -> str:
    if table.value_type == "amount" and options.fee_decimals is not None:
        return _fee_header(column, options.fee_decimals)
    return column.label


def _s2_value(
    table: schema.SubTable, value: CellNumber | None, options: FormOptions
) -> str:
    if (
        table.value_type == "amount"
        and options.fee_decimals is not None
        and value is not None
    ):
        return format_value(
            Decimal(value).quantize(
                Decimal(1).scaleb(-options.fee_decimals), rounding=ROUND_HALF_UP
            )
        )
    return format_value(value)


def section_two_grid(report: Report, options: FormOptions = NATIONAL_FORM) -> Grid:
    cells: list[GridCell] = []
    row = 0
    for table in format_schema(report).s2_tables:
        spans = _value_spans(len(table.columns))
        cells.append(GridCell(row, 0, table.caption, "caption", colspan=_S2_COLS))
        row += 1
        cells.append(GridCell(row, 0, table.label_header, "header"))
        for (col, span), column in zip(spans, table.columns):
            header = _s2_column_header(table, column, options)
            cells.append(GridCell(row, col, header, "header", colspan=span))
        row += 1
        for data_row in table.rows:
            cells.append(GridCell(row, 0, data_row.label, "label"))
            for (col, span), column in zip(spans, table.columns):
                key = f"s2.{data_row.key}.{column.key}"
                text = _s2_value(table, report.cells.get(key), options)
                cells.append(GridCell(row, col, text, "value", colspan=span, key=key))
            row += 1
    return Grid("s2", row, _S2_COLS, tuple(cells))


# --------------------------------------------------------------------------
# 三、收到和处理政府信息公开申请情况
# --------------------------------------------------------------------------

_S3_LABEL_COLS = 3
_S3_HEADER_ROWS = 3


def _s3_header(fmt: schema.FormatSchema) -> list[GridCell]:
    columns = fmt.s3_columns
    first, grouped, last = columns[0], columns[1:-1], columns[-1]
    n_values = len(columns)
    cells = [
        GridCell(0, 0, fmt.s3_corner, "header", rowspan=3, colspan=_S3_LABEL_COLS),
        GridCell(0, _S3_LABEL_COLS, fmt.s3_group_header, "header", colspan=n_values),
        GridCell(1, _S3_LABEL_COLS, first.label, "header", rowspan=2),
        GridCell(
            1, _S3_LABEL_COLS + 1, grouped[0].group, "header", colspan=len(grouped)
        ),
        GridCell(1, _S3_LABEL_COLS + n_values - 1, last.label, "header", rowspan=2),
    ]
    cells += [
        GridCell(2, _S3_LABEL_COLS + 1 + i, column.label, "header")
        for i, column in enumerate(grouped)
    ]
    return cells


def _s3_labels(rows: tuple[schema.Row, ...]) -> list[GridCell]:
    """Label cells of the data rows, with the vertical merges of spec §4.2."""
    cells: list[GridCell] = []
    for i, row in enumerate(rows):
        grid_row = _S3_HEADER_ROWS + i
        starts_group = row.group and (i == 0 or rows[i - 1].group != row.group)
        if starts_group:
            span = _run_length(rows, i, "group")
            cells.append(GridCell(grid_row, 0, row.group, "label", rowspan=span))
        if not row.group:
            cells.append(GridCell(grid_row, 0, row.label, "label", colspan=3))
        elif not row.subgroup:
            cells.append(GridCell(grid_row, 1, row.label, "label", colspan=2))
        else:
            if i == 0 or rows[i - 1].subgroup != row.subgroup:
                span = _run_length(rows, i, "subgroup")
                cells.append(GridCell(grid_row, 1, row.subgroup, "label", rowspan=span))
            cells.append(GridCell(grid_row, 2, row.label, "label"))
    return cells


def _run_length(rows: tuple[schema.Row, ...], start: int, attribute: str) -> int:
    """How many rows from ``start`` on share ``rows[start]``'s group or subgroup."""
    value = getattr(rows[start], attribute)
    length = 0
    for row in rows[start:]:
        if getattr(row, attribute) != value:
            break
        length += 1
    return length


def section_three_grid(report: Report) -> Grid:
    fmt = format_schema(report)
    rows = s3_rows(report)
    cells = _s3_header(fmt) + _s3_labels(rows)
    for i, row in enumerate(rows):
        for j, column in enumerate(fmt.s3_columns):
            key = f"s3.{row.key}.{column.key}"
            text = format_value(report.cells.get(key))
            cells.append(
                GridCell(
                    _S3_HEADER_ROWS + i, _S3_LABEL_COLS + j, text, "value", key=key
                )
            )
    n_cols = _S3_LABEL_COLS + len(fmt.s3_columns)
    return Grid("s3", _S3_HEADER_ROWS + len(rows), n_cols, tuple(cells))


# --------------------------------------------------------------------------
# 四、政府信息公开行政复议、行政诉讼情况
# --------------------------------------------------------------------------


def section_four_grid(report: Report) -> Grid:
    fmt = format_schema(report)
    width = len(fmt.s4_columns)
    review, *suits = fmt.s4_groups
    cells = [
        GridCell(0, 0, review.label, "header", colspan=width),
        GridCell(0, width, suits[0].group, "header", colspan=width * len(suits)),
    ]
    cells += [
        GridCell(1, i, column.label, "header", rowspan=2)
        for i, column in enumerate(fmt.s4_columns)
    ]
    for g, group in enumerate(suits, start=1):
        cells.append(GridCell(1, g * width, group.label, "header", colspan=width))
        cells += [
            GridCell(2, g * width + i, column.label, "header")
            for i, column in enumerate(fmt.s4_columns)
        ]
    for g, group in enumerate(fmt.s4_groups):
        for i, column in enumerate(fmt.s4_columns):
            key = f"s4.{group.key}.{column.key}"
            text = format_value(report.cells.get(key))
            cells.append(GridCell(3, g * width + i, text, "value", key=key))
    return Grid("s4", 4, width * len(fmt.s4_groups), tuple(cells))


def section_grids(
    report: Report, options: FormOptions = NATIONAL_FORM
) -> dict[str, Grid]:
    """Numeral of the section → the grid printed in it (二, 三, 四)."""
    numerals = [s.numeral for s in format_schema(report).sections]
    return {
        numerals[1]: section_two_grid(report, options),
        numerals[2]: section_three_grid(report),
        numerals[3]: section_four_grid(report),
    }

"""Cell listings shared by the JSON and XLSX renderers: key, printed place, value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.core.annual.model import CellNumber, Report
from gongkai.core.annual.render.grid import format_schema, s3_rows


@dataclass(frozen=True)
class CellRow:
    key: str
    section: str  # 二 / 三 / 四, empty for keys outside the form
    row_label: str
    column_label: str
    value: CellNumber | None


def _joined(*parts: str) -> str:
    return " / ".join(part for part in parts if part)


def _form_cells(report: Report) -> Iterator[tuple[str, str, str, str]]:
    """(key, section numeral, row label, column label) of every printed cell."""
    fmt = format_schema(report)
    two, three, four = (s.numeral for s in fmt.sections[1:4])
    for table in fmt.s2_tables:
        for row in table.rows:
            for column in table.columns:
                key = f"s2.{row.key}.{column.key}"
                yield key, two, _joined(table.caption, row.label), column.label
    for row in s3_rows(report):
        for column in fmt.s3_columns:
            label = _joined(row.group, row.subgroup, row.label)
            yield (
                f"s3.{row.key}.{column.key}",
                three,
                label,
                _joined(column.group, column.label),
            )
    for group in fmt.s4_groups:
        for column in fmt.s4_columns:
            key = f"s4.{group.key}.{column.key}"
            yield key, four, _joined(group.group, group.label), column.label


def cell_rows(report: Report) -> list[CellRow]:
    """Every cell of the printed form in form order, then any other keys of the report."""
    rows = [
        CellRow(key, section, row_label, column_label, report.cells.get(key))
        for key, section, row_label, column_label in _form_cells(report)
    ]
    printed = {row.key for row in rows}
    rows += [
        CellRow(key, "", "", "", value)
        for key, value in report.cells.items()
        if key not in printed
    ]
    return rows

"""HTML: the official tables with the merged cells of the form (rowspan/colspan).

A self-contained page (inline CSS, no external assets: government intranets have
no CDN). Value cells carry ``data-key`` with their flat key so the web app can
link each number to its records.

Printed (WeasyPrint, or a browser's print) on the GB/T 9704 page; each table's
header rows are a ``<thead>`` that repeats on every page the table runs onto,
a row never breaks inside, a heading or 表二 caption never ends a page, and
no page carries a table's only or last row alone (table 四 is kept whole). On
screen each table sits in a keyboard-reachable scroll box (``role=region``,
``tabindex=0``) so a phone scrolls it sideways instead of clipping it.
"""

from __future__ import annotations

from html import escape

from gongkai.core.annual.model import Report
from gongkai.core.annual.render.document import SectionBlock, build_document
from gongkai.core.annual.render.grid import NATIONAL_FORM, FormOptions, Grid, GridCell
from gongkai.core.gbt9704 import GBT9704_PAGE

_CSS = """
body { font-family: "仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", serif;
  font-size: 16pt; line-height: 1.75; max-width: 60em; margin: 2em auto; }
h1 { font-family: "方正小标宋简体", "小标宋", "Noto Serif CJK SC", serif;
  font-size: 22pt; font-weight: normal; text-align: center; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt;
  font-weight: normal; }
p { text-indent: 2em; margin: 0; }
table.annual-table { border-collapse: collapse; margin: 1em 0; font-size: 10.5pt;
  line-height: 1.4; width: 100%; table-layout: fixed; }
table.annual-table th, table.annual-table td { border: 1px solid #000;
  padding: 2px 4px; text-align: center; vertical-align: middle; font-weight: normal; }
table.annual-table td.value { text-align: center; }
table.annual-table th.label { text-align: left; }
@media screen {
  .table-scroll { overflow-x: auto; max-width: 100%; }
  .table-scroll:focus-visible { outline: 3px solid #1f2328; outline-offset: 2px; }
  table.annual-table.s3 { min-width: 40em; }
  table.annual-table.s4 { min-width: 60em; }
}
h1, h2, tr.caption, tr.head { break-after: avoid; page-break-after: avoid; }
p { orphans: 2; widows: 2; }
table.annual-table thead { display: table-header-group; }
table.annual-table tr { break-inside: avoid; page-break-inside: avoid; }
table.annual-table tbody.sub-table { break-inside: avoid; page-break-inside: avoid; }
table.annual-table tbody tr:nth-child(2), table.annual-table tbody tr:last-child {
  break-before: avoid; page-break-before: avoid; }
table.annual-table.s4 { break-inside: avoid; page-break-inside: avoid; }
@page { PAGE }
@media print {
  body { max-width: none; margin: 0; }
}
""".strip().replace("PAGE", GBT9704_PAGE.css)


def _attrs(cell: GridCell) -> str:
    attrs = []
    if cell.rowspan > 1:
        attrs.append(f' rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f' colspan="{cell.colspan}"')
    if cell.key:
        attrs.append(f' data-key="{escape(cell.key)}"')
    return "".join(attrs)


def _cell_html(cell: GridCell) -> str:
    tag = "td" if cell.role == "value" else "th"
    return f'<{tag} class="{cell.role}"{_attrs(cell)}>{escape(cell.text)}</{tag}>'


# Column widths in percent of the table: label columns first, values share the
# rest (the same proportions as the DOCX columns on the GB/T 9704 page).
_LABEL_WIDTHS: dict[str, tuple[float, ...]] = {
    "s2": (28.0,),
    "s3": (6.5, 10.5, 33.0),
    "s4": (),
}


def _colgroup(grid: Grid) -> str:
    labels = _LABEL_WIDTHS.get(grid.name, ())
    n_values = grid.n_cols - len(labels)
    value = (100.0 - sum(labels)) / n_values
    widths = [*labels, *[value] * n_values]
    cols = "".join(f'<col style="width:{width:.2f}%">' for width in widths)
    return f"<colgroup>{cols}</colgroup>"


_TABLE_NAMES = {"s2": "表二", "s3": "表三", "s4": "表四"}


def _is_head(row: list[GridCell]) -> bool:
    return bool(row) and all(cell.role in ("caption", "header") for cell in row)


def _row_html(row: list[GridCell]) -> str:
    cells = "".join(_cell_html(cell) for cell in row)
    if not _is_head(row):
        return f"<tr>{cells}</tr>"
    kind = "caption" if row[0].role == "caption" else "head"
    return f'<tr class="{kind}">{cells}</tr>'


def _row_groups(grid: Grid) -> list[tuple[list[list[GridCell]], list[list[GridCell]]]]:
    """(header rows, data rows) runs: one for 三 and 四, one per sub-table of 二."""
    groups: list[tuple[list[list[GridCell]], list[list[GridCell]]]] = []
    for row in grid.rows():
        if _is_head(row) and (not groups or groups[-1][1]):
            groups.append(([row], []))
        elif _is_head(row):
            groups[-1][0].append(row)
        elif groups:
            groups[-1][1].append(row)
        else:
            groups.append(([], [row]))
    return groups


def _table_body(grid: Grid) -> str:
    groups = _row_groups(grid)
    if len(groups) == 1:
        # One header (三, 四): a <thead>, repeated on each printed page.
        head, body = groups[0]
        thead = "\n".join(_row_html(row) for row in head)
        rows = "\n".join(_row_html(row) for row in body)
        return f"<thead>\n{thead}\n</thead>\n<tbody>\n{rows}\n</tbody>"
    # 二: each sub-table (caption, header, rows) a group that does not break.
    return "\n".join(
        '<tbody class="sub-table">\n'
        + "\n".join(_row_html(row) for row in head + body)
        + "\n</tbody>"
        for head, body in groups
    )


def _table_html(grid: Grid, heading: str) -> str:
    name = _TABLE_NAMES.get(grid.name, "表格")
    return (
        f'<div class="table-scroll" role="region" tabindex="0"'
        f' aria-label="{escape(name)}（{escape(heading)}），可左右滚动">\n'
        f'<table class="annual-table {grid.name}">\n{_colgroup(grid)}\n'
        f"{_table_body(grid)}\n</table>\n</div>"
    )


def _section_html(section: SectionBlock) -> str:
    parts = [f"<h2>{escape(section.heading)}</h2>"]
    parts += [f"<p>{escape(paragraph)}</p>" for paragraph in section.paragraphs]
    if section.grid is not None:
        parts.append(_table_html(section.grid, section.heading))
    body = "\n".join(parts)
    return f'<section data-numeral="{escape(section.numeral)}">\n{body}\n</section>'


def render_html(report: Report, options: FormOptions = NATIONAL_FORM) -> bytes:
    document = build_document(report, options)
    meta = (
        f'data-version="{escape(report.version)}"'
        f' data-year="{report.year if report.year is not None else ""}"'
        f' data-agency="{escape(report.agency or "")}"'
    )
    sections = "\n".join(_section_html(section) for section in document.sections)
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(document.title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n"
        f'<body>\n<article class="annual-report" {meta}>\n'
        f"<h1>{escape(document.title)}</h1>\n{sections}\n</article>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")

"""HTML: the official tables with the merged cells of the form (rowspan/colspan).

A self-contained page (inline CSS, no external assets: government intranets have
no CDN). Value cells carry ``data-key`` with their flat key so the web app can
link each number to its records.
"""

from __future__ import annotations

from html import escape

from gongkai.core.annual.model import Report
from gongkai.core.annual.render.document import SectionBlock, build_document
from gongkai.core.annual.render.grid import NATIONAL_FORM, FormOptions, Grid, GridCell

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
""".strip()


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


def _table_html(grid: Grid) -> str:
    rows = "\n".join(
        "<tr>" + "".join(_cell_html(cell) for cell in row) + "</tr>"
        for row in grid.rows()
    )
    return (
        f'<table class="annual-table {grid.name}">\n{_colgroup(grid)}\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>"
    )


def _section_html(section: SectionBlock) -> str:
    parts = [f"<h2>{escape(section.heading)}</h2>"]
    parts += [f"<p>{escape(paragraph)}</p>" for paragraph in section.paragraphs]
    if section.grid is not None:
        parts.append(_table_html(section.grid))
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

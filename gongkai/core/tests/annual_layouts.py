"""Test inputs laid out like published reports, built from truth cell values.

The layouts follow the official form (spec §3–§5: captions, the corner cell,
merged group labels with rowspans, single-value rows with colspan 3). Tests
feed them to the parser and compare what comes back with the same truth
values, so a parser tuned to the corpus files alone would fail here.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from gongkai.core.annual.schema import S3_COLUMNS, S4_COLUMNS, S4_GROUPS, V2021

Fmt = Callable[[Any], str]


def plain(value: Any) -> str:
    return "" if value is None else str(value)


def html_report(
    cells: dict[str, Any],
    *,
    title: str,
    fmt: Fmt = plain,
    charset: str = "utf-8",
    narrative: str = "本年度未收取信息处理费。",
    drop_last_cell_of: str | None = None,
    printed: dict[str, str] | None = None,
) -> str:
    """A CMS-like page: chrome, the six sections, the three official tables.

    ``printed`` overrides the text printed for some cells (by flat key).
    """
    if printed:
        cells = {
            k: _Printed(printed[k]) if k in printed else v for k, v in cells.items()
        }
        fmt = _printing(fmt)
    s3 = _s3_html(cells, fmt, drop_last_cell_of)
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_政府信息公开年报_某某人民政府</title><script>var x = "一、总体情况 0 0 0";</script></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a>政府信息公开年报</a></div>
<div class="content"><h1>{title}</h1>
<p>本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。</p>
<p><strong>一、总体情况</strong></p><p>（一）主动公开。全年主动公开信息120条。</p>
<p><strong>二、主动公开政府信息情况</strong></p>{_s2_html(cells, fmt)}
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>{s3}
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>{_s4_html(cells, fmt)}
<p><strong>五、存在的主要问题及改进情况</strong></p><p>一是公开质量有待提高。</p>
<p><strong>六、其他需要报告的事项</strong></p><p>{narrative}</p></div>
<div class="footer">网站标识码 3213220037 ICP备05012345号</div></body></html>"""


class _Printed(str):
    """A cell text to print as is, whatever the value formatter does."""


def _printing(base: Fmt) -> Fmt:
    return lambda value: str(value) if isinstance(value, _Printed) else base(value)


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f"<td{attrs}><p>{text}</p></td>"


def _s2_html(cells: dict[str, Any], fmt: Fmt) -> str:
    rows = []
    for table in V2021.s2_tables:
        rows.append(f"<tr>{_td(table.caption, colspan=4)}</tr>")
        span = 1 if len(table.columns) == 3 else 3
        header = "".join(_td(c.label, colspan=span) for c in table.columns)
        rows.append(f"<tr>{_td(table.label_header)}{header}</tr>")
        for row in table.rows:
            values = "".join(
                _td(fmt(cells[f"s2.{row.key}.{c.key}"]), colspan=span)
                for c in table.columns
            )
            rows.append(f"<tr>{_td(row.label)}{values}</tr>")
    return "<table>" + "".join(rows) + "</table>"


_GROUP_SIZES = {"withheld": 8, "unable": 3, "rejected": 5, "other": 3}


def _s3_html(cells: dict[str, Any], fmt: Fmt, drop_last_cell_of: str | None) -> str:
    head = (
        f"<tr>{_td(V2021.s3_corner, rowspan=3, colspan=3)}{_td('申请人情况', colspan=7)}</tr>"
        f"<tr>{_td('自然人', rowspan=2)}{_td('法人或其他组织', colspan=5)}{_td('总计', rowspan=2)}</tr>"
        "<tr>" + "".join(_td(c.label) for c in S3_COLUMNS[1:6]) + "</tr>"
    )
    rows = []
    for row in V2021.s3_rows:
        stem = row.key
        values = [fmt(cells[f"s3.{stem}.{c.key}"]) for c in S3_COLUMNS]
        if stem == drop_last_cell_of:
            values = values[:-1]
        value_tds = "".join(_td(v) for v in values)
        group = stem.split(".")[0]
        if stem in ("new", "carried", "carry_forward"):
            label = _td(row.label, colspan=3)
        elif stem in ("granted", "partial", "total"):
            label = _td(row.label, colspan=2)
            if stem == "granted":
                label = _td("三、本年度办理结果", rowspan=22) + label
        elif stem.endswith(
            (".state_secret", ".not_held", ".petition", ".no_supplement")
        ):
            label = _td(row.subgroup, rowspan=_GROUP_SIZES[group]) + _td(row.label)
        else:
            label = _td(row.label)
        rows.append(f"<tr>{label}{value_tds}</tr>")
    return "<table>" + head + "".join(rows) + "</table>"


def _s4_html(cells: dict[str, Any], fmt: Fmt) -> str:
    head = (
        f"<tr>{_td('行政复议', colspan=5)}{_td('行政诉讼', colspan=10)}</tr>"
        "<tr>"
        + "".join(_td(c.label, rowspan=2) for c in S4_COLUMNS)
        + f"{_td('未经复议直接起诉', colspan=5)}{_td('复议后起诉', colspan=5)}</tr>"
        "<tr>" + "".join(_td(c.label) for c in S4_COLUMNS) * 2 + "</tr>"
    )
    values = "".join(
        _td(fmt(cells[f"s4.{g.key}.{c.key}"])) for g in S4_GROUPS for c in S4_COLUMNS
    )
    return f"<table>{head}<tr>{values}</tr></table>"


def docx_report(cells: dict[str, Any], *, title: str) -> bytes:
    """The same report as a Word document with merged cells (python-docx)."""
    from docx import Document

    document = Document()
    document.add_paragraph(title)
    document.add_paragraph("一、总体情况")
    document.add_paragraph("（一）主动公开。")
    document.add_paragraph("二、主动公开政府信息情况")
    _s2_docx(document, cells)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    _s3_docx(document, cells)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _s4_docx(document, cells)
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("一是公开质量有待提高。")
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph("本年度未收取信息处理费。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _s2_docx(document: Any, cells: dict[str, Any]) -> None:
    count = sum(2 + len(t.rows) for t in V2021.s2_tables)
    grid = document.add_table(rows=count, cols=4)
    r = 0
    for table in V2021.s2_tables:
        grid.cell(r, 0).merge(grid.cell(r, 3)).text = table.caption
        lines = [(table.label_header, [c.label for c in table.columns])]
        lines += [
            (row.label, [plain(cells[f"s2.{row.key}.{c.key}"]) for c in table.columns])
            for row in table.rows
        ]
        for label, values in lines:
            r += 1
            grid.cell(r, 0).text = label
            if len(values) == 1:  # single-value rows merge the three value cells
                grid.cell(r, 1).merge(grid.cell(r, 3)).text = values[0]
            else:
                for c, text in enumerate(values):
                    grid.cell(r, 1 + c).text = text
        r += 1


def _s3_docx(document: Any, cells: dict[str, Any]) -> None:
    rows = V2021.s3_rows
    grid = document.add_table(rows=3 + len(rows), cols=10)
    corner = grid.cell(0, 0).merge(grid.cell(2, 2))
    corner.text = V2021.s3_corner
    grid.cell(0, 3).merge(grid.cell(0, 9)).text = "申请人情况"
    grid.cell(1, 3).merge(grid.cell(2, 3)).text = "自然人"
    grid.cell(1, 4).merge(grid.cell(1, 8)).text = "法人或其他组织"
    grid.cell(1, 9).merge(grid.cell(2, 9)).text = "总计"
    for i, col in enumerate(S3_COLUMNS[1:6]):
        grid.cell(2, 4 + i).text = col.label
    for i, row in enumerate(rows):
        r = 3 + i
        for j, col in enumerate(S3_COLUMNS):
            grid.cell(r, 3 + j).text = plain(cells[f"s3.{row.key}.{col.key}"])
        if row.key in ("new", "carried", "carry_forward"):
            grid.cell(r, 0).merge(grid.cell(r, 2)).text = row.label
        elif row.key in ("granted", "partial", "total"):
            grid.cell(r, 1).merge(grid.cell(r, 2)).text = row.label
        else:
            grid.cell(r, 2).text = row.label
    grid.cell(5, 0).merge(grid.cell(3 + len(rows) - 2, 0)).text = "三、本年度办理结果"
    start = 7
    for group, size in _GROUP_SIZES.items():
        label = next(r.subgroup for r in rows if r.key.startswith(group + "."))
        grid.cell(start, 1).merge(grid.cell(start + size - 1, 1)).text = label
        start += size


def _s4_docx(document: Any, cells: dict[str, Any]) -> None:
    grid = document.add_table(rows=4, cols=15)
    grid.cell(0, 0).merge(grid.cell(0, 4)).text = "行政复议"
    grid.cell(0, 5).merge(grid.cell(0, 14)).text = "行政诉讼"
    for i, col in enumerate(S4_COLUMNS):
        grid.cell(1, i).merge(grid.cell(2, i)).text = col.label
        grid.cell(2, 5 + i).text = col.label
        grid.cell(2, 10 + i).text = col.label
    grid.cell(1, 5).merge(grid.cell(1, 9)).text = "未经复议直接起诉"
    grid.cell(1, 10).merge(grid.cell(1, 14)).text = "复议后起诉"
    for g, group in enumerate(S4_GROUPS):
        for i, col in enumerate(S4_COLUMNS):
            grid.cell(3, g * 5 + i).text = plain(cells[f"s4.{group.key}.{col.key}"])


def text_report(
    cells: dict[str, Any],
    *,
    title: str,
    sep: str = "\t",
    subtotals: bool = False,
    drop: dict[str, int] | None = None,
) -> str:
    """Text as copied from a web page: one table row per line, cells split by ``sep``.

    ``subtotals`` inserts local-template subtotal rows under （三）（四）（五）
    (spec §4.2 notes); ``drop`` removes the value at a column index of a row.
    """
    drop = drop or {}
    out = [
        title,
        "",
        "一、总体情况",
        "（一）主动公开情况。全年主动公开信息35条。",
        "二、主动公开政府信息情况",
    ]
    for table in V2021.s2_tables:
        out.append(table.caption)
        out.append(sep.join([table.label_header, *(c.label for c in table.columns)]))
        for row in table.rows:
            values = [plain(cells[f"s2.{row.key}.{c.key}"]) for c in table.columns]
            out.append(sep.join([row.label, *values]))
    out += ["三、收到和处理政府信息公开申请情况", V2021.s3_corner + sep + "申请人情况"]
    out.append(sep.join(c.label for c in S3_COLUMNS))
    seen_groups: set[str] = set()
    for row in V2021.s3_rows:
        group = row.key.split(".")[0]
        if row.subgroup and group not in seen_groups:
            seen_groups.add(group)
            if subtotals and group != "other":
                sums = [
                    sum(
                        cells[f"s3.{r.key}.{c.key}"]
                        for r in V2021.s3_rows
                        if r.key.startswith(group + ".")
                    )
                    for c in S3_COLUMNS
                ]
                out.append(sep.join([row.subgroup, *(str(v) for v in sums)]))
            else:
                out.append(row.subgroup)
        values = [plain(cells[f"s3.{row.key}.{c.key}"]) for c in S3_COLUMNS]
        if row.key in drop:
            del values[drop[row.key]]
        out.append(sep.join([row.label, *values]))
    out += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议" + sep + "行政诉讼"]
    out.append(
        sep.join(c.label for c in S4_COLUMNS)
        + sep
        + "未经复议直接起诉"
        + sep
        + "复议后起诉"
    )
    out.append(sep.join(c.label for c in S4_COLUMNS * 2))
    out.append(
        sep.join(
            plain(cells[f"s4.{g.key}.{c.key}"]) for g in S4_GROUPS for c in S4_COLUMNS
        )
    )
    out += [
        "五、存在的主要问题及改进情况",
        "一是公开质量有待提高。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    return "\n".join(out)

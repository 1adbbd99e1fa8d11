"""The HTML summary of ``gongkai report audit --html FILE`` (issue 20, requirement 6).

One self-contained page (inline CSS and a few lines of JavaScript, nothing loaded
from elsewhere): one row per file — body, year, format, cells read, findings by
severity, status — that a supervisor sorts by clicking a column heading and filters
by text or severity; under each row the file's findings in Chinese with where they
were read and the cells they are about (cell names, never keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from gongkai.cli.audit_row import AuditRow
from gongkai.core.annual.names import cell_name

_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_VERSION = {"2021": "2021年格式", "2019": "2019年格式（试行）", "legacy": "旧格式"}
_HEADINGS = (
    ("文件", "text"),
    ("机关", "text"),
    ("年度", "number"),
    ("格式", "text"),
    ("已读单元格", "number"),
    ("错误", "number"),
    ("警告", "number"),
    ("提示", "number"),
    ("状态", "text"),
)

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 1.5rem;
  color: #1a1a1a; }
h1 { font-size: 1.4rem; }
.controls { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
.controls label { display: flex; gap: .4rem; align-items: center; }
input, select { font-size: 1rem; padding: .25rem .4rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th button { font: inherit; font-weight: bold; background: none; border: 0;
  cursor: pointer; padding: 0; }
td.n { text-align: right; }
tr.detail td { background: #fafafa; }
.error { color: #b00020; font-weight: bold; }
.warning { color: #8a5300; }
.info { color: #555; }
ul { margin: .3rem 0 .3rem 1.2rem; padding: 0; }
li { margin: .15rem 0; }
.where { color: #555; font-size: .9em; }
"""

_SCRIPT = """
(function () {
  var table = document.getElementById("audit");
  var text = document.getElementById("filter-text");
  var level = document.getElementById("filter-level");
  function apply() {
    var q = text.value.trim().toLowerCase();
    var want = level.value;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var show = (!q || body.textContent.toLowerCase().indexOf(q) >= 0) &&
        (!want || body.getAttribute("data-" + want) === "1");
      body.hidden = !show;
    });
  }
  text.addEventListener("input", apply);
  level.addEventListener("change", apply);
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, col) {
    th.querySelector("button").addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var numeric = th.getAttribute("data-kind") === "number";
      var bodies = Array.prototype.slice.call(table.tBodies);
      bodies.sort(function (a, b) {
        var x = a.rows[0].cells[col].getAttribute("data-value");
        var y = b.rows[0].cells[col].getAttribute("data-value");
        var r = numeric ? (parseFloat(x || "-1") - parseFloat(y || "-1"))
                        : x.localeCompare(y, "zh-CN");
        return up ? r : -r;
      });
      bodies.forEach(function (body) { table.appendChild(body); });
    });
  });
})();
"""


def audit_html(rows: Sequence[AuditRow], title: str) -> str:
    """The whole HTML page of an audit summary."""
    audited = [r for r in rows if r.status == "已审核"]
    with_errors = sum(1 for r in audited if r.errors)
    head = "".join(
        f'<th scope="col" data-kind="{kind}"><button type="button">{name}</button></th>'
        for name, kind in _HEADINGS
    )
    bodies = "\n".join(_file_body(row) for row in rows)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>年度报告审核汇总：{escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>年度报告审核汇总：{escape(title)}</h1>
<p>共 {len(rows)} 个文件：{len(audited)} 个已审核（其中 {with_errors} 个有错误），
{len(rows) - len(audited)} 个无法读取。点击列名排序；展开“问题”查看每个问题及所在位置。</p>
<div class="controls">
<label for="filter-text">筛选</label>
<input id="filter-text" type="search" placeholder="机关、文件名或问题中的文字">
<label for="filter-level">只看</label>
<select id="filter-level">
<option value="">全部文件</option>
<option value="error">有错误的</option>
<option value="warning">有警告的</option>
<option value="unreadable">无法读取的</option>
</select>
</div>
<table id="audit">
<thead><tr>{head}</tr></thead>
{bodies}
</table>
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def _cell(value: object, *, numeric: bool = False, shown: str | None = None) -> str:
    text = "" if value is None else str(value)
    cls = ' class="n"' if numeric else ""
    return (
        f'<td{cls} data-value="{escape(text)}">'
        f"{escape(shown if shown is not None else text)}</td>"
    )


def _file_body(row: AuditRow) -> str:
    unreadable = row.status != "已审核"
    read = (
        f"{row.cells_read}/{row.cells_total}"
        if row.cells_total and not unreadable
        else ""
    )
    ratio = row.cells_read / row.cells_total if row.cells_total else None
    cells = [
        _cell(row.file),
        _cell(row.agency),
        _cell(row.year, numeric=True),
        _cell(row.version, shown=_VERSION.get(row.version, row.version)),
        _cell(None if ratio is None else f"{ratio:.4f}", numeric=True, shown=read),
        _cell(row.errors, numeric=True),
        _cell(row.warnings, numeric=True),
        _cell(row.infos, numeric=True),
        _cell(row.status),
    ]
    flags = (
        f'data-error="{int(bool(row.errors))}" data-warning="{int(bool(row.warnings))}" '
        f'data-unreadable="{int(unreadable)}"'
    )
    return (
        f"<tbody {flags}><tr>{''.join(cells)}</tr>"
        f'<tr class="detail"><td colspan="{len(_HEADINGS)}">{_findings(row)}</td></tr>'
        "</tbody>"
    )


def _findings(row: AuditRow) -> str:
    if not row.findings:
        return "没有发现问题。" if row.status == "已审核" else escape(row.status)
    order = {"error": 0, "warning": 1, "info": 2}
    items = []
    for severity, _code, message, where, keys in sorted(
        row.findings, key=lambda f: order.get(f[0], 3)
    ):
        label = _SEVERITY.get(severity, "提示")
        names = "、".join(cell_name(k) for k in keys.split() if k)
        about = f"；涉及：{escape(names)}" if names else ""
        place = f"；位置：{escape(_where(where))}" if where else ""
        items.append(
            f'<li><span class="{escape(severity)}">［{label}］</span>{escape(message)}'
            f'<span class="where">{place}{about}</span></li>'
        )
    total = row.errors + row.warnings + row.infos
    shown = len(items)
    more = (
        f"（只列出最严重的前 {shown} 个，另有 {total - shown} 个未列出）"
        if shown < total
        else ""
    )
    return (
        f"<details><summary>问题（错误 {row.errors}，警告 {row.warnings}，"
        f"提示 {row.infos}）{more}</summary><ul>{''.join(items)}</ul></details>"
    )


_KINDS = {
    "text": "文本",
    "html": "网页",
    "pdf": "PDF",
    "docx": "Word",
    "xlsx": "Excel",
    "ocr": "扫描件OCR",
}


def _where(where: str) -> str:
    """``pdf:第3页:第118行`` -> ``PDF 第3页 第118行`` (no internal format names)."""
    kind, _, rest = where.partition(":")
    if kind in _KINDS:
        return " ".join([_KINDS[kind], *rest.split(":")])
    return where.replace(":", " ")

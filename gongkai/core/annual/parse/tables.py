"""Reading the tables of sections 二, 三 and 四 from the linear document.

Strategy (spec §9): find each canonical row label in printed order, then read
the numbers lying between it and the next label. Every label found (rows and
merged group labels alike) bounds the previous row, so a row never borrows
numbers from the next one.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from gongkai.core.annual.model import CellNumber, Finding
from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.digits import (
    any_split,
    row_sum_ok,
    s4_sums_ok,
    strip_notes,
    to_number,
    tokenize,
)
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.labels import (
    GAP,
    compile_labels,
    numbered_label_pattern,
    search,
)
from gongkai.core.annual.parse.resolve import resolve_s3, settle_candidates
from gongkai.core.annual.parse.rows import RowRead, read_row, unknown_row
from gongkai.core.annual.schema import (
    S3_COLUMNS,
    S4_COLUMNS,
    S4_GROUPS,
    FormatSchema,
    Row,
    SubTable,
)


@dataclass(frozen=True)
class Hit:
    """A label found in the document."""

    key: str  # row stem, or "group:<label>" for a merged group label
    label: str  # the label as printed
    start: int
    end: int


def _find(
    doc: Doc, labels: tuple[str, ...], start: int, end: int
) -> re.Match[str] | None:
    """First occurrence of the canonical label, else of any alias.

    The canonical wording wins even when an alias occurs earlier: a lead-in
    sentence (本年度新收政府信息公开申请数量21件) must not be taken for the row.
    """
    return search(doc.norm, labels[:1], start, end) or search(
        doc.norm, labels, start, end
    )


def _row_labels(row: Row) -> tuple[str, ...]:
    return (row.label, *row.aliases)


# ---------------------------------------------------------------------------
# Section 三
# ---------------------------------------------------------------------------

_S3_WIDTH = len(S3_COLUMNS)
_GROUPS = {
    "withheld": "（三）不予公开",
    "unable": "（四）无法提供",
    "rejected": "（五）不予处理",
    "other": "（六）其他处理",
}
# the same group labels without their numbering (some local templates)
_GROUP_ALIASES = {key: label[3:] for key, label in _GROUPS.items()}
_S3_START_LABELS = (
    "申请人情况",
    "本列数据的勾稽关系",
    "一、本年新收政府信息公开申请数量",
)


@dataclass
class S3Read:
    rows: dict[str, RowRead]
    other_as_one_row: bool
    found: bool


def read_s3(
    doc: Doc, schema: FormatSchema, span: tuple[int, int], findings: list[Finding]
) -> S3Read:
    start, end = span
    hits, variants = _find_s3_labels(doc, schema, start, end, findings)
    row_hits = [h for h in hits if not h.key.startswith("group:")]
    if len(row_hits) < 3:
        findings.append(
            finding("parse.table_missing", "三、收到和处理政府信息公开申请情况")
        )
        return S3Read({}, False, False)
    rows: dict[str, RowRead] = {}
    spares: dict[str, RowRead] = {}
    bounds = sorted(hits, key=lambda h: h.start)
    if _values_precede_labels(doc, bounds, start, end):
        rows = _read_s3_values_first(doc, bounds, start, findings)
        other_one = "other.subtotal" in rows and not any(
            k in rows for k in ("other.no_supplement", "other.no_fee", "other.other")
        )
        _add_missing_rows(doc, schema, rows, other_one, findings)
        resolve_s3(rows, _result_keys(schema, other_one), findings)
        return S3Read(rows, other_one, True)
    for i, hit in enumerate(bounds):
        region_end = bounds[i + 1].start if i + 1 < len(bounds) else end
        if hit.key.startswith("group:"):
            if _before_its_rows(hit, bounds):
                _maybe_subtotal(doc, hit, (hit.end, region_end), rows, findings)
            else:
                # a merged label printed among its rows: numbers after it are a
                # row's, not a subtotal (values before labels, see below)
                spares[hit.key] = _spare(doc, hit, (hit.end, region_end))
            continue
        keys = tuple(f"s3.{hit.key}.{c.key}" for c in S3_COLUMNS)
        row = read_row(
            doc,
            hit.key,
            hit.label,
            (hit.end, region_end),
            _S3_WIDTH,
            row_sum_ok,
            constrained=True,
            findings=findings,
            keys=keys,
        )
        if hit.key in variants:
            # the row is identified by item number and position only
            row.confidence = [
                "inferred" if c == "certain" else c for c in row.confidence
            ]
        rows[hit.key] = row
    _values_before_labels(doc, bounds, rows, spares, findings)
    other_one = "other.subtotal" in rows and not any(
        k in rows for k in ("other.no_supplement", "other.no_fee", "other.other")
    )
    _add_missing_rows(doc, schema, rows, other_one, findings)
    result_keys = _result_keys(schema, other_one)
    resolve_s3(rows, result_keys, findings)
    return S3Read(rows, other_one, True)


def _numbers(doc: Doc, start: int, end: int) -> list[str]:
    return [t.text for t in tokenize(doc.norm[start:end], start) if t.kind == "num"]


def _values_precede_labels(doc: Doc, bounds: list[Hit], start: int, end: int) -> bool:
    """The whole table prints each row's values *before* its label.

    Seen in text and markdown extractions of PDFs: a full line of numbers sits
    between the header and the first row label, and nothing follows the last
    label. Read the usual way, every row would take the next row's numbers (a
    row shifted by one, with certainty), so such a table is read the other way.
    """
    rows = [h for h in bounds if not h.key.startswith("group:")]
    if not rows:
        return False
    if _numbers(doc, bounds[-1].end, end):
        return False  # the usual layout: the last row's numbers follow its label
    return len(_numbers(doc, start, rows[0].start)) >= _S3_WIDTH - 1


def _read_s3_values_first(
    doc: Doc, bounds: list[Hit], start: int, findings: list[Finding]
) -> dict[str, RowRead]:
    """Each row's values are the numbers between the previous label and its own.

    The placement rests on the layout, not on a label right before the numbers:
    every value is ``inferred`` at best, and the table's sums (resolve_s3 and the
    checks) are what confirm it.
    """
    rows: dict[str, RowRead] = {}
    previous_end = start
    for hit in bounds:
        region = (previous_end, hit.start)
        previous_end = hit.end
        if hit.key.startswith("group:"):
            continue
        keys = tuple(f"s3.{hit.key}.{c.key}" for c in S3_COLUMNS)
        row = read_row(
            doc,
            hit.key,
            hit.label,
            region,
            _S3_WIDTH,
            row_sum_ok,
            constrained=True,
            findings=findings,
            keys=keys,
        )
        row.confidence = ["inferred" if c == "certain" else c for c in row.confidence]
        row.notes = [
            f"数值印在行标签之前，按位置归入该行；{n}".rstrip("；") for n in row.notes
        ]
        rows[hit.key] = row
    s3_keys = tuple(k for r in rows.values() for k in r.keys)
    findings.append(
        finding(
            "parse.values_before_label",
            "三、收到和处理政府信息公开申请情况",
            s3_keys,
            doc.where(start),
        )
    )
    return rows


def _before_its_rows(group: Hit, bounds: list[Hit]) -> bool:
    prefix = group.key.removeprefix("group:") + "."
    children = [h.start for h in bounds if h.key.startswith(prefix)]
    return not children or group.start < min(children)


def _spare(doc: Doc, hit: Hit, span: tuple[int, int]) -> RowRead:
    row = unknown_row(hit.key, hit.label, doc.where(span[0]), _S3_WIDTH, "")
    row.leftover = tokenize(doc.norm[span[0] : span[1]], span[0])
    return row


def _values_before_labels(
    doc: Doc,
    bounds: list[Hit],
    rows: dict[str, RowRead],
    spares: dict[str, RowRead],
    findings: list[Finding],
) -> None:
    """A row with no numbers right after a row with a spare line of numbers.

    In layout-ordered PDF text a label that sits lower in its cell than its
    values comes after them: "0 0 0 0 0 0 0" then "1.属于国家秘密". The spare
    line at the end of the previous row's region is then this row's values,
    taken only if it has one value per column and keeps the row's sum.
    """
    every = {**spares, **rows}
    ordered = [h for h in bounds if h.key in every]
    for before, hit in itertools.pairwise(ordered):
        if hit.key not in rows:
            continue
        row, previous = rows[hit.key], every[before.key]
        spare = previous.leftover
        if row.resolved or row.candidates or row.printed or len(spare) != _S3_WIDTH:
            continue
        if len({doc.norm.count("\n", 0, t.start) for t in spare}) != 1:
            continue  # not one line
        read = [to_number(t.text) if t.kind == "num" else 0 for t in spare]
        values = tuple(v for v in read if v is not None)
        if len(values) != _S3_WIDTH or not row_sum_ok(values):
            continue
        keys = tuple(f"s3.{hit.key}.{c.key}" for c in S3_COLUMNS)
        row.values = list(values)
        row.confidence = ["inferred"] * _S3_WIDTH
        row.notes = ["数值印在行标签之前（PDF版面顺序）"] * _S3_WIDTH
        previous.leftover = []
        findings[:] = [
            f for f in findings if not (f.code == "parse.row_short" and f.keys == keys)
        ]
        findings.append(
            finding(
                "parse.values_before_label", hit.label, keys, doc.where(spare[0].start)
            )
        )


def _result_keys(schema: FormatSchema, other_one: bool) -> list[str]:
    keys = [
        r.key
        for r in schema.s3_rows
        if r.key not in {"new", "carried", "total", "carry_forward"}
    ]
    keys = [k for k in keys if not k.startswith("other.")]
    if other_one:
        keys.append("other.subtotal")
    else:
        keys += ["other.no_supplement", "other.no_fee", "other.other"]
    return keys


def _maybe_subtotal(
    doc: Doc,
    hit: Hit,
    span: tuple[int, int],
    rows: dict[str, RowRead],
    findings: list[Finding],
) -> None:
    """A group label followed by numbers before its first item is a subtotal row."""
    group = hit.key.removeprefix("group:")
    if group not in _GROUPS:
        return
    key = f"{group}.subtotal"
    keys = tuple(f"s3.{key}.{c.key}" for c in S3_COLUMNS)
    probe: list[Finding] = []
    row = read_row(
        doc,
        key,
        hit.label,
        span,
        _S3_WIDTH,
        row_sum_ok,
        constrained=True,
        findings=probe,
        keys=keys,
    )
    if not re.search(r"[0-9]", doc.norm[span[0] : span[1]]):
        return  # no numbers: a plain merged group label
    findings.extend(probe)
    if group != "other":
        findings.append(finding("parse.subtotal_row", hit.label, keys, row.where))
    rows[key] = row


def _find_s3_labels(
    doc: Doc, schema: FormatSchema, start: int, end: int, findings: list[Finding]
) -> tuple[list[Hit], set[str]]:
    """Labels of section 三 in printed order; (六)'s sub-rows only if printed."""
    hits: list[Hit] = []
    pos = start
    before_other = start
    plan = _s3_plan(schema)
    for key, labels in plan:
        if key == "other-children":
            # a merged （六）其他处理 cell wrapped over two lines ("（六）" and
            # "其他处理") may put its label after its first item in layout-ordered
            # text (a scan): the items are searched from before the label
            children_end = _find_other_children(doc, before_other, end, hits)
            pos = max(pos, children_end)
            continue
        if key.startswith("group:") and key != "group:other":
            continue  # merged group labels: placed below, out of sequence
        if key == "group:other":
            before_other = pos
        m = _find(doc, labels, pos, end)
        if m is None:
            continue
        hits.append(Hit(key, doc.text[m.start() : m.end()], m.start(), m.end()))
        pos = m.end()
    _find_out_of_order(doc, plan, hits, start, end)
    variants = _find_variants(doc, plan, hits, end, findings)
    _add_group_labels(doc, plan, hits, start, end)
    return hits, variants


def _unique_label(
    doc: Doc, labels: tuple[str, ...], start: int, end: int, taken: list[Hit]
) -> re.Match[str] | None:
    """The one place ``labels`` occur in ``[start, end)`` outside other labels."""
    free = [
        m
        for m in compile_labels(labels).finditer(doc.norm, start, end)
        if not any(h.start < m.end() and m.start() < h.end for h in taken)
    ]
    return free[0] if len(free) == 1 else None


def _find_out_of_order(
    doc: Doc,
    plan: list[tuple[str, tuple[str, ...]]],
    hits: list[Hit],
    start: int,
    end: int,
) -> None:
    """Rows printed in another order than the form's (rows swapped, a 2019 row
    among 2021 rows): a row the in-order search missed is taken where its full
    label occurs exactly once in the table. The label is unambiguous, so the
    row's placement is too; its values are read and summed like any other row.
    """
    found = {h.key for h in hits}
    for key, labels in plan:
        if key in found or key.startswith("group:") or key == "other-children":
            continue
        m = _unique_label(doc, labels, start, end, hits)
        if m is not None:
            hits.append(Hit(key, doc.text[m.start() : m.end()], m.start(), m.end()))


def _add_group_labels(
    doc: Doc,
    plan: list[tuple[str, tuple[str, ...]]],
    hits: list[Hit],
    start: int,
    end: int,
) -> None:
    """Merged group labels bound the rows around them wherever the text puts them.

    A vertically centred merged cell (（三）不予公开 over 8 rows) lands in the middle
    of its rows in layout-ordered text, so it is not searched in row order.
    """
    first_row = min(
        (h.start for h in hits if not h.key.startswith("group:")), default=start
    )
    taken = [(h.start, h.end) for h in hits]
    for key, labels in plan:
        if not key.startswith("group:") or key == "group:other":
            continue
        for m in compile_labels(labels).finditer(doc.norm, first_row, end):
            if not any(
                s <= m.start() < e or m.start() <= s < m.end() for s, e in taken
            ):
                hits.append(Hit(key, doc.text[m.start() : m.end()], m.start(), m.end()))
                taken.append((m.start(), m.end()))
                break


def _s3_plan(schema: FormatSchema) -> list[tuple[str, tuple[str, ...]]]:
    plan: list[tuple[str, tuple[str, ...]]] = []
    seen_groups: set[str] = set()
    for row in schema.s3_rows:
        group = row.key.split(".")[0]
        if row.key == "granted":
            plan.append(("group:result", ("三、本年度办理结果",)))
        if row.key.startswith("other."):
            if "other" not in seen_groups:
                seen_groups.add("other")
                plan.append(
                    ("group:other", (_GROUPS["other"], _GROUP_ALIASES["other"]))
                )
                plan.append(("other-children", ()))
            continue
        if group in _GROUPS and group not in seen_groups:
            seen_groups.add(group)
            plan.append((f"group:{group}", (_GROUPS[group], _GROUP_ALIASES[group])))
        plan.append((row.key, _row_labels(row)))
    return plan


_OTHER_CHILDREN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other.no_supplement", ("1.申请人无正当理由逾期不补正",)),
    ("other.no_fee", ("2.申请人逾期未按收费通知要求缴纳费用",)),
    ("other.other", ("3.其他",)),
)
_TOTAL_LABELS = ("（七）总计", "七、总计")


def _find_other_children(doc: Doc, pos: int, end: int, hits: list[Hit]) -> int:
    """Find （六）'s three items before （七）总计; none found = printed as one row."""
    total = _find(doc, _TOTAL_LABELS, pos, end) or _find(doc, ("总计",), pos, end)
    limit = total.start() if total else end
    for key, labels in _OTHER_CHILDREN:
        m = _find(doc, labels, pos, limit)
        if m is None:
            continue
        hits.append(Hit(key, doc.text[m.start() : m.end()], m.start(), m.end()))
        pos = m.end()
    if hits and hits[-1].key == "group:other":
        # printed as one row: the group label carries the values
        group = hits.pop()
        hits.append(Hit("other.subtotal", group.label, group.start, group.end))
    return pos


def _find_variants(
    doc: Doc,
    plan: list[tuple[str, tuple[str, ...]]],
    hits: list[Hit],
    end: int,
    findings: list[Finding],
) -> set[str]:
    """Numbered rows missing by wording but present by item number and position."""
    order = {key: i for i, (key, _labels) in enumerate(plan)}
    children_at = order.get("other-children", len(order))
    for key, _labels in _OTHER_CHILDREN:
        order[key] = children_at
    order["other.subtotal"] = children_at
    found = {h.key for h in hits}
    variants: set[str] = set()
    for key, labels in plan:
        number = re.match(r"([0-9])\.", labels[0]) if labels else None
        if key in found or not number:
            continue
        i = order[key]
        before = max((h.end for h in hits if order.get(h.key, -1) < i), default=None)
        after = min((h.start for h in hits if order.get(h.key, -1) > i), default=end)
        if before is None:
            continue
        m = numbered_label_pattern(int(number.group(1))).search(doc.norm, before, after)
        if m is None:
            continue
        label = doc.text[m.start() : m.end()].strip()
        hits.append(Hit(key, label, m.start(), m.end()))
        variants.add(key)
        keys = tuple(f"s3.{key}.{c.key}" for c in S3_COLUMNS)
        findings.append(
            finding("parse.label_variant", label, keys, doc.where(m.start()))
        )
    return variants


def _add_missing_rows(
    doc: Doc,
    schema: FormatSchema,
    rows: dict[str, RowRead],
    other_one: bool,
    findings: list[Finding],
) -> None:
    for row in schema.s3_rows:
        if row.key.startswith("other.") and other_one:
            continue
        if row.key == "other.subtotal" and not other_one:
            continue
        if row.key not in rows:
            keys = tuple(f"s3.{row.key}.{c.key}" for c in S3_COLUMNS)
            findings.append(finding("parse.row_missing", row.label, keys))
            rows[row.key] = unknown_row(row.key, row.label, "", _S3_WIDTH, "未找到该行")
            rows[row.key].keys = keys
    if other_one and "other.subtotal" not in rows:
        subtotal_keys = tuple(f"s3.other.subtotal.{c.key}" for c in S3_COLUMNS)
        findings.append(finding("parse.row_missing", "（六）其他处理", subtotal_keys))
        rows["other.subtotal"] = unknown_row(
            "other.subtotal", "（六）其他处理", "", _S3_WIDTH, "未找到该行"
        )
        rows["other.subtotal"].keys = subtotal_keys


def s3_span(doc: Doc, start: int, end: int) -> int | None:
    """Where the section-三 table begins, if its header or first row is present."""
    m = _find(doc, _S3_START_LABELS, start, end)
    return m.start() if m else None


# ---------------------------------------------------------------------------
# Section 四
# ---------------------------------------------------------------------------

_TOTAL_WORD = re.compile(f"总{GAP}计")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STANDALONE_NONE = re.compile(r"(?<![^\s∅])无(?![^\s∅])")  # 无 as a cell value


def read_s4(doc: Doc, span: tuple[int, int], findings: list[Finding]) -> RowRead | None:
    """The 15 values after the last header word 总计 (spec §9)."""
    start, end = span
    last_total = None
    for m in _TOTAL_WORD.finditer(doc.norm, start, end):
        last_total = m
    if last_total is None:
        if "行政复议" not in doc.norm[start:end]:
            findings.append(
                finding("parse.table_missing", "四、政府信息公开行政复议、行政诉讼情况")
            )
            return None
        values_start = start
    else:
        values_start = last_total.end()
    # stop at the first text after the values; notes in （） are not text here
    after = _STANDALONE_NONE.sub("-", strip_notes(doc.norm[values_start:end]))
    stop = _CJK.search(after)
    values_end = values_start + stop.start() if stop else end
    row, row_findings = _read_s4_values(doc, (values_start, values_end))
    if not row.resolved and last_total is not None:
        # e.g. 行政复议 and 行政诉讼 printed as two tables: the values of both
        # are all the numbers of the section, headers having none.
        whole, whole_findings = _read_s4_values(doc, (start, end))
        if whole.resolved:
            row, row_findings = whole, whole_findings
    findings.extend(row_findings)
    return row


def _read_s4_values(doc: Doc, span: tuple[int, int]) -> tuple[RowRead, list[Finding]]:
    keys = tuple(f"s4.{g.key}.{c.key}" for g in S4_GROUPS for c in S4_COLUMNS)
    found: list[Finding] = []
    row = read_row(
        doc,
        "s4",
        "四、行政复议、行政诉讼",
        span,
        len(keys),
        s4_sums_ok,
        constrained=True,
        findings=found,
        keys=keys,
    )
    settle_candidates(row, found)
    return row, found


# ---------------------------------------------------------------------------
# Section 二
# ---------------------------------------------------------------------------

# Narrative sentences that quote section-二 (一) figures, e.g. 现行有效行政规范性文件698件.
_DOC = r"(?:行政)?规范性文件"
_NARRATIVE: dict[str, re.Pattern[str]] = {
    "normative.in_force": re.compile(
        f"现行有效的?{_DOC}(?:共|总数|数量)?(?:为|达)?([0-9]+)件"
    ),
    "normative.issued": re.compile(
        f"(?:制发|印发|出台|发布)的?{_DOC}(?:共|数量)?(?:为|达)?([0-9]+)件"
    ),
    "normative.repealed": re.compile(f"废止的?{_DOC}(?:共|数量)?(?:为)?([0-9]+)件"),
}


def narrative_hints(doc: Doc, table_span: tuple[int, int]) -> dict[str, int]:
    """Figures the narrative states outside the tables, keyed like ``normative.issued``."""
    outside = doc.norm[: table_span[0]] + "\n" + doc.norm[table_span[1] :]
    text = re.sub(r"\s+", "", outside)
    hints: dict[str, int] = {}
    for key, pattern in _NARRATIVE.items():
        values = {int(m.group(1)) for m in pattern.finditer(text)}
        if len(values) == 1:
            hints[key] = values.pop()
    return hints


def read_s2(
    doc: Doc,
    schema: FormatSchema,
    span: tuple[int, int],
    findings: list[Finding],
    hints: dict[str, int],
) -> dict[str, RowRead]:
    start, end = span
    hits: list[tuple[SubTable, Row, int, int]] = []
    bounds: list[int] = []
    pos = start
    headers: dict[str, str] = {}  # row key -> header text between caption and row
    before: dict[str, int] = {}  # row key -> end of the previous caption or label
    missed: list[tuple[SubTable, Row]] = []
    caption_ends: list[int] = []
    for table in schema.s2_tables:
        cap = _find(doc, (table.caption,), pos, end)
        if cap:
            bounds.append(cap.start())
            caption_ends.append(cap.end())
            pos = cap.end()
        table_start = pos
        for row in table.rows:
            m = _find(doc, _row_labels(row), pos, end)
            if m is None:
                missed.append((table, row))
                continue
            hits.append((table, row, m.start(), m.end()))
            headers[row.key] = doc.norm[table_start : m.start()]
            bounds.append(m.start())
            pos = m.end()
    _find_s2_out_of_order(doc, schema, (start, end), missed, hits, bounds, headers)
    for table, row in missed:
        if any(h[1].key == row.key for h in hits):
            continue
        keys = tuple(f"s2.{row.key}.{c.key}" for c in table.columns)
        # Bodies without power to make 规章 often leave the row out.
        code = (
            "parse.regulations_row_missing"
            if row.key == "regulations"
            else "parse.row_missing"
        )
        findings.append(finding(code, row.label, keys))
    hits.sort(key=lambda h: h[2])
    ends = sorted([*(h[3] for h in hits), *caption_ends])
    for _table, row, m_start, _m_end in hits:
        before[row.key] = max((e for e in ends if e <= m_start), default=start)
    bounds.append(end)
    rows: dict[str, RowRead] = {}
    values_first = _s2_values_precede_labels(doc, hits, bounds, before)
    for table, row, m_start, m_end in hits:
        region_end = min(b for b in bounds if b >= m_end)
        region = (before[row.key], m_start) if values_first else (m_end, region_end)
        read = _read_s2_row(doc, table, row, region, findings, hints)
        if values_first:
            read.confidence = [
                "inferred" if c == "certain" else c for c in read.confidence
            ]
            read.notes = [
                f"数值印在行标签之前，按位置归入该行；{n}".rstrip("；")
                for n in read.notes
            ]
            findings.append(
                finding("parse.values_before_label", row.label, read.keys, read.where)
            )
        if table.unit == "万元" and _fee_in_yuan(headers[row.key]):
            keys = tuple(f"s2.{row.key}.{c.key}" for c in table.columns)
            findings.append(finding("parse.fee_unit", "元", keys, read.where))
            read = unknown_row(
                row.key, row.label, read.where, len(table.columns), "单位为元"
            )
            read.keys = keys
        rows[row.key] = read
    return rows


def _find_s2_out_of_order(
    doc: Doc,
    schema: FormatSchema,
    span: tuple[int, int],
    missed: list[tuple[SubTable, Row]],
    hits: list[tuple[SubTable, Row, int, int]],
    bounds: list[int],
    headers: dict[str, str],
) -> None:
    """Small tables of section 二 printed in another order (（六） before （五）).

    A row the in-order search missed is taken where its label occurs exactly
    once in the section; every caption found anywhere bounds the rows.
    """
    if not missed:
        return
    start, end = span
    for table in schema.s2_tables:
        for cap in compile_labels((table.caption,)).finditer(doc.norm, start, end):
            if cap.start() not in bounds:
                bounds.append(cap.start())
    taken = [Hit(r.key, "", a, b) for _t, r, a, b in hits]
    for table, row in missed:
        m = _unique_label(doc, _row_labels(row), start, end, taken)
        if m is None:
            continue
        hits.append((table, row, m.start(), m.end()))
        taken.append(Hit(row.key, "", m.start(), m.end()))
        header_start = max((b for b in bounds if b < m.start()), default=start)
        headers[row.key] = doc.norm[header_start : m.start()]
        bounds.append(m.start())


def _s2_values_precede_labels(
    doc: Doc,
    hits: list[tuple[SubTable, Row, int, int]],
    bounds: list[int],
    before: dict[str, int],
) -> bool:
    """Every small table of section 二 prints its rows' values before their labels.

    Numbers between each table's header and its first row label, none after
    its last row label (see ``_values_precede_labels`` for section 三).
    """
    by_table: dict[str, list[tuple[Row, int, int]]] = {}
    for table, row, m_start, m_end in hits:
        by_table.setdefault(table.caption, []).append((row, m_start, m_end))
    if not by_table:
        return False
    for table_hits in by_table.values():
        first, first_start, _ = table_hits[0]
        _, _, last_end = table_hits[-1]
        last_region_end = min(b for b in bounds if b >= last_end)
        if not _numbers(doc, before[first.key], first_start):
            return False
        if _numbers(doc, last_end, last_region_end):
            return False
    return True


def _fee_in_yuan(header: str) -> bool:
    """The fee column's header names 元 but not 万元 (spec §3.4: the form says 万元)."""
    compact = re.sub(r"\s+", "", header)
    return "元" in compact and "万元" not in compact


def _read_s2_row(
    doc: Doc,
    table: SubTable,
    row: Row,
    span: tuple[int, int],
    findings: list[Finding],
    hints: dict[str, int],
) -> RowRead:
    keys = tuple(f"s2.{row.key}.{c.key}" for c in table.columns)
    width = len(table.columns)
    probe: list[Finding] = []
    read = read_row(
        doc,
        row.key,
        row.label,
        span,
        width,
        any_split,
        constrained=False,
        findings=probe,
        keys=keys,
    )
    if read.candidates:
        narrowed = _narrow_by_narrative(table, row, read.candidates, hints)
        if len(narrowed) == 1:
            read.values = list(narrowed[0])
            read.confidence = ["inferred"] * width
            read.candidates = []
            findings.append(
                finding("parse.digits_split_by_narrative", row.label, keys, read.where)
            )
        else:
            read.candidates = narrowed or read.candidates
    findings.extend(probe)
    settle_candidates(read, findings)
    return read


def _narrow_by_narrative(
    table: SubTable,
    row: Row,
    candidates: list[tuple[CellNumber, ...]],
    hints: dict[str, int],
) -> list[tuple[CellNumber, ...]]:
    wanted = {
        i: hints[f"{row.key}.{c.key}"]
        for i, c in enumerate(table.columns)
        if f"{row.key}.{c.key}" in hints
    }
    if not wanted:
        return candidates
    return [c for c in candidates if all(c[i] == v for i, v in wanted.items())]

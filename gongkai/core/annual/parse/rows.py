"""Turning the value region of one table row into cell values with confidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai.core.annual.model import CellNumber, Confidence, Finding
from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.digits import (
    Token,
    any_split,
    is_plain_number,
    split_groups,
    to_number,
    tokenize,
)
from gongkai.core.annual.parse.doc import Doc

Accept = Callable[[tuple[CellNumber, ...]], bool]


@dataclass
class RowRead:
    """What could be read of one row: values, or candidates to decide later."""

    key: str  # row stem, e.g. "withheld.state_secret" or "s4"
    label: str
    where: str
    values: list[CellNumber | None]
    confidence: list[Confidence]
    notes: list[str]
    # Several splits of a digit run satisfy the row's own sums: decided later by
    # table-level sums (resolve.py) or left unknown.
    candidates: list[tuple[CellNumber, ...]] = field(default_factory=list)
    # Fewer printed numbers than columns: the printed numbers, in order.
    printed: list[CellNumber] = field(default_factory=list)
    # Numbers of the region this row did not use (a later line): they may be
    # the next row's values printed before its label (PDF layouts).
    leftover: list[Token] = field(default_factory=list)
    # No split keeps the row's sum and several cuts are possible: every cut, for
    # resolve.py to narrow with the table's bounds (a result row ≤ 总计).
    splits: list[tuple[CellNumber, ...]] = field(default_factory=list)
    # The cell keys of this row, in column order (for diagnostics decided later).
    keys: tuple[str, ...] = ()
    # The cuts left when nothing in the report decided between them.
    ambiguous: list[tuple[CellNumber, ...]] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return all(v is not None for v in self.values)


def unknown_row(key: str, label: str, where: str, width: int, note: str) -> RowRead:
    return RowRead(
        key, label, where, [None] * width, ["unknown"] * width, [note] * width
    )


def read_row(
    doc: Doc,
    key: str,
    label: str,
    span: tuple[int, int],
    width: int,
    accept: Accept,
    *,
    constrained: bool,
    findings: list[Finding],
    keys: tuple[str, ...],
) -> RowRead:
    """Read ``width`` values from ``doc.norm[span]`` (spec §9 flattened-text rule).

    ``accept`` is the row's own arithmetic (row sum, or always True when the row
    has none: ``constrained`` False).
    """
    row = _read_row(doc, key, label, span, width, accept, constrained, findings, keys)
    row.keys = keys
    return row


def _read_row(
    doc: Doc,
    key: str,
    label: str,
    span: tuple[int, int],
    width: int,
    accept: Accept,
    constrained: bool,
    findings: list[Finding],
    keys: tuple[str, ...],
) -> RowRead:
    start, end = span
    tokens = tokenize(doc.norm[start:end], start)
    where = doc.where(tokens[0].start if tokens else start)
    direct = _read_direct(tokens, width)
    all_tokens = tokens
    if direct is None and len(tokens) > width:
        tokens, direct = _narrower_reading(doc, tokens, width)
    if direct is not None:
        row = _direct_row(key, label, where, tokens, direct, findings, keys)
        used = {t.start for t in tokens}
        row.leftover = [t for t in all_tokens if t.start not in used]
        if constrained and not _sums_hold(row, accept):
            outcome = _rethink_blanks(row, direct, accept)
            if outcome:
                # the blanks were not all read as 0: say what was done instead
                findings[:] = [
                    f
                    for f in findings
                    if not (f.code == "parse.blank_as_zero" and f.keys == keys)
                ]
                blank_keys = tuple(
                    k for k, t in zip(keys, direct, strict=False) if t.kind != "num"
                )
                findings.append(finding(outcome, label, blank_keys or keys, where))
        if (
            constrained
            and doc.kind in _NO_CELL_BOUNDARIES
            and not _sums_hold(row, accept)
        ):
            # Text without cell boundaries: a stray space may have cut a number,
            # so a row that breaks its own sum is not read with certainty.
            row.confidence = [
                "inferred" if c == "certain" else c for c in row.confidence
            ]
            row.notes = [f"{n}；本行合计不符".lstrip("；") for n in row.notes]
        return row
    numbers = [t for t in tokens if t.kind == "num"]
    if len(numbers) > width:
        findings.append(finding("parse.row_long", label, keys, where))
        return unknown_row(key, label, where, width, "数值多于栏数")
    if not numbers:
        findings.append(finding("parse.row_short", label, keys, where))
        return unknown_row(key, label, where, width, "未读到数值")
    return _split_row(
        key, label, where, numbers, width, accept, constrained, findings, keys
    )


_NO_CELL_BOUNDARIES = frozenset({"text", "pdf"})
_MAX_SPLITS_KEPT = 64


def _rethink_blanks(row: RowRead, direct: list[Token], accept: Accept) -> str:
    """Blanks read as 0 break the row's sum: one of them was not a zero.

    Each blank in turn is solved from the row's own sums with the other blanks
    at 0 (a 总计 cell left empty in a row that has values, Shanghai 2019). If
    exactly one blank gets a non-negative value that way, it is taken
    (``inferred``); otherwise every blank of the row becomes unknown. Returns
    the diagnostic code for what was done ("" when the row has no blank).
    """
    blanks = [i for i, t in enumerate(direct) if t.kind != "num"]
    if not blanks:
        return ""
    fits = [
        (i, v)
        for i in blanks
        for v in _blank_options(row.values, i)
        if v >= 0 and accept(_with(row.values, i, v))
    ]
    if len(fits) == 1:
        i, v = fits[0]
        row.values[i] = v
        row.notes[i] = "空白单元格，按本行合计关系推出"
        return "parse.blank_from_row_sum"
    for i in blanks:
        row.values[i] = None
        row.confidence[i] = "unknown"
        row.notes[i] = "空白单元格，按0计与本行合计不符"
    return "parse.blank_breaks_sum"


def _blank_options(values: list[CellNumber | None], index: int) -> list[CellNumber]:
    """The value a blank must have for its sum to hold, the other cells as read.

    Section 三 rows: the last of 7 cells is the sum of the others. Section 四:
    each group of 5 ends with the sum of its 4 outcomes.
    """
    if any(v is None for i, v in enumerate(values) if i != index):
        return []
    group = 7 if len(values) == 7 else 5 if len(values) == 15 else 0
    if not group:
        return []
    first = index - index % group
    cells = list(values[first : first + group])
    last = first + group - 1
    others = sum(v for j, v in enumerate(cells, first) if j not in (index, last))  # type: ignore[misc]
    if index == last:
        return [others]
    return [cells[-1] - others]  # type: ignore[operator]


def _with(
    values: list[CellNumber | None], index: int, value: CellNumber
) -> tuple[CellNumber, ...]:
    out = list(values)
    out[index] = value
    return tuple(v for v in out if v is not None)


def _sums_hold(row: RowRead, accept: Accept) -> bool:
    values = tuple(v for v in row.values if v is not None)
    return len(values) == len(row.values) and accept(values)


def _narrower_reading(
    doc: Doc, tokens: list[Token], width: int
) -> tuple[list[Token], list[Token] | None]:
    """More tokens than columns: try the readings that drop only what is extra.

    Empty cells padding the row ("行政许可 | 3 | | ", spreadsheet padding), then
    the label's own line or the first line with numbers (an unexpected extra
    row or a stray header further down).
    """
    first_line = _first_line_tokens(doc, tokens)
    for option in (
        _trim_blanks(tokens, width),
        first_line,
        _trim_blanks(first_line, width),
    ):
        direct = _read_direct(option, width)
        if direct is not None:
            return option, direct
    return tokens, None


def _trim_blanks(tokens: list[Token], width: int) -> list[Token]:
    trimmed = list(tokens)
    while len(trimmed) > width and trimmed[-1].kind == "blank":
        trimmed.pop()
    while len(trimmed) > width and trimmed[0].kind == "blank":
        trimmed.pop(0)
    return trimmed


def _first_line_tokens(doc: Doc, tokens: list[Token]) -> list[Token]:
    first = tokens[0].start
    line_end = doc.norm.find("\n", first)
    if line_end < 0:
        return tokens
    return [t for t in tokens if t.start < line_end]


def _read_direct(tokens: list[Token], width: int) -> list[Token] | None:
    """Tokens that map one to one onto the columns, or None."""
    if len(tokens) == width and all(
        t.kind != "num" or is_plain_number(t.text) for t in tokens
    ):
        return tokens
    return None


def _direct_row(
    key: str,
    label: str,
    where: str,
    tokens: list[Token],
    direct: list[Token],
    findings: list[Finding],
    keys: tuple[str, ...],
) -> RowRead:
    values: list[CellNumber | None] = []
    confidence: list[Confidence] = []
    notes: list[str] = []
    for token in direct:
        if token.kind == "num":
            values.append(to_number(token.text))
            confidence.append("certain")
            notes.append("")
        else:
            values.append(0)
            confidence.append("inferred")
            notes.append(f"印为“{token.text}”，按0计")
    if any(t.kind != "num" for t in tokens):
        findings.append(finding("parse.blank_as_zero", label, keys, where))
    if any(isinstance(v, int | float) and v < 0 for v in values if v is not None):
        findings.append(finding("parse.negative_value", label, keys, where))
    return RowRead(key, label, where, values, confidence, notes)


def _split_row(
    key: str,
    label: str,
    where: str,
    numbers: list[Token],
    width: int,
    accept: Accept,
    constrained: bool,
    findings: list[Finding],
    keys: tuple[str, ...],
) -> RowRead:
    groups = [t.text for t in numbers]
    candidates = split_groups(groups, width, accept)
    if candidates is None:
        findings.append(finding("parse.digits_ambiguous", label, keys, where))
        return unknown_row(key, label, where, width, "数字连写，拆分方式过多")
    if len(candidates) == 1:
        code = (
            "parse.digits_split_by_sum" if constrained else "parse.digits_split_unique"
        )
        findings.append(finding(code, label, keys, where))
        note = f"由“{' '.join(groups)}”拆分"
        return RowRead(
            key, label, where, list(candidates[0]), ["inferred"] * width, [note] * width
        )
    row = unknown_row(key, label, where, width, "")
    if candidates:
        row.candidates = candidates
        row.notes = [f"“{' '.join(groups)}”有{len(candidates)}种拆分"] * width
        return row
    if constrained:
        printed = split_groups(groups, width, any_split)
        if printed is not None and len(printed) == 1:
            # The digits can be cut only one way but the row breaks its own
            # sum: this is what was printed. Report it as printed and let the
            # checks (T3_ROW_TOTAL …) flag the published arithmetic error;
            # dropping the row would hide it as "missing cells".
            findings.append(
                finding("parse.digits_split_as_printed", label, keys, where)
            )
            note = f"由“{' '.join(groups)}”拆分（唯一拆分）；本行合计不符"
            return RowRead(
                key, label, where, list(printed[0]), ["certain"] * width, [note] * width
            )
        if printed is not None and len(printed) <= _MAX_SPLITS_KEPT:
            row.splits = printed
    # No split fits: cells were lost. Keep the printed numbers for resolve.py.
    row.printed = [v for v in (to_number(g) for g in groups) if v is not None]
    row.notes = [f"只印出{len(groups)}个数值"] * width
    findings.append(finding("parse.row_short", label, keys, where))
    return row

"""Deciding rows a row alone could not decide, with the table's column sums.

Section 三 has two column relations (spec §6.1, §6.2): the result rows add up to
（七）总计, and 一 + 二 = 三（七）+ 四. When every other row of a relation is known,
the relation fixes the missing row; the value is accepted only if it is one of
the row's own candidate splits, or (for a short row) if the numbers actually
printed appear in it in order. Otherwise the row stays unknown.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from gongkai.core.annual.model import CellNumber, Finding
from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.rows import RowRead

_MAX_COMBINATIONS = 5_000
Vector = tuple[CellNumber, ...]


def resolve_s3(
    rows: dict[str, RowRead], result_keys: Sequence[str], findings: list[Finding]
) -> None:
    """Fill unresolved rows of section 三 in place where the sums allow exactly one value."""
    relations = _relations(rows, result_keys)
    progress = True
    while progress:
        progress = False
        for plus, minus in relations:
            if _solve_single(rows, plus, minus, findings):
                progress = True
        if not progress:
            progress = _solve_by_enumeration(rows, relations, findings)
    _read_as_printed_within_total(rows, result_keys, findings)
    for row in rows.values():
        _settle_leftovers(row, findings)


def _read_as_printed_within_total(
    rows: dict[str, RowRead], result_keys: Sequence[str], findings: list[Finding]
) -> None:
    """A result row whose digits no sum explains (``191000019``): read as printed
    when only one of its cuts fits under （七）总计 column by column (a count of
    results can't exceed the total). The value is ``inferred``; the checks then
    report the row's arithmetic error instead of "missing cells".
    """
    total = rows.get("total")
    if total is None or not total.resolved:
        return
    bound = _vector(total)
    for key in result_keys:
        row = rows.get(key)
        if row is None or row.resolved or not row.splits:
            continue
        fits = [s for s in row.splits if all(v <= b for v, b in zip(s, bound))]
        row.splits = []
        if len(fits) != 1:
            continue
        row.values = list(fits[0])
        row.confidence = ["inferred"] * len(fits[0])
        row.notes = [
            "数字连写且本行合计不符，只有这一种拆分不超过（七）总计，按印出的数字读取"
        ] * len(fits[0])
        row.printed = []
        findings[:] = [
            f
            for f in findings
            if not (f.code == "parse.row_short" and f.keys == row.keys)
        ]
        findings.append(
            finding("parse.digits_split_as_printed", row.label, row.keys, row.where)
        )


# A relation is  sum(plus rows) == sum(minus rows), column by column.
Relation = tuple[tuple[str, ...], tuple[str, ...]]


def _relations(rows: dict[str, RowRead], result_keys: Sequence[str]) -> list[Relation]:
    relations: list[Relation] = []
    if "total" in rows and all(k in rows for k in result_keys):
        relations.append((tuple(result_keys), ("total",)))
    if all(k in rows for k in ("new", "carried", "total", "carry_forward")):
        relations.append((("new", "carried"), ("total", "carry_forward")))
    return relations


def _vector(row: RowRead) -> Vector:
    return tuple(v for v in row.values if v is not None)


def _solve_single(
    rows: dict[str, RowRead],
    plus: tuple[str, ...],
    minus: tuple[str, ...],
    findings: list[Finding],
) -> bool:
    pending = [k for k in (*plus, *minus) if not rows[k].resolved]
    if len(pending) != 1:
        return False
    key = pending[0]
    row = rows[key]
    if not (row.candidates or row.printed):
        return False  # nothing printed to check a derived value against
    width = len(row.values)
    derived = []
    for col in range(width):
        p = sum(rows[k].values[col] for k in plus if k != key)  # type: ignore[misc]
        m = sum(rows[k].values[col] for k in minus if k != key)  # type: ignore[misc]
        derived.append(m - p if key in plus else p - m)
    vector = tuple(derived)
    if not _fits(row, vector):
        return False
    _accept(row, vector, findings)
    return True


def _fits(row: RowRead, vector: Vector) -> bool:
    if any(v < 0 for v in vector) or sum(vector[:-1]) != vector[-1]:
        return False
    if row.candidates:
        return vector in row.candidates
    return _is_subsequence(row.printed, vector)


def _is_subsequence(short: Sequence[CellNumber], full: Vector) -> bool:
    it = iter(full)
    return all(any(x == y for y in it) for x in short)


def _accept(row: RowRead, vector: Vector, findings: list[Finding]) -> None:
    row.values = list(vector)
    row.confidence = ["inferred"] * len(vector)
    row.notes = [f"{n}；按表内合计关系确定".lstrip("；") for n in row.notes]
    findings.append(
        finding("parse.row_recovered_by_sum", row.label, row.keys, row.where)
    )
    row.candidates = []
    row.printed = []


def _solve_by_enumeration(
    rows: dict[str, RowRead], relations: list[Relation], findings: list[Finding]
) -> bool:
    """Several ambiguous rows at once: try every combination of their candidates."""
    pending = [k for k, r in rows.items() if not r.resolved and r.candidates]
    if len(pending) < 2:
        return False
    blocking = [
        k
        for rel in relations
        for k in (*rel[0], *rel[1])
        if not rows[k].resolved and k not in pending
    ]
    if blocking:
        return False
    sizes = [len(rows[k].candidates) for k in pending]
    total = 1
    for s in sizes:
        total *= s
    if total > _MAX_COMBINATIONS:
        return False
    solutions = []
    for combo in itertools.product(*(rows[k].candidates for k in pending)):
        chosen = dict(zip(pending, combo))
        if all(_relation_holds(rows, rel, chosen) for rel in relations):
            solutions.append(chosen)
            if len(solutions) > 1:
                return False
    if len(solutions) != 1:
        return False
    for key, vector in solutions[0].items():
        _accept(rows[key], vector, findings)
    return True


def _relation_holds(
    rows: dict[str, RowRead], rel: Relation, chosen: dict[str, Vector]
) -> bool:
    def vec(k: str) -> Vector:
        return chosen[k] if k in chosen else _vector(rows[k])

    plus, minus = rel
    width = len(next(iter(rows.values())).values)
    return all(
        sum(vec(k)[c] for k in plus) == sum(vec(k)[c] for k in minus)
        for c in range(width)
    )


def settle_candidates(row: RowRead, findings: list[Finding]) -> None:
    """Keep the cells all candidate splits agree on (inferred); the rest unknown."""
    _settle_leftovers(row, findings)


def _unsettled_keys(row: RowRead) -> tuple[str, ...]:
    """The cells the candidate splits disagree on (all of the row's if none agree)."""
    keys = tuple(
        key
        for col, key in enumerate(row.keys)
        if len({c[col] for c in row.candidates}) > 1
    )
    return keys or row.keys


def _settle_leftovers(row: RowRead, findings: list[Finding]) -> None:
    if row.resolved or not row.candidates:
        return
    findings.append(
        finding("parse.digits_ambiguous", row.label, _unsettled_keys(row), row.where)
    )
    for col in range(len(row.values)):
        options = {c[col] for c in row.candidates}
        if len(options) == 1:
            row.values[col] = options.pop()
            row.confidence[col] = "inferred"
            row.notes[col] = f"{row.notes[col]}；各种拆分在此栏一致"
    row.ambiguous = list(row.candidates)
    row.candidates = []

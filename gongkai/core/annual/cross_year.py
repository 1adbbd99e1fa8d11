"""Deciding digit runs with the same body's other years (issue 20, requirement 4).

A row whose digits several cuts fit (``Report.ambiguous``, ``parse.digits_ambiguous``)
may be decided by a neighbouring year's report of the same body:

* section 二 (一), 2021 format: ``现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y)``,
  used forwards (last year's 现行有效) and backwards (next year's three cells);
* section 三: ``上年结转(Y) = 结转下年度(Y−1)`` in every column, both ways.

The first relation is not a law of nature (bodies re-clean their document library,
corpus README): it is used only to choose among cuts that all fit the report's own
print, and a relation no cut satisfies is ignored. Cells decided this way are
``inferred`` with a note saying ``跨年度推断`` (inferred, cross-year) and the finding
``parse.digits_split_cross_year`` naming them. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gongkai.core.annual.checks.layout import (
    DOCS_TABLE,
    S2_DOC_COLUMNS,
    T3_CARRIED,
    T3_CARRY_FORWARD,
    T3_COLUMNS,
    s2_key,
    t3_key,
)
from gongkai.core.annual.model import CellNumber, Provenance, Report
from gongkai.core.annual.names import cell_name
from gongkai.core.annual.parse.diagnostics import finding

CROSS_YEAR_NOTE = "跨年度推断（inferred, cross-year）"

Cut = tuple[CellNumber, ...]
Test = Callable[[Cut], bool]


@dataclass(frozen=True)
class Resolution:
    """Cells of one ambiguous row decided by the other years."""

    row_keys: tuple[str, ...]
    values: dict[str, CellNumber]  # the cells decided (all cuts left agree on them)
    left: tuple[Cut, ...]  # the cuts still possible (one when the row is decided)
    reason: str


def _known(
    report: Report | None, keys: tuple[str, ...]
) -> tuple[CellNumber, ...] | None:
    if report is None:
        return None
    values = tuple(report.cells.get(k) for k in keys)
    if any(v is None for v in values):
        return None
    return values  # type: ignore[return-value]


def _in_force_tests(
    keys: tuple[str, ...], year: int, reports: Mapping[int, Report]
) -> list[tuple[Test, str]]:
    """Tests of a section 二 (一) row (制发, 废止, 现行有效) from the years around."""
    row = keys[0].split(".")[1]
    if keys != tuple(s2_key(row, col) for col in S2_DOC_COLUMNS):
        return []
    tests: list[tuple[Test, str]] = []
    before = _known(reports.get(year - 1), (s2_key(row, S2_DOC_COLUMNS[2]),))
    if before is not None and reports[year - 1].version == "2021":
        last = before[0]
        tests.append(
            (
                lambda c: c[2] == last + c[0] - c[1],
                f"{year - 1}年现行有效{last}件＋本年制发－本年废止＝本年现行有效",
            )
        )
    after = _known(
        reports.get(year + 1), tuple(s2_key(row, col) for col in S2_DOC_COLUMNS)
    )
    if after is not None and reports[year + 1].version == "2021":
        issued, repealed, in_force = after
        this = in_force - issued + repealed
        tests.append(
            (
                lambda c: c[2] == this,
                f"{year + 1}年现行有效{in_force}件－制发{issued}件＋废止{repealed}件"
                f"＝本年现行有效{this}件",
            )
        )
    return tests


def _carry_tests(
    keys: tuple[str, ...], year: int, reports: Mapping[int, Report]
) -> list[tuple[Test, str]]:
    """Tests of the 上年结转 / 结转下年度 rows of section 三 from the years around."""
    carried = tuple(t3_key(T3_CARRIED, col) for col in T3_COLUMNS)
    forward = tuple(t3_key(T3_CARRY_FORWARD, col) for col in T3_COLUMNS)
    if keys == carried:
        last = _known(reports.get(year - 1), forward)
        if last is not None:
            return [(lambda c: tuple(c) == last, f"{year - 1}年结转下年度各栏")]
    if keys == forward:
        following = _known(reports.get(year + 1), carried)
        if following is not None:
            return [(lambda c: tuple(c) == following, f"{year + 1}年上年结转各栏")]
    return []


_DOC_ROWS = {r.key for r in DOCS_TABLE.rows}


def _tests(
    keys: tuple[str, ...], year: int, report: Report, reports: Mapping[int, Report]
) -> list[tuple[Test, str]]:
    if report.version == "2021" and keys and keys[0].split(".")[1] in _DOC_ROWS:
        return _in_force_tests(keys, year, reports)
    return _carry_tests(keys, year, reports)


def resolutions_for(year: int, reports: Mapping[int, Report]) -> list[Resolution]:
    """What the other years decide in ``reports[year]``'s ambiguous rows."""
    report = reports[year]
    out = []
    for keys, cuts in report.ambiguous.items():
        left = list(cuts)
        reasons: list[str] = []
        for test, reason in _tests(keys, year, report, reports):
            kept = [c for c in left if test(c)]
            if kept and len(kept) < len(left):  # no cut fits: the relation is ignored
                left, reasons = kept, [*reasons, reason]
        if len(left) == len(cuts):
            continue
        values = {
            key: left[0][i]
            for i, key in enumerate(keys)
            if len({c[i] for c in left}) == 1 and report.cells.get(key) is None
        }
        out.append(Resolution(keys, values, tuple(left), "；".join(reasons)))
    return out


def apply(report: Report, resolutions: list[Resolution]) -> list[str]:
    """Write the decided cells into ``report`` (provenance, findings); their keys."""
    decided: list[str] = []
    for res in resolutions:
        for key, value in res.values.items():
            where = report.provenance[key].where if key in report.provenance else ""
            report.cells[key] = value
            report.provenance[key] = Provenance(
                where, "inferred", f"{CROSS_YEAR_NOTE}：{res.reason}"
            )
            decided.append(key)
        if len(res.left) > 1:
            report.ambiguous[res.row_keys] = list(res.left)
        else:
            report.ambiguous.pop(res.row_keys, None)
        still = tuple(k for k in res.row_keys if report.cells.get(k) is None)
        report.diagnostics[:] = [
            d
            for d in report.diagnostics
            if not (
                d.code == "parse.digits_ambiguous" and set(d.keys) <= set(res.row_keys)
            )
        ]
        if still:
            report.diagnostics.append(
                finding(
                    "parse.digits_ambiguous", "、".join(map(cell_name, still)), still
                )
            )
        if res.values:
            report.diagnostics.append(
                finding(
                    "parse.digits_split_cross_year",
                    res.reason,
                    tuple(res.values),
                )
            )
    return decided


def resolve_across_years(reports: Mapping[int, Report]) -> dict[int, list[Resolution]]:
    """Decide what the years of one body decide in each other, until nothing changes.

    ``reports`` maps year -> that year's report of one body; they are changed in
    place. Returns, per year, the resolutions applied (to repeat on a fuller copy).
    """
    applied: dict[int, list[Resolution]] = {}
    for _ in range(len(reports) + 1):
        changed = False
        for year in sorted(reports):
            found = resolutions_for(year, reports)
            if found:
                apply(reports[year], found)
                applied.setdefault(year, []).extend(found)
                changed = True
        if not changed:
            break
    return applied

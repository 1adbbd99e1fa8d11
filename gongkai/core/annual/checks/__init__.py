"""Checks of an annual report (docs/legal-notes.md §7.2).

``validate(report, previous)`` runs a tuple of small rule functions. Each rule
returns ``list[Finding]``; a finding's ``code`` is the stable check ID of spec
§6 (``T3_BALANCE``, ``NARR_FEE`` …) so callers assert on codes, never on the
Chinese message. Arithmetic rules skip a relation when one of its cells is
missing: the missing cell is reported once by ``CELL_MISSING`` instead of
producing a cascade of sum errors.

Modules: ``tables`` (sections 二、三、四 and cell values), ``narrative`` (the
text), ``cross_year`` (against last year's report); ``layout`` derives every
key and label from the schema.
"""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.core.annual.checks.base import CrossYearRule, Rule
from gongkai.core.annual.checks.cross_year import (
    check_carry_over,
    check_in_force,
    check_previous_year,
)
from gongkai.core.annual.checks.narrative import (
    check_fee_statement,
    check_narrative_numbers,
    check_period,
    check_problems_section,
    check_sections,
)
from gongkai.core.annual.checks.tables import (
    check_fee_decimals,
    check_missing_cells,
    check_non_negative,
    check_t3_balance,
    check_t3_carry_le_input,
    check_t3_result_total,
    check_t3_row_total,
    check_t3_subtotal,
    check_t4_group_total,
)
from gongkai.core.annual.model import Finding, Report

RULES: tuple[Rule, ...] = (
    check_sections,
    check_missing_cells,
    check_non_negative,
    check_t3_balance,
    check_t3_result_total,
    check_t3_row_total,
    check_t3_subtotal,
    check_t3_carry_le_input,
    check_t4_group_total,
    check_fee_decimals,
    check_fee_statement,
    check_problems_section,
    check_narrative_numbers,
    check_period,
)

CROSS_YEAR_RULES: tuple[CrossYearRule, ...] = (
    check_previous_year,
    check_carry_over,
    check_in_force,
)


def validate(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every §6 check of ``report``; with ``previous`` (last year's) also the XY_* checks."""
    findings = [finding for rule in RULES for finding in rule(report)]
    if previous is not None:
        findings += [f for rule in CROSS_YEAR_RULES for f in rule(report, previous)]
    return findings


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == "error" for finding in findings)


__all__ = [
    "CROSS_YEAR_RULES",
    "RULES",
    "CrossYearRule",
    "Rule",
    "has_errors",
    "validate",
]

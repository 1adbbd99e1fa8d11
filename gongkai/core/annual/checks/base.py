"""Shared pieces of the check rules: the rule types and small value helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from gongkai.core.annual.model import CellNumber, Finding, Report, Severity

Rule = Callable[[Report], list[Finding]]
CrossYearRule = Callable[[Report, Report], list[Finding]]


def finding(
    code: str, severity: Severity, message: str, keys: Iterable[str] = ()
) -> Finding:
    return Finding(code=code, severity=severity, message=message, keys=tuple(keys))


def present(report: Report, key: str) -> bool:
    return report.cells.get(key) is not None


def values_of(report: Report, keys: Sequence[str]) -> list[CellNumber] | None:
    """The values of ``keys``, or ``None`` when any of them is missing."""
    values = [report.cells.get(key) for key in keys]
    if any(value is None for value in values):
        return None
    return [value for value in values if value is not None]


def fmt(value: CellNumber) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)

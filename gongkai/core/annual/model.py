"""The one report object every parser produces and every check and renderer reads.

Cells use the stable flat keys of the corpus README (``s2.normative.issued``,
``s3.withheld.state_secret.natural``, ``s4.review.total`` …), so parsed, computed
and exported reports compare cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Severity = Literal["error", "warning", "info"]
Confidence = Literal["certain", "inferred", "unknown"]
FormatVersion = Literal["2021", "2019", "legacy", "unknown"]
CellNumber = int | Decimal


@dataclass(frozen=True)
class Finding:
    """A parse diagnostic or a check result.

    ``code`` is a stable dotted ID (assert on it, never on the message);
    ``message`` is Chinese, for people; ``keys`` are the cells involved.
    """

    code: str
    severity: Severity
    message: str
    keys: tuple[str, ...] = ()
    where: str = ""


@dataclass(frozen=True)
class Provenance:
    """Where a cell value was read and how sure the parser is of it."""

    where: str
    confidence: Confidence = "certain"
    note: str = ""


@dataclass
class Report:
    """One annual report, whatever it was read from or computed by."""

    version: FormatVersion = "2021"
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    # Flat key -> value. ``None`` means the report has no such cell or it could
    # not be read (see provenance / diagnostics for which).
    cells: dict[str, CellNumber | None] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    # Section numeral ("一".."六") -> its text without the heading, in the
    # order the sections appear in the document.
    sections: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Finding] = field(default_factory=list)
    # Rows whose digit run several cuts fit (``parse.digits_ambiguous``): the row's
    # cell keys -> every cut still possible, for other evidence (the same body's
    # other years, ``core/annual/cross_year.py``) to decide.
    ambiguous: dict[tuple[str, ...], list[tuple[CellNumber, ...]]] = field(
        default_factory=dict
    )

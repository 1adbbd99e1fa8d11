"""`gongkai report audit` keeps at most 300 findings per file for the HTML summary:
the most severe first, and the summary says how many it leaves out."""

from __future__ import annotations

from gongkai.cli.audit_row import AuditRow
from gongkai.cli.report_audit import _add_findings
from gongkai.cli.report_audit_html import audit_html
from gongkai.core.annual.model import Finding


def _finding(severity: str, n: int) -> Finding:
    return Finding(
        code=f"T_{severity}_{n}", severity=severity, message=f"{severity}{n}"
    )


def test_errors_past_the_300th_finding_are_kept_before_infos() -> None:
    row = AuditRow("a.txt")
    _add_findings(row, [_finding("info", n) for n in range(400)])
    _add_findings(row, [_finding("error", n) for n in range(5)])  # e.g. cross-year
    kept = [f[0] for f in row.findings]
    assert len(kept) == 300
    assert kept[:5] == ["error"] * 5
    assert (row.errors, row.infos) == (5, 400)
    page = audit_html([row], "reports")
    assert "另有 105 个未列出" in page

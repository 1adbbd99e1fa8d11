from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from gongkai.appeals.selectors import table4_for
from gongkai.appeals.services import appeal_decide, appeal_register
from gongkai.core.annual.parse import parse_text
from gongkai.core.annual.schema import cell_keys
from gongkai.orgs.models import Organisation
from gongkai.reports import services as r
from gongkai.reports.models import AnnualReport
from gongkai.reports.tests.factories import reporting_unit

pytestmark = pytest.mark.django_db

SEED = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "seeds"
    / "000_22ae0ba57f04688c.txt"
)


@pytest.fixture
def luopu(db):
    call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


def users():
    from gongkai.accounts.models import User

    return User.objects.get(username="officer"), User.objects.get(username="head")


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not present")
def test_generating_2021_from_the_demo_records_equals_the_seed_report(luopu):
    computed = r.computed_cells(luopu, 2021)
    seed = parse_text(SEED.read_text(encoding="utf-8"))
    compared = [k for k in cell_keys("2021") if seed.cells.get(k) is not None]
    assert len(compared) > 150
    mismatches = {
        k: (computed.get(k), seed.cells[k])
        for k in compared
        if r._core_value(k, computed.get(k)) != seed.cells[k]
    }
    assert mismatches == {}
    assert computed["s2.license.decisions"] == 3
    assert computed["s2.coercion.decisions"] == 4
    # The demo generated and published exactly these numbers (reports/demo.py).
    assert AnnualReport.objects.get(organisation=luopu, year=2021).cells == computed


def test_a_report_for_a_future_year_or_a_second_one_is_refused(tree):
    with time_machine.travel("2026-03-01 10:00 +0800"):
        with pytest.raises(ValidationError, match="未来"):
            r.report_generate(actor=tree.officer, organisation=tree.street, year=2027)
        r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
        with pytest.raises(ValidationError, match="已存在"):
            r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    assert AnnualReport.objects.count() == 1


def test_a_manual_figure_needs_a_reason_and_shows_in_the_cells(tree):
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    with pytest.raises(ValidationError, match="理由"):
        r.report_set_figure(
            actor=tree.officer,
            report=report,
            key="s2.license.decisions",
            value="5",
            reason=" ",
        )
    report = r.report_set_figure(
        actor=tree.officer,
        report=report,
        key="s2.license.decisions",
        value="5",
        reason="2025年上半年的许可决定在旧系统中，按纸质台账录入",
    )
    assert report.cells["s2.license.decisions"] == 5
    assert report.computed_cells["s2.license.decisions"] == 0


def test_the_workflow_blocks_errors_and_unexplained_warnings(tree):
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    # Break the table-三 balance by hand: carried forward without any new application.
    report = r.report_set_figure(
        actor=tree.officer,
        report=report,
        key="s3.carry_forward.natural",
        value="1",
        reason="测试",
    )
    with pytest.raises(ValidationError, match="错误"):
        r.report_submit(actor=tree.officer, report=report)
    report = r.report_set_figure(
        actor=tree.officer,
        report=report,
        key="s3.carry_forward.natural",
        value="0",
        reason="改正",
    )
    report = r.report_submit(actor=tree.officer, report=report)
    with pytest.raises(PermissionDenied):
        r.report_approve(actor=tree.officer, report=report)
    warnings = [f for f in report.findings if f["severity"] == "warning"]
    assert "PLATFORM_DRAFT_PLACEHOLDER" in {f["code"] for f in warnings}
    for finding in warnings:
        with pytest.raises(ValidationError):
            r.report_approve(actor=tree.head, report=report)
        report = r.report_note_warning(
            actor=tree.head, report=report, finding=finding["id"], note="已核实"
        )
    report = r.report_approve(actor=tree.head, report=report)
    report = r.report_publish(actor=tree.head, report=report)
    assert report.status == "published" and report.published_at is not None


def test_a_correction_is_a_new_revision_that_says_what_changed(tree):
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    report = r.report_submit(actor=tree.officer, report=report)
    for finding in [f for f in report.findings if f["severity"] == "warning"]:
        r.report_note_warning(
            actor=tree.head, report=report, finding=finding["id"], note="已核实"
        )
    report = r.report_publish(
        actor=tree.head, report=r.report_approve(actor=tree.head, report=report)
    )
    correction = r.report_correct(
        actor=tree.officer, report=report, reason="行政处罚数量漏报"
    )
    correction = r.report_set_figure(
        actor=tree.officer,
        report=correction,
        key="s2.penalty.decisions",
        value="2",
        reason="补录",
    )
    assert correction.revision == 2
    assert r.report_changes(report, correction) == ["s2.penalty.decisions：0 → 2"]
    report.refresh_from_db()
    assert report.status == "published"


def test_appeals_decided_the_next_year_are_pending_at_year_end(tree):
    appeal = appeal_register(
        actor=tree.officer,
        organisation=tree.street,
        kind="review",
        filed_on=date(2025, 11, 3),
    )
    appeal_decide(
        actor=tree.officer, appeal=appeal, decided_on=date(2026, 1, 20), result="upheld"
    )
    y2025, y2026 = table4_for(tree.street, 2025), table4_for(tree.street, 2026)
    assert (
        y2025["s4.review.pending"],
        y2025["s4.review.upheld"],
        y2025["s4.review.total"],
    ) == (1, 0, 1)
    assert (
        y2026["s4.review.pending"],
        y2026["s4.review.upheld"],
        y2026["s4.review.total"],
    ) == (0, 1, 1)


def test_importing_a_published_report_checks_it(tree):
    if not SEED.exists():
        pytest.skip("shared seed not present")
    report = r.report_import(
        actor=tree.officer,
        organisation=reporting_unit(tree),
        year=None,
        filename="seed.txt",
        data=SEED.read_bytes(),
    )
    assert (report.year, report.source, report.status) == (
        2021,
        "imported",
        "published",
    )
    assert report.cells["s2.penalty.decisions"] == 3
    with pytest.raises(ValidationError, match="已存在"):
        r.report_import(
            actor=tree.officer,
            organisation=reporting_unit(tree),
            year=None,
            filename="seed.txt",
            data=SEED.read_bytes(),
        )


def test_importing_something_that_is_not_a_report_is_refused(tree):
    with pytest.raises(ValidationError, match="无法导入"):
        r.report_import(
            actor=tree.officer,
            organisation=tree.street,
            year=2025,
            filename="x.txt",
            data="今天天气很好。".encode(),
        )


def test_the_demo_publishes_2021_and_2026_from_live_cases_balances(luopu):
    officer, _ = users()
    published = AnnualReport.objects.get(organisation=luopu, year=2021)
    assert (
        published.status == "published" and "洛浦街道办事处" in published.sections["一"]
    )
    report = r.report_generate(actor=officer, organisation=luopu, year=2026)
    codes = {f["code"] for f in report.findings if f["severity"] == "error"}
    assert not {c for c in codes if c.startswith("T3")}, report.findings
    cells = report.cells
    for col in (
        "natural",
        "commercial",
        "research",
        "social",
        "legal",
        "other",
        "total",
    ):
        assert (
            cells[f"s3.new.{col}"] + cells[f"s3.carried.{col}"]
            == cells[f"s3.total.{col}"] + cells[f"s3.carry_forward.{col}"]
        )


def test_a_community_has_no_annual_report_to_generate_or_import(tree, client):
    """A 社区居委会 is not an administrative body (条例第二条) and publishes no annual
    report (条例第四十九条): generating or importing one is refused, and its report
    page says why instead of offering the buttons."""
    with pytest.raises(ValidationError, match="第四十九条"):
        r.report_generate(actor=tree.officer, organisation=tree.community_a, year=2025)
    with pytest.raises(ValidationError, match="无需编制"):
        r.report_import(
            actor=tree.officer,
            organisation=tree.community_a,
            year=2025,
            filename="2025.txt",
            data="二〇二五年度报告".encode(),
        )
    assert not AnnualReport.objects.filter(organisation=tree.community_a).exists()
    client.force_login(tree.liaison_a)
    page = client.get("/office/reports/").content.decode()
    assert "无需编制政府信息公开工作年度报告" in page
    assert "生成2" not in page

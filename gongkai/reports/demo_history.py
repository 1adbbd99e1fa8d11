"""Demo: the annual reports of 2022–2025 of every body that must publish one (the
district government, the 街道, the 住建局 and the 镇), generated from the records of
each year (the historical applications of ``inforequests/demo_history.py``, the
appeals, the registers) and given a short narrative (idempotent).

They are approved and published on time, a few days before each body's deadline
(条例第四十九条, by its kind: ``report_deadline`` — 31 January, a government's 31
March); their submit, approve and publish times are set to those days, when the body
did it (the demo has no clock travel). So the portal's 政府信息公开年报 column has a
report per year and the 图解 a trend, and no 工作台 shows a report overdue — except
one, on purpose: the 镇's 2025 report is written but still a draft (``LATE``), so the
district's supervisor sees 2025年度报告逾期未公开 on the 工作台 and 已超期未公开 in the
supervision grid, the case those screens are there to show.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation
from gongkai.reports import services as r
from gongkai.reports.models import AnnualReport
from gongkai.reports.report_common import report_deadline

YEARS = (2022, 2023, 2024, 2025)
# The demo's bodies that must publish a report (``must_report``), by demo key, with
# who writes and who approves and publishes their reports (demo/organisations.py).
BODIES = {
    "district": ("qofficer", "qhead"),
    "luopu": ("officer", "head"),
    "housing": ("zjofficer", "zjhead"),
    "township": ("msofficer", "mshead"),
}
# The one report left unpublished past its deadline (the supervisor's case).
LATE = ("township", 2025)
# Days before the deadline the report was submitted, approved and published.
BEFORE_DEADLINE = (16, 11, 9)

FOCUS = {
    2022: "老旧小区改造和疫情防控信息",
    2023: "低保、高龄津贴等民生保障信息",
    2024: "就业创业、加装电梯补贴等惠民政策信息",
    2025: "城市更新、临时救助和应急管理信息",
}


def _sections(org: Organisation, year: int) -> dict[str, str]:
    return {
        "一": (
            f"{year}年，{org.name}深入贯彻《中华人民共和国政府信息公开条例》，"
            f"围绕{FOCUS[year]}，加大主动公开力度，依法办理政府信息公开申请，"
            "政务公开工作取得新进展。\n"
            "（一）主动公开。通过区政府门户网站政府信息公开专栏及时发布各类信息。\n"
            "（二）依申请公开。规范受理、审核、答复和送达，做到件件有回复。\n"
            "（三）政府信息管理。落实公开前保密审查，动态更新主动公开目录。\n"
            "（四）平台建设。用好政府信息公开专栏，提升信息发布的及时性。\n"
            "（五）监督保障。将政务公开纳入年度考核，加强业务指导和培训。"
        ),
        "五": (
            "主要问题：个别信息更新不够及时，政策解读形式较为单一。"
            f"改进情况：{year + 1}年将完善信息发布审核流程，增加图解、问答等解读形式，"
            "并加强工作人员业务培训。"
        ),
    }


def backdate(report: AnnualReport) -> None:
    """Set a published report's submit, approve and publish times to the days before
    its deadline when the body did them (10:00 local time)."""
    deadline = report.deadline or report_deadline(report.organisation, report.year)
    zone = timezone.get_current_timezone()
    submitted, approved, published = (
        datetime.combine(deadline - timedelta(days=days), datetime.min.time(), zone)
        + timedelta(hours=10)
        for days in BEFORE_DEADLINE
    )
    AnnualReport.objects.filter(pk=report.pk).update(
        submitted_at=submitted, approved_at=approved, published_at=published
    )


def _write(
    org: Organisation, year: int, officer: User, head: User, *, publish: bool
) -> None:
    report = r.report_generate(actor=officer, organisation=org, year=year)
    report = r.report_update_sections(
        actor=officer, report=report, sections=_sections(org, year)
    )
    if not publish:
        return
    report = r.report_submit(actor=officer, report=report)
    for finding in [f for f in report.findings if f["severity"] == "warning"]:
        report = r.report_note_warning(
            actor=head, report=report, finding=finding["id"], note="演示数据：已核实。"
        )
    report = r.report_publish(
        actor=head, report=r.report_approve(actor=head, report=report)
    )
    backdate(report)


def load(orgs: dict[str, Organisation]) -> None:
    for key, (writer, approver) in BODIES.items():
        org = orgs.get(key)
        officer = User.objects.filter(username=writer).first()
        head = User.objects.filter(username=approver).first()
        if org is None or officer is None or head is None:
            continue
        for year in YEARS:
            if AnnualReport.objects.filter(organisation=org, year=year).exists():
                continue
            _write(org, year, officer, head, publish=(key, year) != LATE)

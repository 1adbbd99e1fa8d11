"""Demo: the 街道's annual reports for 2022–2025, generated from the records of each
year (the historical applications of ``inforequests/demo_history.py``, the appeals,
the registers) and given a short narrative (idempotent).

2022–2024 are approved and published, so the portal's 政府信息公开年报 column has a
report per year and the 图解 a trend; their submit, approve and publish times are
set to January of the next year, when the body did it (条例第四十九条: by 1 月 31 日;
the demo has no clock travel). The 2025 report is written but still a draft: the
工作台 shows it as 逾期未公开, the to-do the demo is there to show.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation
from gongkai.reports import services as r
from gongkai.reports.models import AnnualReport

YEARS = (2022, 2023, 2024, 2025)
PUBLISHED_YEARS = (2022, 2023, 2024)

FOCUS = {
    2022: "老旧小区改造和疫情防控信息",
    2023: "低保、高龄津贴等民生保障信息",
    2024: "就业创业、加装电梯补贴等惠民政策信息",
    2025: "城市更新、临时救助和应急管理信息",
}


def _sections(year: int) -> dict[str, str]:
    return {
        "一": (
            f"{year}年，洛浦街道办事处深入贯彻《中华人民共和国政府信息公开条例》，"
            f"围绕{FOCUS[year]}，加大主动公开力度，依法办理政府信息公开申请，"
            "政务公开工作取得新进展。\n"
            "（一）主动公开。通过区政府门户网站街道专栏、社区公开栏及时发布各类信息。\n"
            "（二）依申请公开。规范受理、审核、答复和送达，做到件件有回复。\n"
            "（三）政府信息管理。落实公开前保密审查，动态更新主动公开目录。\n"
            "（四）平台建设。用好政府信息公开专栏，提升信息发布的及时性。\n"
            "（五）监督保障。将政务公开纳入年度考核，加强对社区的业务指导。"
        ),
        "五": (
            "主要问题：个别信息更新不够及时，政策解读形式较为单一。"
            f"改进情况：{year + 1}年将完善信息发布审核流程，增加图解、问答等解读形式，"
            "并加强工作人员业务培训。"
        ),
    }


def load(orgs: dict[str, Organisation]) -> None:
    luopu = orgs.get("luopu")
    officer = User.objects.filter(username="officer").first()
    head = User.objects.filter(username="head").first()
    if luopu is None or officer is None or head is None:
        return
    for year in YEARS:
        if AnnualReport.objects.filter(organisation=luopu, year=year).exists():
            continue
        report = r.report_generate(actor=officer, organisation=luopu, year=year)
        report = r.report_update_sections(
            actor=officer, report=report, sections=_sections(year)
        )
        if year not in PUBLISHED_YEARS:
            continue
        report = r.report_submit(actor=officer, report=report)
        for finding in [f for f in report.findings if f["severity"] == "warning"]:
            report = r.report_note_warning(
                actor=head,
                report=report,
                finding=finding["id"],
                note="演示数据：已核实。",
            )
        r.report_publish(actor=head, report=r.report_approve(actor=head, report=report))
        january = [
            datetime(year + 1, 1, day, 10, tzinfo=timezone.get_current_timezone())
            for day in (15, 20, 22)
        ]
        AnnualReport.objects.filter(pk=report.pk).update(
            submitted_at=january[0], approved_at=january[1], published_at=january[2]
        )

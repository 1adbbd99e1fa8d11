"""A first draft of the narrative sections, written from the platform's own facts.

The officer edits it; nothing here is final text. Section 六 always states the
信息处理费 position (spec §2, check NARR_FEE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.feedback.services import feedback_summary
from gongkai.inforequests.models import CaseEvent
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import CatalogueArea, CatalogueItem, Publication
from gongkai.publishing.selectors import interpretation_figures


@dataclass(frozen=True)
class Facts:
    organisation: str
    year: int
    publications: int
    catalogue_areas: int
    catalogue_items: int
    communities: int
    received: int
    concluded: int
    carried_forward: int
    fee_notices: int
    fee_amount: int
    fees_paid: int
    appeals: int
    last_year_problems: str
    feedback: int = 0
    survey_avg: float | None = None
    # 政策解读 (issue 21): the year's 规范性文件 and those with a timely 解读.
    normative: int = 0
    interpreted_on_time: int = 0
    interpretation_rate: float | None = None


def gather_facts(
    org: Organisation, year: int, cells: dict[str, object], last_year_problems: str
) -> Facts:
    start, end = date(year, 1, 1), date(year, 12, 31)
    notices = CaseEvent.objects.filter(
        request__organisation=org, action="issue_fee_notice", on__range=(start, end)
    )
    amounts = [int(e.data.get("amount_yuan", 0)) for e in notices]
    paid = CaseEvent.objects.filter(
        request__organisation=org, action="record_payment", on__range=(start, end)
    )
    paid_amount = 0
    for event in paid:
        notice = (
            CaseEvent.objects.filter(request=event.request, action="issue_fee_notice")
            .order_by("-on")
            .first()
        )
        paid_amount += int(notice.data.get("amount_yuan", 0)) if notice else 0

    feedback, survey_avg = _feedback_count(org, year)
    interp = interpretation_figures([org], year)[org.pk]

    def cell(key: str) -> int:
        value = cells.get(key) or 0
        return int(value) if isinstance(value, int | float | str) else 0

    return Facts(
        organisation=org.name,
        year=year,
        publications=Publication.objects.filter(
            organisation=org,
            status__in=list(LIVE_STATUSES),
            published_at__date__range=(start, end),
        ).count(),
        catalogue_areas=CatalogueArea.objects.filter(organisation=org).count(),
        catalogue_items=CatalogueItem.objects.filter(area__organisation=org).count(),
        communities=Organisation.objects.filter(
            parent=org, kind__in=["community", "village"]
        ).count(),
        received=cell("s3.new.total"),
        concluded=cell("s3.total.total"),
        carried_forward=cell("s3.carry_forward.total"),
        fee_notices=len(amounts),
        fee_amount=sum(amounts),
        fees_paid=paid_amount,
        appeals=sum(
            cell(f"s4.{g}.total")
            for g in ("review", "suit_direct", "suit_after_review")
        ),
        last_year_problems=last_year_problems.strip(),
        feedback=feedback,
        survey_avg=survey_avg,
        normative=interp.total,
        interpreted_on_time=interp.timely,
        interpretation_rate=interp.rate,
    )


def _feedback_count(org: Organisation, year: int) -> tuple[int, float | None]:
    """Feedback items received and the average overall survey score of the year."""

    summary = feedback_summary([org], year)[org.pk]
    count = (
        int(summary["useful"]) + int(summary["not_useful"]) + int(summary["comments"])
    )
    return count, summary["survey_avg"]


def draft_sections(f: Facts) -> dict[str, str]:
    """Sections 一, 五, 六 drafted from ``f`` (二–四 are the tables)."""
    communities = f"及辖区{f.communities}个社区" if f.communities else ""
    one = "\n".join(
        [
            f"{f.year}年，{f.organisation}认真贯彻落实《中华人民共和国政府信息公开条例》，"
            f"本报告中所列数据的统计期限为{f.year}年1月1日至{f.year}年12月31日。",
            f"（一）主动公开。全年通过政府信息公开专栏等渠道主动公开政府信息{f.publications}条。"
            + (
                f"按照{f.catalogue_areas}个领域共{f.catalogue_items}个公开事项的标准目录规范公开内容。"
                if f.catalogue_items
                else ""
            )
            + (
                f"全年发布规范性文件{f.normative}件，其中{f.interpreted_on_time}件与文件同步"
                f"或按时发布政策解读，解读率{f.interpretation_rate:g}%。"
                if f.normative and f.interpretation_rate is not None
                else ""
            ),
            f"（二）依申请公开。全年新收政府信息公开申请{f.received}件，办结{f.concluded}件，"
            f"结转下年度继续办理{f.carried_forward}件。",
            f"（三）政府信息管理。{f.organisation}{communities}指定专人负责政府信息公开工作，及时更新公开内容。",
            "（四）政府信息公开平台建设。依托政府信息公开专栏、信息公示栏等平台公开信息。",
            "（五）监督保障。将政务公开工作纳入绩效考评，加强监督检查。"
            + (
                f"全年因政府信息公开被申请行政复议、提起行政诉讼共{f.appeals}件。"
                if f.appeals
                else ""
            )
            + (f"全年收到公众意见反馈{f.feedback}条。" if f.feedback else "")
            + (
                f"满意度测评总体平均{f.survey_avg}分（5分制）。" if f.survey_avg else ""
            ),
        ]
    )
    five = "\n".join(
        [
            "（一）存在的主要问题。"
            + (
                f"上一年度报告指出的问题：{_first_sentence(f.last_year_problems)}"
                if f.last_year_problems
                else "（请填写本年度存在的主要问题。）"
            ),
            "（二）改进情况。（请填写针对上述问题采取的改进措施及成效。）",
        ]
    )
    if f.fee_notices:
        six = (
            f"本年度发出信息处理费收费通知{f.fee_notices}件，金额共计{f.fee_amount}元，"
            f"实际收取信息处理费{f.fees_paid}元。"
        )
    else:
        six = "本年度未发出信息处理费收费通知，未收取信息处理费。"
    return {"一": one, "五": five, "六": six}


def _first_sentence(text: str) -> str:
    for stop in "。；":
        if stop in text:
            return text.split(stop, 1)[0] + "。"
    return text[:120]

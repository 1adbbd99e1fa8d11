"""The named metrics an indicator set may use (``core.assessment.METRICS``), each
computed for one unit and year from the records, with its evidence: the figures
and the records behind them (each a link), shown on the evidence page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count
from django.urls import reverse

from gongkai.appeals.models import Appeal
from gongkai.core.inforequest_flow import OPEN_STATUSES
from gongkai.core.letters import chinese_date
from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.core.workdays.urgency import urgency_of
from gongkai.engagement.selectors import engagement_figures
from gongkai.feedback.models import HandlingRating, SurveyResponse
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import (
    CatalogueItem,
    Publication,
    published_in_year_q,
)
from gongkai.publishing.selectors import (
    ItemFreshness,
    catalogue_freshness,
    interpretation_figures,
)
from gongkai.reports.models import AnnualReport
from gongkai.reports.report_common import report_deadline
from gongkai.supervision.selectors import report_state

MAX_RECORDS = 200  # evidence rows listed per metric (the figures count them all)


@dataclass
class MetricResult:
    value: float  # 0–100
    figures: str  # the numbers behind the value, in words
    records: list[tuple[str, str, str]] = field(default_factory=list)
    # (label, note, url) of each record counted against the unit; url "" when the
    # record has no page of the unit's own that the supervisor can open


def _share(good: int, total: int) -> float:
    # Nothing to judge counts as full marks: a unit with no applications was not late.
    return 100.0 if total == 0 else round(100.0 * good / total, 1)


def request_on_time(unit: Organisation, year: int, today: date) -> MetricResult:
    start, end = date(year, 1, 1), date(year, 12, 31)
    concluded = list(
        InfoRequest.objects.filter(
            organisation=unit, concluded_on__range=(start, end)
        ).only("pk", "concluded_on", "due_on")
    )
    late = [
        c
        for c in concluded
        if c.due_on is not None
        and (c.concluded_on is None or c.concluded_on > c.due_on)
    ]
    overdue_open = [
        c
        for c in InfoRequest.objects.filter(
            organisation=unit,
            status__in=list(OPEN_STATUSES),
            due_on__range=(start, end),
            due_on__lt=today,
        ).only("pk", "due_on", "status")
        if urgency_of(c.due_on, today).key == "overdue"
    ]
    total = len(concluded) + len(overdue_open)
    on_time = len(concluded) - len(late)
    records = [
        (
            str(c),
            f"逾期办结（期限 {c.due_on}）",
            reverse("inforequests:detail", args=[c.pk]),
        )
        for c in late
    ] + [
        (
            str(c),
            f"已超期未办结（期限 {c.due_on}）",
            reverse("inforequests:detail", args=[c.pk]),
        )
        for c in overdue_open
    ]
    return MetricResult(
        _share(on_time, total),
        f"按期答复 {on_time} 件，计入考核 {total} 件（办结 {len(concluded)} 件，"
        f"超期未办结 {len(overdue_open)} 件）。",
        records[:MAX_RECORDS],
    )


def annual_report_on_time(unit: Organisation, year: int, today: date) -> MetricResult:
    report = (
        AnnualReport.objects.filter(organisation=unit, year=year - 1)
        .exclude(status=AnnualReport.Status.SUPERSEDED)
        .order_by("-revision")
        .first()
    )
    state = report_state(report, year - 1, today, unit=unit)
    if state == "not_required":
        # Nothing to judge counts as full marks, as in ``_share``.
        return MetricResult(
            100.0,
            f"{unit.get_kind_display()}不是政府信息公开主体，无需公开"
            f"{year - 1}年度报告（条例第四十九条），本项不扣分。",
        )
    deadline = (
        report.deadline if report is not None and report.deadline else None
    ) or report_deadline(unit, year - 1)
    value = {"on_time": 100.0, "late": 50.0, "failing": 30.0}.get(state, 0.0)
    labels = {
        "on_time": "按时公开",
        "late": "逾期公开",
        "failing": "有错误",
    }
    records = []
    if report is not None:
        records.append(
            (
                f"{year - 1}年度报告",
                labels.get(state, "未公开"),
                reverse("reports:detail", args=[report.pk]),
            )
        )
    return MetricResult(
        value,
        f"{year - 1}年度报告（公开期限{deadline:%Y年%-m月%-d日}）："
        f"{labels.get(state, '未按时公开')}。",
        records,
    )


def _catalogue(
    unit: Organisation, today: date
) -> list[tuple[CatalogueItem, ItemFreshness]]:
    """The unit's active catalogue items, read as the 目录 screen reads them
    (``publishing.selectors.catalogue_freshness``, the one staleness rule)."""
    return catalogue_freshness(
        CatalogueItem.objects.filter(organisation=unit, is_active=True), today
    )


# The catalogue items are listed without a link: their screens are the active
# organisation's own (a supervisor would land on theirs, not the unit's).


def catalogue_completeness(unit: Organisation, year: int, today: date) -> MetricResult:
    items = _catalogue(unit, today)
    empty = [i for i, f in items if not f.live_count]
    return MetricResult(
        _share(len(items) - len(empty), len(items)),
        f"启用的目录事项 {len(items)} 个，其中 {len(empty)} 个还没有已公开信息。",
        [(str(i), "没有已公开信息", "") for i in empty][:MAX_RECORDS],
    )


def catalogue_current(unit: Organisation, year: int, today: date) -> MetricResult:
    items = _catalogue(unit, today)
    stale = [(i, f.due) for i, f in items if f.days_overdue > 0 and f.due]
    return MetricResult(
        _share(len(items) - len(stale), len(items)),
        f"启用的目录事项 {len(items)} 个，其中 {len(stale)} 个超过更新周期未更新。",
        [(str(i), f"应于{chinese_date(due)}前更新", "") for i, due in stale if due][
            :MAX_RECORDS
        ],
    )


def proactive_on_time(unit: Organisation, year: int, today: date) -> MetricResult:
    published = list(
        Publication.objects.filter(
            published_in_year_q(year),
            organisation=unit,
            status__in=list(LIVE_STATUSES),
            attribute=Publication.Attribute.PROACTIVE,
        ).only(
            "pk",
            "index_no",
            "title",
            "attribute",
            "status",
            "due_on",
            "published_at",
            "changed_on",
            "last_changed_at",
        )
    )
    late = [p for p in published if p.is_late]
    return MetricResult(
        _share(len(published) - len(late), len(published)),
        f"本年主动公开 {len(published)} 条，超过公开时限 {len(late)} 条。",
        [
            (
                p.title,
                f"应于{chinese_date(p.due_on)}前公开",
                reverse("publishing:detail", args=[p.pk]),
            )
            for p in late
            if p.due_on  # is_late implies a due date
        ][:MAX_RECORDS],
    )


def correction_rate(unit: Organisation, year: int, today: date) -> MetricResult:
    decided = list(
        Appeal.objects.filter(organisation=unit, decided_on__year=year).only(
            "pk", "result", "kind", "decided_on"
        )
    )
    corrected = [a for a in decided if a.result == Appeal.Result.CORRECTED]
    rate = _share(len(corrected), len(decided)) if decided else 0.0
    return MetricResult(
        round(100.0 - rate, 1),
        f"本年审结复议、诉讼 {len(decided)} 件，被纠错 {len(corrected)} 件。",
        [
            (str(a), "结果纠正", reverse("appeals:detail", args=[a.pk]))
            for a in corrected
        ],
    )


def _five_point(avg: float | None) -> float:
    return 100.0 if avg is None else round(float(avg) * 20, 1)


def survey_score(unit: Organisation, year: int, today: date) -> MetricResult:
    answers = SurveyResponse.objects.filter(
        survey__organisation=unit, created_at__year=year
    ).values_list("scores", flat=True)
    marks = [
        int(v)
        for scores in answers
        for v in (scores or {}).values()
        if str(v).isascii() and str(v).isdigit() and 1 <= int(v) <= 5
    ]
    avg = sum(marks) / len(marks) if marks else None
    return MetricResult(
        _five_point(avg),
        f"本年答卷 {len(answers)} 份，平均分 {avg:.2f}（满分5分）。"
        if avg is not None
        else "本年没有测评答卷，按满分计。",
        # The answers are counted, not listed: the moderation screen is the active
        # organisation's own, not the unit's.
        [("满意度测评", f"{len(answers)} 份答卷", "")] if answers else [],
    )


def rating_score(unit: Organisation, year: int, today: date) -> MetricResult:
    agg = HandlingRating.objects.filter(
        organisation=unit, created_at__year=year
    ).aggregate(n=Count("pk"), avg=Avg("score"))
    bad = HandlingRating.objects.filter(
        organisation=unit, created_at__year=year, score__lte=2
    ).select_related("request")[:MAX_RECORDS]
    return MetricResult(
        _five_point(agg["avg"]),
        f"本年评价 {agg['n']} 条，平均 {agg['avg']:.2f} 分（满分5分）。"
        if agg["avg"] is not None
        else "本年没有评价，按满分计。",
        [
            (
                str(r.request),
                f"差评 {r.score} 分",
                reverse("inforequests:detail", args=[r.request_id]),
            )
            for r in bad
        ],
    )


def interpretation_rate(unit: Organisation, year: int, today: date) -> MetricResult:
    """解读率 as the supervision dashboard counts it (publishing/selectors.py:
    ``interpretation_figures``: a live 解读 with the document or within the set
    working days)."""
    row = interpretation_figures([unit], year, today)[unit.pk]
    return MetricResult(
        100.0 if row.rate is None else round(float(row.rate), 1),
        f"本年公开规范性文件 {row.total} 件，按时解读 {row.timely} 件。",
        [
            (doc.title, state.label, reverse("publishing:detail", args=[doc.pk]))
            for doc, state in row.missing
        ][:MAX_RECORDS],
    )


def interaction_reply_rate(unit: Organisation, year: int, today: date) -> MetricResult:
    """留言 answered on time, as the dashboard counts it (engagement/selectors.py)."""
    row = engagement_figures([unit], year, today)[unit.pk]
    rate = row.on_time_rate
    return MetricResult(
        100.0 if rate is None else rate,
        f"本年收到留言 {row.messages} 条，已答复 {row.answered} 条（按时 {row.on_time} 条），"
        f"超期未答复 {row.overdue} 条。",
        # Counted, not linked: the 政民互动 screen is the active organisation's own.
        [("政民互动", f"超期未答复 {row.overdue} 条", "")] if row.overdue else [],
    )


COMPUTE: dict[str, Callable[[Organisation, int, date], MetricResult]] = {
    "annual_report_on_time": annual_report_on_time,
    "catalogue_completeness": catalogue_completeness,
    "catalogue_current": catalogue_current,
    "proactive_on_time": proactive_on_time,
    "request_on_time": request_on_time,
    "correction_rate": correction_rate,
    "survey_score": survey_score,
    "rating_score": rating_score,
    "interpretation_rate": interpretation_rate,
    "interaction_reply_rate": interaction_reply_rate,
}

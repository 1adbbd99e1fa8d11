"""Back-office screens of the annual report. Thin: form → one service → redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.appeals.selectors import table4_records
from gongkai.backoffice.context import active_organisation
from gongkai.core.annual.names import cell_choices, cell_name
from gongkai.core.annual.parse import ocr_page_count
from gongkai.core.identifiers import mask_identifier
from gongkai.core.letters import chinese_date
from gongkai.core.report_rules import first_submission_day
from gongkai.inforequests.selectors import table3_records
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404, require
from gongkai.publishing.models import (
    EnforcementDecision,
    FeeRecord,
    NormativeDocument,
)
from gongkai.reports import services as s
from gongkai.reports.models import AnnualReport, ReportImportJob
from gongkai.reports.outputs import (
    FILE_FORMATS,
    link_cells,
    report_article_html,
    report_charts,
    report_file,
)
from gongkai.reports.report_common import report_deadline
from gongkai.reports.selectors import (
    TODO_STATES,
    report_bodies_overdue,
    report_bodies_unwritten,
    report_list_for,
    report_rollup,
    report_timeline,
    reports_waiting,
)
from gongkai.reports.tasks import run_report_import

# The first year of the 2019 条例's report form (version_for_year: 2019 and 2021 forms).
FIRST_REPORT_YEAR = 2019


def _active(request: HttpRequest) -> Organisation:
    org = active_organisation(request)
    if org is None:
        raise Http404("您没有可访问的机构。")
    return org


def _report(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW) -> AnnualReport:
    return get_scoped_or_404(
        AnnualReport.objects.select_related("organisation"), request.user, perm, pk=pk
    )


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    org = _active(request)
    if org is None:
        raise Http404("您没有可访问的机构。")
    require(request.user, Perm.VIEW, org)
    this_year = timezone.localdate().year
    todo = _todo_list(request, org)
    reports = [] if todo else list(report_list_for(request.user, org))
    return render(
        request,
        "reports/index.html",
        {
            "todo": todo,
            "reports": reports,
            "org": org,
            "years": list(range(this_year, this_year - 6, -1)),
            "can_edit": can(request.user, Perm.EDIT, org),
            "not_reporting": s.not_reporting_reason(org),
            "this_year": this_year,
            "today": timezone.localdate(),
        },
    )


TODO_PAGE_SIZE = 100


def _todo_list(request: HttpRequest, org: Organisation) -> dict[str, Any] | None:
    """The rows a line of the 工作台's 年度报告 group counts (``?state=…&year=…&kind=…``,
    as ``backoffice.selectors`` links them), read by the same selectors; None
    without a valid ``state`` (the page then lists the body's own reports)."""
    state = request.GET.get("state", "")
    if state not in TODO_STATES:
        return None
    today = timezone.localdate()
    raw_year = request.GET.get("year", "")
    year = (
        int(raw_year)
        if raw_year.isascii() and raw_year.isdigit() and 2008 <= int(raw_year) <= 2100
        else today.year - 1
    )
    kinds = [k for k in request.GET.getlist("kind") if k in Organisation.Kind.values]
    names = dict(Organisation.Kind.choices)
    title = f"{year}年度报告{TODO_STATES[state]}"
    if kinds:
        title += "（" + "、".join(names[k] for k in kinds) + "）"
    if state in ("submitted", "approved"):
        rows = reports_waiting(request.user, org, state).select_related("organisation")
        waiting = Paginator(rows.order_by("deadline", "pk"), TODO_PAGE_SIZE)
        listed = waiting.get_page(request.GET.get("page"))
        return {
            "title": f"年度报告{TODO_STATES[state]}",
            "bodies": None,
            "reports": list(listed.object_list),
            "page": listed,
        }
    bodies = (
        report_bodies_unwritten(request.user, org, year, kinds or None)
        if state == "unwritten"
        else report_bodies_overdue(request.user, org, year, today, kinds or None)
    )
    page = Paginator(bodies.order_by("path"), TODO_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    units = list(page.object_list)
    latest: dict[int, AnnualReport] = {}
    for report in (
        AnnualReport.objects.filter(year=year, organisation__in=units)
        .exclude(status=AnnualReport.Status.SUPERSEDED)
        .order_by("revision")
    ):
        latest[report.organisation_id] = report
    return {
        "title": title,
        "bodies": [
            {
                "unit": unit,
                "report": latest.get(unit.pk),
                "deadline": (latest[unit.pk].deadline if unit.pk in latest else None)
                or report_deadline(unit, year),
            }
            for unit in units
        ],
        "year": year,
        "page": page,
    }


@login_required
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    org = _active(request)
    try:
        report = s.report_generate(
            actor=request.user,
            organisation=org,
            year=int(request.POST.get("year", "0")),
        )
    except (ValidationError, ValueError) as exc:
        _fail(
            request,
            exc if isinstance(exc, ValidationError) else ValidationError("年度无效。"),
        )
        return redirect("reports:index")
    messages.success(request, f"已生成{report.year}年年度报告草稿。")
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_import(request: HttpRequest) -> HttpResponse:
    org = _active(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的年报文件。")
        return redirect("reports:index")
    if upload.size and upload.size > 20 * 1024 * 1024:
        messages.error(request, "文件过大（不超过 20 MB）。")
        return redirect("reports:index")
    year_text = request.POST.get("year", "").strip()
    filename = upload.name or "report"
    data = upload.read()
    # a scan (about 2 s of OCR a page) goes to the task worker; text files are
    # read here, in well under a second
    pages = ocr_page_count(data, filename)
    try:
        year = int(year_text) if year_text else None
        if pages:
            job = s.report_import_queue(
                actor=request.user,
                organisation=org,
                year=year,
                filename=filename,
                data=data,
                pages=pages,
            )
            run_report_import.enqueue(job.pk)
            return redirect("reports:import_job", pk=job.pk)
        report = s.report_import(
            actor=request.user,
            organisation=org,
            year=year,
            filename=filename,
            data=data,
        )
    except (ValidationError, ValueError, OverflowError) as exc:
        _fail(
            request,
            exc if isinstance(exc, ValidationError) else ValidationError("年度无效。"),
        )
        return redirect("reports:index")
    messages.success(request, f"已导入{report.year}年年度报告。")
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The waiting page of a scan being read in the task worker: it refreshes
    itself, and once the report is imported goes on to it."""
    job = get_scoped_or_404(
        ReportImportJob.objects.select_related("report"), request.user, Perm.VIEW, pk=pk
    )
    if job.state == ReportImportJob.State.DONE and job.report is not None:
        messages.success(request, job.message)
        return redirect("reports:detail", pk=job.report.pk)
    timed_out = s.report_import_job_timed_out(job, timezone.now())
    return render(
        request,
        "reports/import_job.html",
        {
            "job": job,
            "waiting": job.state == ReportImportJob.State.WAITING and not timed_out,
            "timed_out": timed_out,
            "can_retry": can(request.user, Perm.EDIT, job.organisation),
            "minutes": s.ocr_minutes(job.pages),
        },
    )


@login_required
@require_POST
def report_import_job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """重试: a scan whose reading timed out goes on the task queue again."""
    job = get_scoped_or_404(
        ReportImportJob.objects.all(), request.user, Perm.EDIT, pk=pk
    )
    try:
        job = s.report_import_job_retry(actor=request.user, job=job)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        if job.state == ReportImportJob.State.WAITING:
            run_report_import.enqueue(job.pk)
    return redirect("reports:import_job", pk=job.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(request, "reports/detail.html", _detail_context(request, report))


def _detail_context(
    request: HttpRequest, report: AnnualReport, **extra: Any
) -> dict[str, Any]:
    article = link_cells(
        report_article_html(report),
        lambda key: reverse("reports:cell", args=[report.pk, key]),
    )
    history = list(
        AnnualReport.objects.filter(
            organisation=report.organisation, revision=1
        ).order_by("year")
    )
    return {
        "report": report,
        "article": article,
        "charts": report_charts(report, history),
        "figures": report.manual_figures.select_related("entered_by"),
        "can_edit": can(request.user, Perm.EDIT, report.organisation)
        and report.is_editable,
        "can_approve": can(request.user, Perm.APPROVE, report.organisation),
        # 更正 starts a new draft of a published report: for whom may 办理 there.
        "can_correct": can(request.user, Perm.EDIT, report.organisation),
        "formats": FILE_FORMATS,
        "revisions": AnnualReport.objects.filter(
            organisation=report.organisation, year=report.year
        ).order_by("revision"),
        "timeline": report_timeline(report),
        "late": report.deadline
        and report.status != "published"
        and timezone.localdate() > report.deadline,
        # Submission opens on 1 January after the year (core/report_rules.py).
        "submit_from": None
        if timezone.localdate() >= first_submission_day(report.year)
        else first_submission_day(report.year),
        # 手工填报 picks a cell by its printed name, never by its key.
        "cell_choices": cell_choices(report.version),
        **extra,
    }


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = _report(request, pk)
    actor = request.user
    post = request.POST
    handlers: dict[str, Any] = {
        "refresh": lambda: s.report_refresh(actor=actor, report=report),
        "sections": lambda: s.report_update_sections(
            actor=actor,
            report=report,
            sections={
                n: post.get(f"section_{n}", "")
                for n in ("一", "五", "六")
                if f"section_{n}" in post
            },
        ),
        "figure": lambda: s.report_set_figure(
            actor=actor,
            report=report,
            key=post.get("key", ""),
            value=post.get("value", ""),
            reason=post.get("reason", ""),
        ),
        "submit": lambda: s.report_submit(actor=actor, report=report),
        "note": lambda: s.report_note_warning(
            actor=actor,
            report=report,
            finding=post.get("finding", ""),
            note=post.get("note", ""),
        ),
        "approve": lambda: s.report_approve(actor=actor, report=report),
        "return": lambda: s.report_return(
            actor=actor, report=report, reason=post.get("reason", "")
        ),
        "publish": lambda: s.report_publish(actor=actor, report=report),
        "correct": lambda: s.report_correct(
            actor=actor, report=report, reason=post.get("reason", "")
        ),
    }
    if action not in handlers:
        raise Http404("未知操作。")
    try:
        result = handlers[action]()
    except ValidationError as exc:
        _fail(request, exc)
        if action == "figure":  # the typed figure stays in the form
            typed = {
                "figure_key": post.get("key", ""),
                "figure_value": post.get("value", "")[:20],
                "figure_reason": post.get("reason", "")[:500],
            }
            context = _detail_context(request, _report(request, pk), **typed)
            return render(request, "reports/detail.html", context, status=400)
        return redirect("reports:detail", pk=report.pk)
    messages.success(request, _done_message(action, result, post))
    return redirect("reports:detail", pk=result.pk)


def _done_message(action: str, report: AnnualReport, post: Any) -> str:
    """What the step did, in words (never just "已保存")."""
    title = f"{report.year}年年度报告（第{report.revision}版）"
    if action == "figure":
        name = cell_name(post.get("key", ""), report.version)
        return f"已手工填报“{name}”为 {post.get('value', '').strip()}，并记入审计日志。"
    return {
        "refresh": f"已按最新记录重新计算{title}的各项数据并重新审核。",
        "sections": f"已保存{title}的正文。",
        "submit": f"已将{title}提交审核，等待负责人审核。",
        "note": "已保存该项警告的审核说明。",
        "approve": f"{title}已审核通过，可以公开到年报栏目。",
        "return": f"已将{title}退回修改。",
        "publish": f"{title}已公开到政府信息公开年报栏目。",
        "correct": f"已生成{title}作为更正版草稿；原版本在新版本公开前继续公开。",
    }[action]


@login_required
def report_cell(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Every cell drills down to the records behind it (and any manual figure)."""
    report = _report(request, pk)
    figure = report.manual_figures.filter(key=key).first()
    org, year = report.organisation, report.year
    records: list[dict[str, str]] = []
    if key.startswith("s3."):
        for item in table3_records(org, year, key)[:500]:
            records.append(
                {
                    "label": item.tracking_number,
                    "detail": f"{item.applicant_name[:1]}** · "
                    f"{mask_identifier(item.id_number)} · {item.get_status_display()}",
                    "date": chinese_date(item.received_on),
                }
            )
    elif key.startswith("s4."):
        for appeal in table4_records(org, year, key)[:500]:
            records.append(
                {
                    "label": appeal.case_number or f"#{appeal.pk}",
                    "detail": f"{appeal.get_kind_display()} · "
                    f"{appeal.get_result_display() or '尚未审结'}"
                    f"{' · ' + appeal.get_correction_display() if appeal.correction else ''}",
                    "date": chinese_date(appeal.decided_on or appeal.filed_on),
                }
            )
    elif key.startswith("s2."):
        records = _table2_records(org, year, key)
    return render(
        request,
        "reports/cell.html",
        {
            "report": report,
            "key": key,
            "known_cell": key in dict(cell_choices(report.version)),
            "can_edit": report.is_editable
            and can(request.user, Perm.EDIT, report.organisation),
            "value": report.cells.get(key),
            "computed": report.computed_cells.get(key),
            "figure": figure,
            "records": records,
        },
    )


def _table2_records(org: Any, year: int, key: str) -> list[dict[str, str]]:
    from datetime import date

    from django.db.models import Q

    start, end = date(year, 1, 1), date(year, 12, 31)
    part = key.split(".")
    rows: list[dict[str, str]] = []
    if part[1] in ("regulations", "normative"):
        kind = (
            NormativeDocument.Kind.REGULATION
            if part[1] == "regulations"
            else NormativeDocument.Kind.NORMATIVE
        )
        docs = NormativeDocument.objects.filter(organisation=org, kind=kind)
        docs = {
            "issued": docs.filter(issued_on__range=(start, end)),
            "repealed": docs.filter(repealed_on__range=(start, end)),
            "in_force": docs.filter(
                Q(issued_on__lte=end)
                & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
                & (Q(expired_on__isnull=True) | Q(expired_on__gt=end))
            ),
        }[part[2]]
        rows = [
            {"label": str(d), "detail": "", "date": chinese_date(d.issued_on)}
            for d in docs[:500]
        ]
    elif part[1] in ("license", "penalty", "coercion"):
        for d in EnforcementDecision.objects.filter(
            organisation=org, kind=part[1], decided_on__range=(start, end)
        )[:500]:
            rows.append(
                {"label": str(d), "detail": "", "date": chinese_date(d.decided_on)}
            )
    elif part[1] == "fees":
        fees = FeeRecord.objects.filter(
            organisation=org, collected_on__range=(start, end)
        )[:500]
        rows = [
            {
                "label": f.item,
                "detail": f"{f.amount_wan} 万元",
                "date": chinese_date(f.collected_on),
            }
            for f in fees
        ]
    return rows


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = _report(request, pk)
    try:
        data, content_type, filename = report_file(report, fmt)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def report_rollup_view(request: HttpRequest, year: int) -> HttpResponse:
    org = _active(request)
    require(request.user, Perm.VIEW, org)
    this_year = timezone.localdate().year
    years = list(range(this_year, FIRST_REPORT_YEAR - 1, -1))
    if year not in years:
        # Before 2019 the report had another form (no cells to add up); a future
        # year has no data yet. Answered in words, with the years there are.
        return render(
            request,
            "reports/rollup.html",
            {
                "org": org,
                "year": year,
                "years": years,
                "refused": f"没有{year}年的汇总：平台汇总{FIRST_REPORT_YEAR}年"
                f"（现行年报格式施行）至{this_year}年的年度报告，请选择其中一年。",
            },
            status=404,
        )
    return render(
        request,
        "reports/rollup.html",
        {"org": org, "year": year, "years": years, **report_rollup(org, year)},
    )

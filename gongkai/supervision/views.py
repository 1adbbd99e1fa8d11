from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.backoffice.context import active_organisation
from gongkai.core.annual.charts import Chart, bar_chart_svg
from gongkai.core.assessment import METRICS, example_indicator_file
from gongkai.engagement.selectors import engagement_figures, overdue_feedback
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, get_scoped_or_404, require, scope
from gongkai.privacy.selectors import scan_last, scan_summary_by_unit
from gongkai.publishing.selectors import interpretation_figures
from gongkai.supervision import services as s
from gongkai.supervision.models import (
    INDICATOR_LABELS,
    ImportBatch,
    NoticeRecipient,
    SupervisionNotice,
)
from gongkai.supervision.selectors import (
    content_balance,
    dashboard,
    received_by_year,
    rulepacks_for,
    subtree,
    subtree_units,
)
from gongkai.supervision.tasks import process_import_batch


def _root(request: HttpRequest) -> Organisation:
    org = active_organisation(request)
    if org is None:
        raise Http404("您没有可访问的机构。")
    require(request.user, Perm.VIEW, org)
    return org


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return (
        int(raw)
        if raw.isascii() and raw.isdigit() and 2008 <= int(raw) <= 2100
        else timezone.localdate().year
    )


UNITS_PER_PAGE = 100


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    root, year = _root(request), _year(request)
    # A province has 10^4 units: the per-unit tables and charts show one page of them
    # (tree order); the totals above them cover the whole subtree.
    page = Paginator(subtree_units(root), UNITS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    board = dashboard(root, year, units=list(page.object_list))
    units = board.units
    trend = received_by_year(root, range(year - 4, year + 1))
    charts = [
        bar_chart_svg(Chart("近五年新收申请（本单位及下级）", tuple(trend))),
        bar_chart_svg(Chart(f"{year}年办理结果", tuple(board.outcome_mix.items()))),
        bar_chart_svg(
            Chart(
                f"{year}年各单位新收申请",
                tuple((u.unit.label, u.received) for u in units),
            )
        ),
        bar_chart_svg(
            Chart(
                f"{year}年各单位主动公开",
                tuple((u.unit.label, u.publications) for u in units),
            )
        ),
    ]
    return render(
        request,
        "supervision/dashboard.html",
        {
            "b": board,
            "year": year,
            "charts": charts,
            "page": page,
            "units": units,
            "grid": board.report_grid,
            "balance": content_balance(root, year, [u.unit for u in units]),
            # 解读率 and 政民互动 of the units on this page (issue 21).
            **_interpretation_and_engagement([u.unit for u in units], year),
            # Personal information found in live items of the subtree (issue 25).
            "pii_units": scan_summary_by_unit(request.user, root),
            "pii_scan": scan_last(root),
        },
    )


def _interpretation_and_engagement(
    units: list[Organisation], year: int
) -> dict[str, object]:
    today = timezone.localdate()
    interp = interpretation_figures(units, year, today)
    engage = engagement_figures(units, year, today)
    return {
        "engagement_rows": [(u, interp[u.pk], engage[u.pk]) for u in units],
        "missing_interpretations": [
            (u, doc, state) for u in units for doc, state in interp[u.pk].missing
        ][:200],
        "overdue_feedback": list(overdue_feedback(units, today)[:200]),
    }


MAX_RULEPACK_BYTES = 200 * 1024


@login_required
def scores_view(request: HttpRequest) -> HttpResponse:
    root, year = _root(request), _year(request)
    if request.method == "POST":
        try:
            _scores_post(request, root, year)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect(f"{request.path}?year={year}")
    scores = s.scores_for(root, year)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            s.scores_xlsx(root, year, scores),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="scores-{year}.xlsx"'
        return response
    indicators, rulepack = s.scheme_indicators(root, year)
    weights = s.scheme_weights(root, year)
    return render(
        request,
        "supervision/scores.html",
        {
            "scores": [
                (score, [(i, score.indicators[i.key]) for i in indicators])
                for score in scores
            ],
            "year": year,
            "indicator_list": indicators,
            "rulepack": rulepack,
            "rulepacks": rulepacks_for(request.user),
            "indicators": [
                (k, v, weights.get(k, 0)) for k, v in INDICATOR_LABELS.items()
            ],
            "can_set_weights": s.scheme_may_edit(request.user, root),
            "metrics": sorted(METRICS.items()),
        },
    )


def _scores_post(request: HttpRequest, root: Organisation, year: int) -> None:
    """The weights form, the choice of an indicator set, or an indicator file."""
    action = request.POST.get("action", "weights")
    if action == "upload":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError("请选择指标文件（.toml）。")
        if upload.size and upload.size > MAX_RULEPACK_BYTES:
            raise ValidationError("指标文件过大（最多 200 KB）。")
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError("指标文件应为 UTF-8 编码的文本（TOML）。") from exc
        loaded = s.rulepack_load(actor=request.user, organisation=root, text=text)
        s.rulepack_use(
            actor=request.user, organisation=root, year=year, rulepack=loaded
        )
        messages.success(
            request, f"已载入考评指标体系“{loaded.name}”，本年度按它计分。"
        )
    elif action == "use":
        raw = request.POST.get("rulepack", "")
        pack = (
            rulepacks_for(request.user).filter(pk=int(raw)).first()
            if raw.isascii() and raw.isdigit() and len(raw) < 10
            else None
        )
        if raw and pack is None:
            raise ValidationError("所选考评指标体系不存在。")
        s.rulepack_use(actor=request.user, organisation=root, year=year, rulepack=pack)
        messages.success(
            request,
            f"本年度按“{pack.name}”计分。" if pack else "本年度按四项权重计分。",
        )
    else:
        s.scheme_save(
            actor=request.user,
            organisation=root,
            year=year,
            weights=request.POST.dict(),
        )
        messages.success(request, "考评权重已保存。")


@login_required
def rulepack_example(request: HttpRequest) -> HttpResponse:
    """The indicator file format as a file to download and edit (no one's data)."""
    response = HttpResponse(
        example_indicator_file().encode("utf-8"),
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = (
        'attachment; filename="rulepack-example.toml"; '
        "filename*=UTF-8''%E8%80%83%E8%AF%84%E6%8C%87%E6%A0%87%E6%96%87%E4%BB%B6%E7%A4%BA%E4%BE%8B.toml"
    )
    return response


@login_required
def score_evidence(request: HttpRequest) -> HttpResponse:
    """What one score of one unit is made of: the figures and each record counted."""
    root, year = _root(request), _year(request)
    raw_unit = request.GET.get("unit", "")
    if not (raw_unit.isascii() and raw_unit.isdigit()) or len(raw_unit) > 12:
        raise Http404("未找到该单位。")
    unit = get_scoped_or_404(
        Organisation.objects.all(), request.user, Perm.VIEW, via="self", pk=raw_unit
    )
    if not unit.path.startswith(root.path):
        raise Http404("该单位不在当前机构之下。")
    indicators, rulepack = s.scheme_indicators(root, year)
    indicator = next(
        (i for i in indicators if i.key == request.GET.get("indicator", "")), None
    )
    if indicator is None:
        raise Http404("未找到该考评指标。")
    result = s.unit_metric(unit, year, indicator.metric, timezone.localdate())
    return render(
        request,
        "supervision/score_evidence.html",
        {
            "unit": unit,
            "year": year,
            "indicator": indicator,
            "metric": METRICS[indicator.metric],
            "result": result,
            "rulepack": rulepack,
        },
    )


@login_required
def notices_view(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    if request.method == "POST":
        ids = [
            int(i)
            for i in request.POST.getlist("recipients")
            if i.isascii() and i.isdigit()
        ]
        recipients = list(
            scope(
                Organisation.objects.filter(pk__in=ids),
                request.user,
                Perm.VIEW,
                via="self",
            )
        )
        due = request.POST.get("due_on") or None
        try:
            s.notice_send(
                actor=request.user,
                sender=root,
                recipients=recipients,
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
                due_on=date.fromisoformat(due) if due else None,
            )
            messages.success(request, "督办通知已发出。")
        except (ValidationError, ValueError) as exc:
            for message in getattr(exc, "messages", ["日期格式不正确。"]):
                messages.error(request, message)
        return redirect("supervision:notices")
    sent = SupervisionNotice.objects.filter(sender=root).prefetch_related(
        "recipients__organisation"
    )
    received = NoticeRecipient.objects.filter(organisation=root).select_related(
        "notice", "notice__sender"
    )
    return render(
        request,
        "supervision/notices.html",
        {
            "sent": sent,
            "received": received,
            "units": [u for u in subtree(root) if u.pk != root.pk],
        },
    )


@login_required
@require_POST
def notice_ack(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = get_scoped_or_404(
        NoticeRecipient.objects.all(), request.user, Perm.EDIT, pk=pk
    )
    try:
        s.notice_acknowledge(
            actor=request.user,
            recipient=recipient,
            response=request.POST.get("response", ""),
        )
        messages.success(request, "已签收。")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("supervision:notices")


@login_required
def imports_view(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    if request.method == "POST":
        uploads = [(f.name or "file", f.read()) for f in request.FILES.getlist("files")]
        if sum(len(d) for _, d in uploads) > s.MAX_IMPORT_BYTES:
            messages.error(request, "上传文件过大（合计不超过 30 MB）。")
            return redirect("supervision:imports")
        try:
            batch = s.import_batch_create(
                actor=request.user, organisation=root, uploads=uploads
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("supervision:imports")
        process_import_batch.enqueue(batch.pk)
        return redirect("supervision:import_detail", pk=batch.pk)
    batches = ImportBatch.objects.filter(organisation=root)[:20]
    return render(request, "supervision/imports.html", {"batches": batches})


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_scoped_or_404(ImportBatch.objects.all(), request.user, Perm.VIEW, pk=pk)
    items = list(batch.items.select_related("report", "report__organisation"))
    done = sum(1 for i in items if i.state != "waiting")
    return render(
        request,
        "supervision/import_detail.html",
        {
            "batch": batch,
            "items": items,
            "done": done,
            "total": len(items),
            "percent": int(100 * done / len(items)) if items else 100,
        },
    )

"""Screens: a body's inspection dashboard (findings failing today, columns and the
days left before they are overdue), running a check on demand, the bodies below for
a supervisor, the quarterly report, and the province's wording dictionary."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.audit.services import audit_record
from gongkai.backoffice.context import active_organisation
from gongkai.inspection import exports, selectors, services
from gongkai.inspection.forms import (
    DictionaryForm,
    FindingActionForm,
    ReportForm,
    RunForm,
)
from gongkai.inspection.models import (
    BodyStatus,
    Finding,
    InspectionRun,
    WordingDictionary,
)
from gongkai.inspection.tasks import run_inspection_task
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404, organisations_for

STATES = {
    "open": Finding.State.OPEN,
    "accepted": Finding.State.ACCEPTED,
    "fixed": Finding.State.FIXED,
}


def _org(request: HttpRequest, perm: Perm = Perm.VIEW) -> Organisation:
    org = active_organisation(request)
    if org is None or not can(request.user, perm, org):
        raise PermissionDenied("请先选择您有权办理的机构。")
    return org


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _owners(org: Organisation) -> list[tuple[int, str]]:
    users = (
        get_user_model()
        .objects.filter(memberships__organisation=org, is_active=True)
        .distinct()
        .order_by("pk")
    )
    return [
        (u.pk, getattr(u, "display_name", "") or u.get_username())
        for u in users
        if can(u, Perm.EDIT, org)
    ]


def _dated(column: dict[str, Any]) -> dict[str, Any]:
    """A stored column row with its ISO dates as dates, for the template's date filter."""
    return {
        **column,
        **{
            k: date.fromisoformat(column[k]) if column.get(k) else None
            for k in ("last_update", "overdue_on")
        },
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    state = request.GET.get("state", "open")
    if state not in STATES:
        state = "open"
    qs = selectors.findings_for(request.user, org).filter(state=STATES[state])
    page = Paginator(qs.order_by("-veto", "indicator", "pk"), 100).get_page(
        request.GET.get("page")
    )
    status = BodyStatus.objects.filter(organisation=org).first()
    ind = selectors.indicators()
    rows = []
    if status is not None:
        for code, item in ind.items.items():
            r = status.indicators.get(code)
            if r is None:
                continue
            rows.append({"code": code, "item": item, **r})
    owners = _owners(org) if can(request.user, Perm.EDIT, org) else []
    return render(
        request,
        "inspection/dashboard.html",
        {
            "org": org,
            "status": status,
            "rows": rows,
            "columns": sorted(
                (_dated(c) for c in status.columns),
                key=lambda c: (c["days_left"] is None, c["days_left"] or 0),
            )
            if status
            else [],
            "page": page,
            "state": state,
            "counts": {
                k: selectors.findings_for(request.user, org).filter(state=v).count()
                for k, v in STATES.items()
            },
            "last_run": InspectionRun.objects.filter(organisation=org).first(),
            "run_form": RunForm(),
            "can_edit": can(request.user, Perm.EDIT, org),
            "can_approve": can(request.user, Perm.APPROVE, org),
            "owners": owners,
            "document": ind.document,
            "has_below": Organisation.objects.filter(parent=org).exists(),
        },
    )


@login_required
@require_POST
def run_view(request: HttpRequest) -> HttpResponse:
    """Queue a run (the task worker checks every link of the subtree); the run shows
    on the dashboard when it is done."""
    org = _org(request)
    form = RunForm(request.POST)
    below = form.is_valid() and form.cleaned_data["below"]
    try:
        services.inspection_may_run(actor=request.user, organisation=org)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("inspection:dashboard")
    run_inspection_task.enqueue(org.pk, int(request.user.pk or 0), bool(below))
    messages.success(
        request,
        "自查已排队，正在后台检查"
        + ("本单位及下级单位" if below else "本单位")
        + "（链接较多时需要几分钟）。完成后刷新本页，“最近一次自查”即显示结果。",
    )
    return redirect(
        reverse("inspection:below") if below else reverse("inspection:dashboard")
    )


@login_required
@require_POST
def finding_action(request: HttpRequest, pk: int) -> HttpResponse:
    f = get_scoped_or_404(Finding.objects.all(), request.user, Perm.VIEW, pk=pk)
    form = FindingActionForm(request.POST, owners=_owners(f.organisation))
    back = reverse("inspection:dashboard") + f"#finding-{pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect(back)
    action = form.cleaned_data["action"]
    try:
        if action == "claim_fixed":
            services.finding_claim_fixed(actor=request.user, finding=f)
            messages.success(request, "已报告整改，下一次自查确认后关闭。")
        elif action == "accept":
            services.finding_accept(
                actor=request.user, finding=f, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "已记录不整改的理由。")
        elif action == "reopen":
            services.finding_reopen(actor=request.user, finding=f)
            messages.success(request, "已重新列为待整改。")
        else:
            owner_pk = form.cleaned_data["owner"]
            owner = (
                get_user_model().objects.filter(pk=owner_pk).first()
                if owner_pk
                else None
            )
            services.finding_assign(actor=request.user, finding=f, owner=owner)
            messages.success(request, "已指定整改责任人。")
    except ValidationError as exc:
        _flash(request, exc)
    return redirect(back)


@login_required
def below_view(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    statuses = selectors.statuses_below(request.user, org)
    verdict = request.GET.get("verdict", "")
    if verdict == "failed":
        statuses = statuses.filter(passed=False)
    page = Paginator(statuses, 100).get_page(request.GET.get("page"))
    ind = selectors.indicators()
    names = {code: i.name for code, i in ind.items.items()}
    for s in page.object_list:
        s.veto_names = [names.get(c, c) for c in s.veto_failed]  # type: ignore[attr-defined]
        s.scored_names = [names.get(c, c) for c in s.scored_failed]  # type: ignore[attr-defined]
    today = timezone.localdate()
    return render(
        request,
        "inspection/below.html",
        {
            "org": org,
            "page": page,
            "verdict": verdict,
            "total": selectors.statuses_below(request.user, org).count(),
            "failed": selectors.statuses_below(request.user, org)
            .filter(passed=False)
            .count(),
            "report_form": ReportForm(
                initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1}
            ),
            "run_form": RunForm(initial={"below": True}),
        },
    )


@login_required
def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    org = _org(request)
    form = ReportForm(request.GET)
    if fmt not in ("xlsx", "docx") or not form.is_valid():
        messages.error(
            request, "请选择要导出的年度和季度（导出格式为 Excel 或 Word）。"
        )
        return redirect("inspection:below")
    try:
        report = exports.quarter_report(
            request.user, org, form.cleaned_data["year"], form.cleaned_data["quarter"]
        )
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("inspection:below")
    audit_record(
        action="inspection.report.export",
        actor=request.user,
        organisation=org,
        details={"year": report.year, "quarter": report.quarter, "format": fmt},
    )
    if fmt == "xlsx":
        body = exports.report_xlsx(report)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.report_docx(report)
        ctype = (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
    response = HttpResponse(body, content_type=ctype)
    filename = quote(f"{report.title}.{fmt}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def dictionary_view(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    row = WordingDictionary.objects.filter(organisation=org).first()
    may_edit = can(request.user, Perm.APPROVE, org)
    form = DictionaryForm(
        request.POST or None, initial={"entries": row.entries if row else ""}
    )
    if not may_edit:
        form.fields["entries"].disabled = True
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有负责人可以修改表述错误词典。")
        if form.is_valid():
            _, bad = services.wording_dictionary_save(
                actor=request.user,
                organisation=org,
                entries=form.cleaned_data["entries"] or "",
            )
            messages.success(request, "词典已保存，保存和发布信息时即按新词典检查。")
            for line in bad:
                messages.warning(request, f"以下词条格式有误，未生效——{line}")
            return redirect("inspection:dictionary")
    national = selectors.dictionary_for(org)
    return render(
        request,
        "inspection/dictionary.html",
        {
            "org": org,
            "form": form,
            "may_edit": may_edit,
            "entries": sorted(
                national.entries.values(),
                key=lambda e: (e.severity != "serious", e.wrong),
            ),
            "editable_orgs": organisations_for(request.user, Perm.APPROVE).count(),
        },
    )

"""Screens of 复议、诉讼 cases under 依申请公开. Thin: bind a form, call one service,
redirect with a Chinese message. Every case comes through ``get_scoped_or_404``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.appeals import forms as f
from gongkai.appeals import services
from gongkai.appeals.models import Appeal, AppealDocument
from gongkai.appeals.selectors import (
    appeal_list as select_appeals,
)
from gongkai.appeals.selectors import (
    appeal_published_years,
    appeal_requests_by_number,
)
from gongkai.backoffice.context import active_organisation
from gongkai.core.appeal_deadlines import days_left, reply_article
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404, require
from gongkai.security.uploads import private_file_response


def _get(request: HttpRequest, pk: int) -> Appeal:
    return get_scoped_or_404(
        Appeal.objects.select_related("organisation"), request.user, Perm.VIEW, pk=pk
    )


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _countdown(appeal: Appeal) -> dict[str, Any] | None:
    if appeal.reply_due_on is None:
        return None
    left = days_left(appeal.reply_due_on, timezone.localdate())
    return {
        "due": appeal.reply_due_on,
        "left": left,
        "overdue": left < 0 and appeal.replied_on is None,
        "article": reply_article(appeal.kind),
    }


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    rows = [
        {"obj": a, "countdown": _countdown(a)}
        for a in select_appeals(request.user, org)[:500]
    ]
    return render(
        request,
        "appeals/list.html",
        {"rows": rows, "can_edit": can(request.user, Perm.EDIT, org)},
    )


@login_required
def appeal_new(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    if org is None:
        raise Http404("您没有可访问的机构。")
    # The form only for who may register a case (a reader is refused before typing).
    require(request.user, Perm.EDIT, org)
    form = f.AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            linked = appeal_requests_by_number(request.user, form.numbers())
            appeal = services.appeal_register(
                actor=request.user,
                organisation=org,
                kind=data["kind"],
                filed_on=data["filed_on"],
                case_number=data["case_number"],
                requests=linked,
                matter=data["matter"],
                applicant=data["applicant"],
                authority=data["authority"],
                received_on=data["received_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, "案件已登记。")
            return redirect("appeals:detail", pk=appeal.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "appeals/new.html", {"form": form, "org": org}, status=status
    )


def _detail_context(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    return {
        "appeal": appeal,
        "countdown": _countdown(appeal),
        "linked": list(appeal.requests.all()),
        "documents": list(appeal.documents.all()),
        "published_years": appeal_published_years(appeal),
        "can_edit": can(request.user, Perm.EDIT, appeal.organisation),
        "reply_form": f.ReplyForm(initial={"replied_on": appeal.replied_on}),
        "decision_form": f.DecisionForm(
            initial={
                "result": appeal.result,
                "correction": appeal.correction,
                "decided_on": appeal.decided_on,
                "delivered_on": appeal.delivered_on,
            }
        ),
        "document_form": f.DocumentForm(),
    }


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _get(request, pk)
    return render(request, "appeals/detail.html", _detail_context(request, appeal))


@login_required
@require_POST
def appeal_reply(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _get(request, pk)
    form = f.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_record_reply(
                actor=request.user,
                appeal=appeal,
                replied_on=form.cleaned_data["replied_on"],
            )
            messages.success(request, "已登记答复/答辩日期。")
        except ValidationError as exc:
            _flash(request, exc)
    else:
        messages.error(request, "请填写正确的答复/答辩日期。")
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
@require_POST
def appeal_decision(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _get(request, pk)
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("appeals:detail", pk=appeal.pk)
    data = form.cleaned_data
    try:
        appeal = services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            decided_on=data["decided_on"],
            result=data["result"],
            correction=data["correction"],
            delivered_on=data["delivered_on"],
        )
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("appeals:detail", pk=appeal.pk)
    messages.success(request, "已登记决定/判决结果。")
    years = appeal_published_years(appeal)
    if years:
        messages.warning(
            request,
            f"{'、'.join(str(y) for y in years)}年度报告已公开：案件记录已更新，"
            "但已公开的报告只能通过“报告更正”修改。",
        )
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _get(request, pk)
    form = f.DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择材料类型和要上传的文件。")
    else:
        try:
            services.appeal_attach(
                actor=request.user,
                appeal=appeal,
                role=form.cleaned_data["role"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, "材料已上传。")
        except ValidationError as exc:
            _flash(request, exc)
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
def document_download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    item = get_scoped_or_404(
        AppealDocument.objects.select_related("appeal__organisation"),
        request.user,
        Perm.VIEW,
        via="appeal__organisation",
        pk=document_id,
        appeal_id=pk,
    )
    fileobj = services.appeal_document_open(actor=request.user, document=item)
    return private_file_response(fileobj, filename=item.original_name, kind=item.kind)

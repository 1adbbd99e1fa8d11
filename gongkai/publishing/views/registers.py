"""Screens: the registers behind table 二 (entry, import) and the lists (late, stale)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404
from gongkai.publishing import registers, selectors
from gongkai.publishing.forms import (
    DecisionForm,
    FeeForm,
    ImportForm,
    NormativeDocumentForm,
    NormativeEndForm,
)
from gongkai.publishing.models import (
    EnforcementDecision,
    FeeRecord,
    NormativeDocument,
)
from gongkai.publishing.views._helpers import (
    _flash_errors,
    _form_errors,
    _org,
)

# ------------------------------------------------------------------ registers


@login_required
def registers_view(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    return render(
        request,
        "publishing/registers.html",
        {
            "org": org,
            "year": year,
            "table2": selectors.table2_for(org, year),
            "documents": NormativeDocument.objects.filter(organisation=org),
            "decisions": EnforcementDecision.objects.filter(
                organisation=org, decided_on__year=year
            ),
            "fees": FeeRecord.objects.filter(organisation=org, collected_on__year=year),
            "can_edit": can(request.user, Perm.EDIT, org),
            "end_form": NormativeEndForm(),
        },
    )


def _register_form(
    request: HttpRequest,
    form: Any,
    title: str,
    save: Callable[[Organisation, dict[str, Any]], Any],
) -> HttpResponse:
    org = _org(request, Perm.EDIT)
    if request.method == "POST" and form.is_valid():
        try:
            save(org, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已登记。")
            return redirect("publishing:registers")
    return render(
        request, "publishing/register_form.html", {"form": form, "title": title}
    )


@login_required
def normative_create(request: HttpRequest) -> HttpResponse:
    return _register_form(
        request,
        NormativeDocumentForm(request.POST or None),
        "登记规章 / 行政规范性文件",
        lambda org, d: registers.normative_document_register(
            actor=request.user, organisation=org, **d
        ),
    )


@login_required
@require_POST
def normative_end(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_scoped_or_404(
        NormativeDocument.objects.all(), request.user, Perm.EDIT, pk=pk
    )
    form = NormativeEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择情形并填写日期。")
    else:
        try:
            registers.normative_document_end(
                actor=request.user,
                document=doc,
                on=form.cleaned_data["on"],
                how=form.cleaned_data["how"],
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, "已登记。")
    return redirect("publishing:registers")


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    return _register_form(
        request,
        DecisionForm(request.POST or None),
        "登记行政许可 / 处罚 / 强制决定",
        lambda org, d: registers.decision_register(
            actor=request.user, organisation=org, **d
        ),
    )


@login_required
def decision_import(request: HttpRequest) -> HttpResponse:
    org = _org(request, Perm.EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = registers.decisions_import(
                actor=request.user,
                organisation=org,
                filename=upload.name or "",
                data=upload.read(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if result.ok:
                messages.success(request, f"已导入 {result.created} 条决定。")
                return redirect("publishing:registers")
    return render(
        request,
        "publishing/decision_import.html",
        {"form": form, "result": result, "org": org},
        status=400 if result is not None and not result.ok else 200,
    )


@login_required
def fee_create(request: HttpRequest) -> HttpResponse:
    return _register_form(
        request,
        FeeForm(request.POST or None),
        "登记行政事业性收费",
        lambda org, d: registers.fee_record_register(
            actor=request.user, organisation=org, **d
        ),
    )


# ------------------------------------------------------------------ lists


@login_required
def late_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "publishing/late.html",
        {"org": org, "late": selectors.publication_late_for(request.user, org)},
    )


@login_required
def stale_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    # The officer of a 街道 sees the stale items of its communities too.
    return render(
        request,
        "publishing/stale.html",
        {"org": org, "stale": selectors.catalogue_stale_for(request.user)},
    )

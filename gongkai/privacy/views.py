"""Screens: one-click masking and the legal basis (from the publication page), the
scan of published items, and the organisation's rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.backoffice.context import active_organisation
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404
from gongkai.privacy import selectors, services
from gongkai.privacy.forms import BasisForm, RulesForm, ScanForm
from gongkai.privacy.models import PrivacyRules, default_kinds
from gongkai.publishing.models import Publication


def _org(request: HttpRequest, perm: Perm = Perm.VIEW) -> Organisation:
    org = active_organisation(request)
    if org is None or not can(request.user, perm, org):
        raise PermissionDenied("请先选择您有权办理的机构。")
    return org


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("publishing:detail", args=[pk]) + "#pii")


@login_required
@require_POST
def mask_view(request: HttpRequest, pk: int) -> HttpResponse:
    pub = get_scoped_or_404(Publication.objects.all(), request.user, Perm.EDIT, pk=pk)
    try:
        result = services.publication_mask(actor=request.user, publication=pub)
    except ValidationError as exc:
        _flash(request, exc)
        return _back(pk)
    done = []
    if result.text_masked:
        done.append(f"正文等处遮蔽 {result.text_masked} 处")
    if result.files_masked:
        done.append(
            f"生成遮蔽后的附件 {len(result.files_masked)} 个（原件已设为不公开）"
        )
    messages.success(
        request, "已一键遮蔽：" + ("，".join(done) or "没有需要遮蔽的内容") + "。"
    )
    for item in result.needs_hand:
        messages.warning(request, f"需人工处理：{item}")
    if result.remaining:
        messages.warning(
            request,
            f"仍有 {result.remaining} 处个人信息未遮蔽，发布前须处理或记录依据。",
        )
    return _back(pk)


@login_required
@require_POST
def basis_view(request: HttpRequest, pk: int) -> HttpResponse:
    pub = get_scoped_or_404(
        Publication.objects.all(), request.user, Perm.APPROVE, pk=pk
    )
    report = selectors.publication_pii_report(pub)
    form = BasisForm(
        request.POST, keys=[(f.key, f.place) for f in report.open_findings]
    )
    if not form.is_valid():
        if "basis" in form.errors:
            messages.error(request, "请写明公开的法律依据。")
        if "keys" in form.errors:
            messages.error(request, "所选的个人信息已不在当前内容中，请刷新后重试。")
        return _back(pk)
    try:
        rows = services.pii_disclosure_record(
            actor=request.user,
            publication=pub,
            keys=form.cleaned_data["keys"],
            basis=form.cleaned_data["basis"],
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已记录 {len(rows)} 项个人信息的公开依据。")
    return _back(pk)


@login_required
def scan_view(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = ScanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        below = form.cleaned_data["below"]
        scan = services.pii_scan_run(actor=request.user, organisation=org, below=below)
        messages.success(
            request,
            f"扫描完成：检查已发布信息 {scan.items} 条、附件 {scan.attachments} 个，"
            f"发现个人信息 {scan.findings} 处（其中无法读取的附件 {scan.unreadable} 个）。",
        )
        return redirect(reverse("privacy:scan") + ("?below=1" if below else ""))
    below = request.GET.get("below") == "1"
    findings = selectors.scan_findings_for(request.user, org, below=below).order_by(
        "organisation__path", "publication_id", "pk"
    )
    page = Paginator(findings, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/scan.html",
        {
            "org": org,
            "below": below,
            "page": page,
            "last": selectors.scan_last(org),
            "form": ScanForm(initial={"below": below}),
        },
    )


@login_required
def rules_view(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    row = PrivacyRules.objects.filter(organisation=org).first()
    may_edit = can(request.user, Perm.APPROVE, org)
    initial = {
        "kinds": default_kinds(),
        "name_mask": "surname_mou",
        "id_keep": 4,
    }
    form = RulesForm(
        request.POST or None, instance=row, initial=None if row else initial
    )
    if not may_edit:  # shown, not offered: no form to submit (issue 17, req. 8)
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有负责人可以修改个人信息检查规则。")
        if form.is_valid():
            try:
                services.privacy_rules_save(
                    actor=request.user,
                    organisation=org,
                    kinds=form.cleaned_data["kinds"],
                    name_mask=form.cleaned_data["name_mask"],
                    id_keep=form.cleaned_data["id_keep"],
                    public_values=form.cleaned_data.get("public_values") or "",
                )
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.success(request, "个人信息检查规则已保存。")
                return redirect("privacy:rules")
    return render(
        request,
        "privacy/rules.html",
        {"org": org, "form": form, "may_edit": may_edit, "own": row is not None},
    )

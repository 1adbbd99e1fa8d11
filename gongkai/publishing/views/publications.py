"""Screens: overview, catalogue, publications with their workflow buttons, attachments."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from js_asset import Media

from gongkai.core.publication_flow import Action, allowed_actions
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404, held_perms, scope
from gongkai.privacy.selectors import publication_pii_report
from gongkai.publishing import exports, selectors, services
from gongkai.publishing.catalogue_template import template
from gongkai.publishing.forms import (
    ApproveForm,
    AttachmentForm,
    CatalogueItemCreateForm,
    CatalogueItemForm,
    NoteForm,
    PublicationForm,
    ReasonForm,
    ScheduleForm,
)
from gongkai.publishing.models import (
    Attachment,
    CatalogueArea,
    CatalogueItem,
    Publication,
    PublicationRevision,
)
from gongkai.publishing.views._helpers import (
    _flash_errors,
    _form_errors,
    _org,
)
from gongkai.security.uploads import private_file_response

# ------------------------------------------------------------------ index


@login_required
def index(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    counts = selectors.publication_counts(request.user, org)
    late = selectors.publication_late_for(request.user, org)
    stale = selectors.catalogue_stale_for(request.user, org)
    sync = selectors.channel_sync_for(request.user, org)
    context = {
        "org": org,
        "counts": counts,
        "total": sum(counts.values()),
        "in_review": selectors.publication_awaiting_review_for(request.user)[:20]
        if can(request.user, Perm.APPROVE, org)
        else selectors.publication_list_for(request.user, org).filter(
            status="in_review"
        )[:20],
        "recent": selectors.publication_list_for(request.user, org)[:10],
        "late": late[:10],
        "late_count": len(late),
        "stale_count": len(stale),
        "sync_count": len(sync),
        "no_interp": selectors.normative_without_interpretation(request.user, org)[:10],
        "suggestions": selectors.suggest_proactive_from_requests(org),
        "table2": selectors.table2_for(org, timezone.localdate().year),
        "year": timezone.localdate().year,
        # 新建信息 only for whom publication_create lets in (no button ending in 403).
        "can_edit": can(request.user, Perm.EDIT, org),
    }
    return render(request, "publishing/index.html", context)


# ------------------------------------------------------------------ catalogue


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if request.method == "POST":
        org = _org(request, Perm.EDIT)
        created = services.catalogue_load_template(actor=request.user, organisation=org)
        messages.success(request, f"已载入标准目录，新增 {created} 个公开事项。")
        return redirect("publishing:catalogue")
    areas = CatalogueArea.objects.filter(organisation=org).prefetch_related("items")
    freshness = selectors.catalogue_freshness_for(request.user, org)
    for area in areas:
        for item in area.items.all():
            item.freshness = freshness.get(item.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "publishing/catalogue.html",
        {
            "org": org,
            "areas": areas,
            "can_edit": can(request.user, Perm.EDIT, org),
            "template": template(org.catalogue_template_key),
        },
    )


@login_required
def catalogue_item_create(request: HttpRequest) -> HttpResponse:
    org = _org(request, Perm.EDIT)
    form = CatalogueItemCreateForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "area"}
        try:
            services.catalogue_item_create(
                actor=request.user, area=form.cleaned_data["area"], **fields
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已新增公开事项。")
            return redirect("publishing:catalogue")
    return render(
        request, "publishing/catalogue_item_form.html", {"form": form, "item": None}
    )


@login_required
def catalogue_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(
        CatalogueItem.objects.all(), request.user, Perm.EDIT, pk=pk
    )
    form = CatalogueItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            # The form bound to a copy; the service reloads and saves the row.
            services.catalogue_item_update(
                actor=request.user,
                item=CatalogueItem.objects.get(pk=item.pk),
                **fields,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "公开事项已保存。")
            return redirect("publishing:catalogue")
    return render(
        request, "publishing/catalogue_item_form.html", {"form": form, "item": item}
    )


# ------------------------------------------------------------------ publications


def _filtered_list(request: HttpRequest, org: Any) -> tuple[Any, str, str, bool, str]:
    """The list as filtered on screen (and exported): items, status, q, below, words."""
    below = request.GET.get("below") == "1"
    qs = (
        selectors.publication_list_under(request.user, org)
        if below
        else selectors.publication_list_for(request.user, org)
    )
    status = request.GET.get("status", "")
    statuses = dict(Publication._meta.get_field("status").choices or [])
    if status:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        qs = qs.filter(title__icontains=q)
    words = [f"状态：{statuses.get(status, status)}"] if status else []
    if q:
        words.append(f"标题含“{q}”")
    words.append("含下级机构" if below else "仅本机构")
    return qs, status, q, below, "；".join(words)


@login_required
def publication_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list as XLSX or CSV, with the filters on screen (audited)."""
    org = _org(request)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404("不支持的导出格式。")
    qs, _status, _q, _below, words = _filtered_list(request, org)
    exported = exports.publication_list_export(
        actor=request.user,
        organisation=org,
        items=qs,
        filters=words,
        fmt=fmt,
        today=timezone.localdate(),
    )
    response = HttpResponse(exported.data, content_type=exported.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(exported.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    qs, status, q, below, _words = _filtered_list(request, org)
    return render(
        request,
        "publishing/publication_list.html",
        {
            "org": org,
            "publications": qs[:200],
            "status": status,
            "q": q,
            "below": below,
            "statuses": Publication._meta.get_field("status").choices,
            "can_edit": can(request.user, Perm.EDIT, org),
        },
    )


@login_required
def publication_create(request: HttpRequest) -> HttpResponse:
    org = _org(request, Perm.EDIT)
    form = PublicationForm(
        request.POST or None,
        organisation=org,
        creating=True,
        initial={"formed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            pub = services.publication_create(
                actor=request.user,
                organisation=org,
                index_no=form.cleaned_data.get("index_no") or "",
                **fields,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已保存草稿，索引号 {pub.index_no}。")
            return redirect("publishing:detail", pk=pub.pk)
    return render(
        request,
        "publishing/publication_form.html",
        {"form": form, "org": org, "media": _editor_media(request, form)},
    )


@login_required
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pub = get_scoped_or_404(Publication.objects.all(), request.user, Perm.EDIT, pk=pk)
    form = PublicationForm(
        request.POST or None,
        instance=pub,
        organisation=pub.organisation,
        creating=False,
    )
    note = request.POST.get("change_note", "")
    # 修改说明 is typed beside the form (its column holds 200 characters).
    note_limit = PublicationRevision._meta.get_field("note").max_length or 0
    if request.method == "POST" and len(note) > note_limit:
        form.is_valid()
        form.add_error(None, f"修改说明最多{note_limit}个字，现有{len(note)}个字。")
    if request.method == "POST" and form.is_valid():
        fields = dict(form.service_fields().items())
        try:
            services.publication_update(
                actor=request.user,
                publication=Publication.objects.get(pk=pub.pk),
                note=note,
                changed_on=form.cleaned_data.get("changed_on"),
                **fields,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("publishing:detail", pk=pub.pk)
    return render(
        request,
        "publishing/publication_form.html",
        {
            "form": form,
            "publication": pub,
            "org": pub.organisation,
            "media": _editor_media(request, form),
            "change_note": note,
            "change_note_limit": note_limit,
        },
    )


def _editor_media(request: HttpRequest, form: PublicationForm) -> Any:
    """The editor's import map and scripts, carrying this response's CSP nonce (the
    import map is an inline script)."""
    return Media.from_media(form.media, nonce=getattr(request, "csp_nonce", ""))


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pub = get_scoped_or_404(
        Publication.objects.select_related("organisation", "catalogue_item"),
        request.user,
        Perm.VIEW,
        pk=pk,
    )
    perms = held_perms(request.user, pub.organisation)
    actions = [a for a in allowed_actions(pub.status) if _may(a, perms)]
    # One 审核 button: its form decides the 公开属性 (and so approved or filed).
    actions = [a for a in actions if a != Action.APPROVE_NOT_PUBLIC]
    return render(
        request,
        "publishing/publication_detail.html",
        {
            "pub": pub,
            # 应公开日期 counted over a year without its official holiday schedule.
            "due_provisional": services.publication_due_is_provisional(pub),
            "actions": actions,
            "can_edit": Perm.EDIT in perms
            and pub.status in ("draft", "published", "updated"),
            "revisions": pub.revisions.select_related("created_by"),
            "events": pub.events.select_related("actor"),
            "attachments": pub.attachments.all(),
            # 保密审查 (issue 25): personal information found, marked in place.
            "pii": publication_pii_report(pub)
            if pub.attribute == Publication.Attribute.PROACTIVE
            and pub.status != "withdrawn"
            else None,
            "can_mask": Perm.EDIT in perms,
            "can_decide": Perm.APPROVE in perms,
            "deliveries": pub.deliveries.all(),
            "interpretations": scope(
                pub.interpretations.all(), request.user, Perm.VIEW
            ),
            "approve_form": ApproveForm(
                initial={
                    "attribute": pub.attribute,
                    "withhold_reason": pub.withhold_reason,
                }
            ),
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
            "schedule_form": ScheduleForm(),
            "attachment_form": AttachmentForm(),
        },
    )


_ACTION_PERM = {
    Action.APPROVE: Perm.APPROVE,
    Action.APPROVE_NOT_PUBLIC: Perm.APPROVE,
    Action.REJECT: Perm.APPROVE,
    Action.WITHDRAW: Perm.APPROVE,
}


def _may(action: Action, perms: set[Perm]) -> bool:
    if action in (Action.GO_LIVE, Action.REVISE):
        return False  # the scheduler / the edit form
    return _ACTION_PERM.get(action, Perm.EDIT) in perms


@login_required
@require_POST
def publication_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    pub = get_scoped_or_404(Publication.objects.all(), request.user, Perm.VIEW, pk=pk)
    kwargs: dict[str, Any] = {}
    if action in ("approve", "approve_not_public"):
        form: Any = ApproveForm(request.POST)
        if not form.is_valid():
            return _refused(request, pk, form)
        kwargs = {
            "secrecy_checked": form.cleaned_data.get("secrecy_checked", False),
            "note": form.cleaned_data.get("note", ""),
            "attribute": form.cleaned_data.get("attribute") or None,
        }
        if kwargs["attribute"] and kwargs["attribute"] != "proactive":
            kwargs["withhold_reason"] = form.cleaned_data.get("withhold_reason", "")
        action = "approve"
    elif action == "reject":
        form = NoteForm(request.POST)
        if not form.is_valid():
            return _refused(request, pk, form)
        kwargs = {"note": form.cleaned_data["note"]}
    elif action == "withdraw":
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return _refused(request, pk, form)
        kwargs = {"reason": form.cleaned_data["reason"]}
    elif action == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写有效的定时发布时间。")
            return redirect("publishing:detail", pk=pk)
        kwargs = {"go_live_at": form.cleaned_data["go_live_at"]}
    service = services.WORKFLOW_SERVICES.get(action)
    if service is None:
        raise Http404("未知的操作。")
    try:
        done = service(actor=request.user, publication=pub, **kwargs)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _done_message(Action(action), done or pub))
    return redirect("publishing:detail", pk=pk)


def _refused(request: HttpRequest, pk: int, form: Any) -> HttpResponse:
    """A workflow form's errors (a missing or too long reason) back on the item's page."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("publishing:detail", pk=pk)


def _done_message(action: Action, pub: Publication) -> str:
    """What the step did to which item, and where it stands now (not "操作已完成")."""
    what = f"“{pub.title}”（索引号 {pub.index_no}）"
    now = f"当前状态：{pub.get_status_display()}。"
    if action is Action.SCHEDULE and pub.go_live_at is not None:
        at = timezone.localtime(pub.go_live_at)
        return f"已定时发布{what}，将于{at:%Y年%m月%d日 %H:%M}发布。{now}"
    if action is Action.PUBLISH:
        return f"已发布{what}，门户和各发布渠道将陆续更新。{now}"
    if action is Action.WITHDRAW:
        return f"已撤回{what}，门户和各发布渠道将撤下。{now}"
    return f"已{action.label}{what}。{now}"


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    pub = get_scoped_or_404(Publication.objects.all(), request.user, Perm.EDIT, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return redirect("publishing:detail", pk=pk)
    try:
        services.attachment_add(
            actor=request.user, publication=pub, upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "附件已上传。")
    return redirect("publishing:detail", pk=pk)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments of live 主动公开 items are public (Art. 24 download); others, and the
    withheld original of a masked copy, need VIEW."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("publication__organisation"), pk=pk
    )
    pub = attachment.publication
    public = (
        pub.is_live
        and pub.attribute == Publication.Attribute.PROACTIVE
        and not attachment.withheld  # the unmasked original of a masked copy
    )
    if not public and not can(request.user, Perm.VIEW, pub.organisation):
        raise Http404("未找到该对象，或您无权访问。")
    return private_file_response(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        kind=attachment.kind,
    )

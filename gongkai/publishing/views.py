"""Screens of 主动公开. Thin: bind a form, call one service, redirect or render.

Back-office screens work on the active organisation (``active_organisation``) and
go through the permission helper; the feeds and the hall screen are public and
show only live 主动公开 items."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.backoffice.context import active_organisation
from gongkai.core.publication_flow import Action, allowed_actions
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404, held_perms, scope
from gongkai.publishing import channels as channel_services
from gongkai.publishing import registers, selectors, services
from gongkai.publishing.content import plain_text
from gongkai.publishing.forms import (
    ApproveForm,
    AttachmentForm,
    CatalogueItemCreateForm,
    CatalogueItemForm,
    DecisionForm,
    FeeForm,
    ImportForm,
    NormativeDocumentForm,
    NormativeEndForm,
    NoteForm,
    PublicationForm,
    ReasonForm,
    ScheduleForm,
)
from gongkai.publishing.models import (
    Attachment,
    CatalogueArea,
    CatalogueItem,
    ChannelDelivery,
    EnforcementDecision,
    FeeRecord,
    NormativeDocument,
    Publication,
)
from gongkai.publishing.outputs import atom_bytes, json_feed, poster_pdf, rss_bytes
from gongkai.publishing.reference import Channel

FEED_SIZE = 50


def _org(request: HttpRequest, perm: Perm = Perm.VIEW) -> Organisation:
    org = active_organisation(request)
    if org is None or not can(request.user, perm, org):
        raise PermissionDenied("请先选择您有权办理的机构。")
    return org


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    msgs = (
        [m for ms in exc.message_dict.values() for m in ms]
        if hasattr(exc, "error_dict")
        else exc.messages
    )
    for message in msgs:
        messages.error(request, message)


# ------------------------------------------------------------------ index


@login_required
def index(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    counts = selectors.publication_counts(request.user, org)
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
        "late": selectors.publication_late_for(request.user, org)[:10],
        "stale": selectors.catalogue_stale_for(request.user, org)[:10],
        "sync": selectors.channel_sync_for(request.user, org)[:10],
        "no_interp": selectors.normative_without_interpretation(request.user, org)[:10],
        "suggestions": selectors.suggest_proactive_from_requests(org),
        "table2": selectors.table2_for(org, timezone.localdate().year),
        "year": timezone.localdate().year,
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
    return render(
        request,
        "publishing/catalogue.html",
        {"org": org, "areas": areas, "can_edit": can(request.user, Perm.EDIT, org)},
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


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    below = request.GET.get("below") == "1"
    qs = (
        selectors.publication_list_under(request.user, org)
        if below
        else selectors.publication_list_for(request.user, org)
    )
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
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
        request, "publishing/publication_form.html", {"form": form, "org": org}
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
    if request.method == "POST" and form.is_valid():
        fields = dict(form.service_fields().items())
        try:
            services.publication_update(
                actor=request.user,
                publication=Publication.objects.get(pk=pub.pk),
                note=note,
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
        {"form": form, "publication": pub, "org": pub.organisation},
    )


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
    if pub.attribute == Publication.Attribute.PROACTIVE:
        actions = [a for a in actions if a != Action.APPROVE_NOT_PUBLIC]
    else:
        actions = [a for a in actions if a != Action.APPROVE]
    return render(
        request,
        "publishing/publication_detail.html",
        {
            "pub": pub,
            "actions": actions,
            "can_edit": Perm.EDIT in perms
            and pub.status in ("draft", "published", "updated"),
            "revisions": pub.revisions.select_related("created_by"),
            "events": pub.events.select_related("actor"),
            "attachments": pub.attachments.all(),
            "deliveries": pub.deliveries.all(),
            "interpretations": scope(
                pub.interpretations.all(), request.user, Perm.VIEW
            ),
            "approve_form": ApproveForm(),
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
        form.is_valid()
        kwargs = {
            "secrecy_checked": form.cleaned_data.get("secrecy_checked", False),
            "note": form.cleaned_data.get("note", ""),
        }
        action = "approve"
    elif action == "reject":
        kwargs = {"note": request.POST.get("note", "")}
    elif action == "withdraw":
        kwargs = {"reason": request.POST.get("reason", "")}
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
        service(actor=request.user, publication=pub, **kwargs)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "操作已完成。")
    return redirect("publishing:detail", pk=pk)


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
    """Attachments of live 主动公开 items are public (Art. 24 download); others need VIEW."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("publication__organisation"), pk=pk
    )
    pub = attachment.publication
    public = pub.is_live and pub.attribute == Publication.Attribute.PROACTIVE
    if not public and not can(request.user, Perm.VIEW, pub.organisation):
        raise Http404("未找到该对象，或您无权访问。")
    from gongkai.publishing.content import FILE_KINDS

    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=FILE_KINDS[attachment.kind][1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


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


@login_required
def channel_sync(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "publishing/sync.html",
        {
            "org": org,
            "rows": selectors.channel_sync_for(request.user, org),
            "can_edit": can(request.user, Perm.EDIT, org),
            "channels": Channel.choices,
        },
    )


@login_required
@require_POST
def delivery_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    delivery = get_scoped_or_404(
        ChannelDelivery.objects.all(),
        request.user,
        Perm.EDIT,
        via="publication__organisation",
        pk=pk,
    )
    try:
        if action == "confirm":
            channel_services.delivery_confirm(actor=request.user, delivery=delivery)
        elif action == "retry":
            channel_services.delivery_retry(actor=request.user, delivery=delivery)
        else:
            raise Http404("未知的操作。")
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "已处理。")
    return redirect("publishing:sync")


# ------------------------------------------------------------------ public channels


def _public_org(pk: int) -> Organisation:
    return get_object_or_404(Organisation, pk=pk, is_active=True)


def _feed_items(org: Organisation) -> list[Publication]:
    return list(selectors.publication_live_for(org)[:FEED_SIZE])


def _urls(request: HttpRequest, org: Organisation, name: str) -> tuple[str, str]:
    base = request.build_absolute_uri(reverse("publishing:screen", args=[org.pk]))
    me = request.build_absolute_uri(reverse(f"publishing:{name}", args=[org.pk]))
    return base, me


def feed_rss(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _public_org(org_pk)
    body = rss_bytes(org, _feed_items(org), *_urls(request, org, "feed_rss"))
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8")


def feed_atom(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _public_org(org_pk)
    body = atom_bytes(org, _feed_items(org), *_urls(request, org, "feed_atom"))
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


def feed_json(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _public_org(org_pk)
    data = json_feed(org, _feed_items(org), *_urls(request, org, "feed_json"))
    return JsonResponse(
        data,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/feed+json; charset=utf-8",
    )


def hall_screen(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Full-screen page for the service hall: rotates current items, no external JS."""
    org = _public_org(org_pk)
    items = [
        {"pub": p, "text": plain_text(p.body)[:600]}
        for p in selectors.publication_live_for(org)[:20]
    ]
    return render(
        request,
        "publishing/screen.html",
        {"org": org, "items": items, "today": timezone.localdate()},
    )


@login_required
def poster(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = get_scoped_or_404(
        Organisation.objects.all(), request.user, Perm.VIEW, via="self", pk=org_pk
    )
    pdf = poster_pdf(org, _feed_items(org)[:12])
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = date.today().strftime("%Y%m%d")  # noqa: DTZ011 (a file name only)
    response["Content-Disposition"] = f'inline; filename="poster-{org.pk}-{stamp}.pdf"'
    return response

"""政民互动 screens. Public (in the body's column, no account): the 意见征集 pages
with their comment form, the 留言 form and the public answers. Staff: open a
consultation, moderate comments, record adoption, publish the 采纳情况, answer 留言.

The public forms carry the portal's CAPTCHA and per-address rate limit (as the
online application does); these pages are not cached whole, so they use CSRF.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from gongkai.audit.middleware import client_ip
from gongkai.backoffice.context import active_organisation
from gongkai.engagement import selectors as sel
from gongkai.engagement import services as s
from gongkai.engagement.forms import (
    AdoptionForm,
    AnswerForm,
    CommentForm,
    ConsultationForm,
    MessageForm,
    ResultForm,
)
from gongkai.engagement.models import Consultation, ConsultationComment, Message
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404, require
from gongkai.orgs.selectors import organisation_ancestors
from gongkai.portal.cache import is_elderly
from gongkai.portal.guards import captcha_check, captcha_new, rate_limited
from gongkai.portal.selectors import portal_organisation

MESSAGES_PER_PAGE = 50


def _errors_to_form(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _public(request: HttpRequest, org: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "org": org,
        "apply_org": org.disclosure_body(),
        "breadcrumb": list(organisation_ancestors(org)),
        "icp": settings.PORTAL_ICP,
        "elderly": is_elderly(request),
        **extra,
    }


def _checked_public_form(request: HttpRequest, form: BaseForm, bucket: str) -> bool:
    """The form valid, its CAPTCHA right and the address under its limit; the
    errors are put on the form otherwise. The answer is checked whatever else is
    wrong, so one answer lists every problem."""
    valid = form.is_valid()
    if not captcha_check(
        request.POST.get("captcha_token", ""), request.POST.get("captcha", "")
    ):
        if "captcha" not in form.errors:
            form.add_error("captcha", "验证题答案不正确，请重新计算。")
        return False
    if not valid:
        return False
    if rate_limited(
        request,
        bucket,
        limit=settings.ENGAGEMENT_POSTS_PER_HOUR,
        window_seconds=3600,
    ):
        form.add_error(None, "同一网络地址提交过于频繁，请一小时后再试。")
        return False
    return True


def _with_new_captcha(request: HttpRequest, form: BaseForm) -> dict[str, Any]:
    question, token = captcha_new()
    if form.is_bound:
        typed = request.POST.copy()
        typed["captcha"] = ""  # a new question: its box starts empty
        form.data = typed
    return {"form": form, "question": question, "captcha_token": token}


# ------------------------------------------------------------------ public


def interaction(request: HttpRequest, org_id: int) -> HttpResponse:
    """The body's 政民互动 page: drafts open for comment, results, public answers."""
    org = portal_organisation(org_id)
    today = timezone.localdate()
    return render(
        request,
        "engagement/public_index.html",
        _public(
            request,
            org,
            today=today,
            consultations=[
                (c, c.phase(today)) for c in sel.public_consultations(org, today)[:50]
            ],
            answers=sel.public_answers(org)[:50],
        ),
    )


def consultation_page(request: HttpRequest, org_id: int, pk: int) -> HttpResponse:
    org = portal_organisation(org_id)
    today = timezone.localdate()
    consultation = sel.public_consultation(org, pk, today)
    if consultation is None:
        raise Http404("未找到该意见征集。")
    form = CommentForm(request.POST or None)
    if (
        request.method == "POST"
        and consultation.is_open(today)
        and _checked_public_form(request, form, "engagement-comment")
    ):
        if form.cleaned_data.get("website"):
            return redirect("portal:consultation", org_id=org.pk, pk=pk)
        try:
            s.comment_submit(
                consultation=consultation,
                text=form.cleaned_data["text"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                today=today,
                address=client_ip(request),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "感谢您的意见！意见经审核后公开。")
            return redirect("portal:consultation", org_id=org.pk, pk=pk)
    published = consultation.result_published_at is not None
    return render(
        request,
        "engagement/public_consultation.html",
        _public(
            request,
            org,
            c=consultation,
            phase=consultation.phase(today),
            is_open=consultation.is_open(today),
            comments=sel.public_comments(consultation),
            figures=sel.consultation_result_figures(consultation)
            if published
            else None,
            **_with_new_captcha(request, form),
        ),
    )


def message_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = portal_organisation(org_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and _checked_public_form(
        request, form, "engagement-message"
    ):
        if form.cleaned_data.get("website"):
            return redirect("portal:interaction", org_id=org.pk)
        try:
            item = s.message_submit(
                organisation=org,
                subject=form.cleaned_data["subject"],
                question=form.cleaned_data["question"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                today=timezone.localdate(),
                address=client_ip(request),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                f"留言已提交。我们将在{date_format(item.due_on, 'DATE_FORMAT')}前答复，"
                "答复会发送到您的邮箱。",
            )
            return redirect("portal:interaction", org_id=org.pk)
    return render(
        request,
        "engagement/public_message.html",
        _public(
            request,
            org,
            reply_days=settings.MESSAGE_REPLY_WORKING_DAYS,
            **_with_new_captcha(request, form),
        ),
    )


# ------------------------------------------------------------------ staff


def _office_org(request: HttpRequest) -> Organisation:
    org = active_organisation(request)
    if org is None:
        raise Http404("您没有可访问的机构。")
    require(request.user, Perm.VIEW, org)
    return org


@login_required
def office(request: HttpRequest) -> HttpResponse:
    org = _office_org(request)
    today = timezone.localdate()
    can_edit = can(request.user, Perm.EDIT, org)
    if request.method == "POST":  # a reader is refused before the form is read
        require(request.user, Perm.EDIT, org)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = s.consultation_open(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "意见征集已发布。")
            return redirect("engagement:consultation", pk=item.pk)
    # Every 留言 reachable page by page (pending first): none falls off the list.
    messages_page = Paginator(
        sel.staff_messages(request.user, org), MESSAGES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/office.html",
        {
            "org": org,
            "today": today,
            "can_edit": can_edit,
            "form": form,
            "min_days": settings.CONSULTATION_MIN_DAYS_MAJOR,
            "consultations": [
                (c, c.phase(today), c.feedback_overdue(today))
                for c in sel.staff_consultations(request.user, org)[:100]
            ],
            "messages_page": messages_page,
            "messages_list": [(m, m.is_overdue(today)) for m in messages_page],
        },
    )


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(Consultation.objects.all(), request.user, Perm.VIEW, pk=pk)
    today = timezone.localdate()
    comments = item.comments.all()
    # Moderation, adoption and the result only for whom may 办理 here.
    can_edit = can(request.user, Perm.EDIT, item.organisation)
    return render(
        request,
        "engagement/office_consultation.html",
        {
            "c": item,
            "can_edit": can_edit,
            "phase": item.phase(today),
            "closed": today > item.closes_on,
            "overdue": item.feedback_overdue(today),
            "pending": [
                x for x in comments if x.state == ConsultationComment.State.PENDING
            ],
            "public": [
                x for x in comments if x.state == ConsultationComment.State.APPROVED
            ],
            "rejected": sum(
                1 for x in comments if x.state == ConsultationComment.State.REJECTED
            ),
            "adoption_form": AdoptionForm(),
            "result_form": ResultForm(request.POST or None),
            "figures": sel.consultation_result_figures(item),
        },
    )


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_to_handle(request, pk)
    try:
        s.comment_moderate(
            actor=request.user,
            comment=comment,
            approve=request.POST.get("approve") == "1",
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("engagement:consultation", pk=comment.consultation_id)


@login_required
@require_POST
def comment_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_to_handle(request, pk)
    form = AdoptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择采纳、部分采纳或未采纳。")
    else:
        try:
            s.comment_adopt(
                actor=request.user,
                comment=comment,
                adoption=form.cleaned_data["adoption"],
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    return redirect("engagement:consultation", pk=comment.consultation_id)


@login_required
@require_POST
def consultation_result(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(Consultation.objects.all(), request.user, Perm.VIEW, pk=pk)
    require(request.user, Perm.EDIT, item.organisation)
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写采纳情况说明。")
    else:
        try:
            s.consultation_publish_result(
                actor=request.user,
                consultation=item,
                summary=form.cleaned_data["summary"],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "采纳情况已公布。")
    return redirect("engagement:consultation", pk=item.pk)


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(Message.objects.all(), request.user, Perm.VIEW, pk=pk)
    if request.method == "POST":  # a reader is refused before the form is read
        require(request.user, Perm.EDIT, item.organisation)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.message_answer(
                actor=request.user,
                message=item,
                answer=form.cleaned_data["answer"],
                public=form.cleaned_data["public"],
                mask=form.cleaned_data["mask"],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "已答复，答复已通过电子邮件告知留言人。")
            return redirect("engagement:office")
    return render(
        request, "engagement/office_message.html", _message_context(request, item, form)
    )


def _message_context(
    request: HttpRequest,
    item: Message,
    form: AnswerForm,
    original: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "m": item,
        "form": form,
        # 答复 and 公开 only for whom may 办理 here (no button that ends in 403).
        "can_edit": can(request.user, Perm.EDIT, item.organisation),
        "overdue": item.is_overdue(timezone.localdate()),
        # 显示原文 only for whom the reveal rule allows (no button that ends in 403).
        "can_see_original": item.was_masked
        and s.message_may_see_original(request.user, item),
        "original": original,
    }


@login_required
@require_POST
def message_original(request: HttpRequest, pk: int) -> HttpResponse:
    """The 留言 as written before masking, for the answerer or the office head;
    audited."""
    item = get_scoped_or_404(Message.objects.all(), request.user, Perm.VIEW, pk=pk)
    original = s.message_reveal_original(actor=request.user, message=item)
    context = _message_context(request, item, AnswerForm(), original)
    return render(request, "engagement/office_message.html", context)


@login_required
@require_POST
def message_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an answered 留言 in the column, or take it down (published by mistake)."""
    item = get_scoped_or_404(Message.objects.all(), request.user, Perm.VIEW, pk=pk)
    require(request.user, Perm.EDIT, item.organisation)
    public = request.POST.get("public") == "1"
    try:
        s.message_set_public(
            actor=request.user,
            message=item,
            public=public,
            mask=request.POST.get("mask") == "1",
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, "已在专栏公开。" if public else "已从专栏撤下，不再公开。"
        )
    return redirect("engagement:message", pk=item.pk)


def _comment_to_handle(request: HttpRequest, pk: int) -> ConsultationComment:
    """A comment on a consultation the user may read (else 404) and 办理 (else
    403: the reader sees it and is told why)."""
    comment = get_scoped_or_404(
        ConsultationComment.objects.select_related("consultation__organisation"),
        request.user,
        Perm.VIEW,
        via="consultation__organisation",
        pk=pk,
    )
    require(request.user, Perm.EDIT, comment.consultation.organisation)
    return comment

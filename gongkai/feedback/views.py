"""Public: leave feedback, answer a survey. Staff: moderate, open surveys."""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongkai.audit.middleware import client_ip
from gongkai.backoffice.context import active_organisation
from gongkai.feedback import services as s
from gongkai.feedback.forms import FeedbackForm, ReplyForm, SurveyForm
from gongkai.feedback.models import Feedback, Survey
from gongkai.formbase import Form
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404, require, scope
from gongkai.portal.guards import rate_limited
from gongkai.portal.selectors import portal_organisation, portal_publication
from gongkai.publishing.models import Publication

# ------------------------------------------------- one answer per visitor (F5)
# A signed cookie lists what this browser has answered or voted on ("s<survey>",
# "p<publication>", "o<organisation column>"). It is a browser's memory, not an
# identity: a visitor who clears it meets the per-address limit in the services.
ANSWERED_COOKIE = "gk_answered"
_ANSWERED_SALT = "gongkai.feedback.answered"
_ANSWERED_KEEP = 200  # the newest entries kept; the cookie stays small
_ANSWERED_AGE = 2 * 365 * 24 * 3600


def _answered(request: HttpRequest) -> list[str]:
    raw = request.get_signed_cookie(ANSWERED_COOKIE, default=None, salt=_ANSWERED_SALT)
    try:
        marks = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [str(m) for m in marks] if isinstance(marks, list) else []


def _remember(request: HttpRequest, response: HttpResponse, mark: str) -> None:
    marks = [m for m in _answered(request) if m != mark][-(_ANSWERED_KEEP - 1) :]
    response.set_signed_cookie(
        ANSWERED_COOKIE,
        json.dumps([*marks, mark], separators=(",", ":")),
        salt=_ANSWERED_SALT,
        max_age=_ANSWERED_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# Anonymous feedback carries no session authority for a forged request to borrow,
# and the form sits on pages cached whole for everyone (gongkai/portal/cache.py),
# which cannot hold a per-visitor CSRF token. Abuse is bounded instead by the
# per-address rate limit, length limits and moderation before anything is shown.
# The pages that carry the box (the column, a publication) are csrf_exempt for
# the same reason and take its POST themselves (``feedback_box``).
TOO_OFTEN = "提交过于频繁，请稍后再试。"
THANKS = "感谢您的反馈！意见经审核后公开。"


def feedback_box(
    request: HttpRequest, org: Organisation, publication: Publication | None
) -> FeedbackForm | HttpResponse | None:
    """The page's answer to a POST of its feedback box (None for a GET: the page
    shows the empty box, ``{% empty_feedback_box %}``).

    A POST that is taken gets a redirect to the page (with the thanks as a
    message); one that is not gets the form back, bound to what was typed and with
    each error beside its field: the page shows it in its answer to the POST,
    which ``cached_portal_page`` never stores (only anonymous GETs are kept), and
    which is marked for no one to keep (``no_store``)."""
    if request.method != "POST":
        return None
    form = FeedbackForm(request.POST, on_publication=publication is not None)
    taken = _feedback_take(request, org, publication, form)
    if taken is None:
        return form
    response = redirect(request.get_full_path())
    if taken:
        _remember(request, response, taken)
    return response


def no_store(response: HttpResponse) -> HttpResponse:
    """The page's answer to a POST of its feedback box: kept by no cache."""
    add_never_cache_headers(response)
    return response


def _feedback_take(
    request: HttpRequest,
    org: Organisation,
    publication: Publication | None,
    form: FeedbackForm,
) -> str | None:
    """Submit the box: the mark to remember ("" for none), or None with the errors
    on ``form``."""
    # Every POST counts, well-formed or not: a malformed one (an over-long comment,
    # an unknown vote) costs the page rendered for it, and the page is csrf_exempt.
    if rate_limited(request, "feedback", limit=20, window_seconds=3600):
        form.is_valid()  # what was typed is shown back, with the refusal
        form.add_error(None, TOO_OFTEN)
        return None
    if not form.is_valid():
        return None
    useful = form.useful_vote()
    mark = f"p{publication.pk}" if publication is not None else f"o{org.pk}"
    if useful is not None and mark in _answered(request):
        form.add_error("useful" if "useful" in form.fields else None, s.ALREADY_VOTED)
        return None
    try:
        s.feedback_submit(
            organisation=org,
            publication=publication,
            useful=useful,
            comment=form.cleaned_data["comment"],
            contact=form.cleaned_data["contact"],
            address=client_ip(request),
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    messages.success(request, THANKS)
    return mark if useful is not None else ""


@csrf_exempt
@require_POST
def feedback_post(request: HttpRequest, org_id: int) -> HttpResponse:
    """The box's former address, for pages still cached with it: a fault is told
    as a message on the page (the pages now take the box's POST themselves)."""
    org = portal_organisation(org_id)
    publication = None
    raw = request.POST.get("publication", "")
    if raw.isascii() and raw.isdigit():  # "²".isdigit() too, and int() refuses it
        publication = portal_publication(org, int(raw))
    back = request.POST.get("next") or f"/gk/{org.pk}/"
    if not back.startswith("/") or back.startswith("//"):
        back = f"/gk/{org.pk}/"
    # A column's vote was accepted here before the column's box stopped asking it.
    form = FeedbackForm(request.POST, on_publication=True)
    taken = _feedback_take(request, org, publication, form)
    response = redirect(back)
    if taken is None:  # the first fault, as this address always told it
        messages.error(request, str(next(iter(form.errors.values()))[0]))
    elif taken:
        _remember(request, response, taken)
    return response


def survey_page(request: HttpRequest, org_id: int, pk: int) -> HttpResponse:
    org = portal_organisation(org_id)
    survey = Survey.objects.filter(organisation=org, pk=pk).first()
    if survey is None:
        raise Http404("未找到该测评。")
    mark = f"s{survey.pk}"
    already = mark in _answered(request)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and already:
        form.is_valid()  # what was typed is shown back, with the refusal
        form.add_error(None, s.ALREADY_ANSWERED)
    elif request.method == "POST" and form.is_valid():
        try:
            s.survey_answer(
                survey=survey,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                today=timezone.localdate(),
                address=client_ip(request),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "感谢您参加满意度测评！")
            response = redirect("portal:column", org_id=org.pk)
            _remember(request, response, mark)
            return response
    return render(
        request,
        "feedback/survey.html",
        {"org": org, "survey": survey, "form": form, "already": already},
    )


def _add_errors(form: Form, exc: ValidationError) -> None:
    """A service's refusal on the form: each message beside its field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    if org is None:
        raise Http404("您没有可访问的机构。")
    require(request.user, Perm.VIEW, org)
    return _moderation_page(request, org)


def _moderation_page(
    request: HttpRequest, org: Organisation, revealed: dict[int, str] | None = None
) -> HttpResponse:
    """The pending feedback, each 联系方式 masked unless ``revealed`` (by id)."""
    pending = list(
        scope(
            Feedback.objects.filter(state=Feedback.State.PENDING),
            request.user,
            Perm.EDIT,
        ).select_related("organisation", "publication")[:200]
    )
    revealed = revealed or {}
    rows = [
        {
            "f": item,
            "contact": revealed.get(item.pk) or s.feedback_contact_masked(item.contact),
            "revealed": item.pk in revealed,
            # Its own ids: one reply field per feedback on the page.
            "reply_form": ReplyForm(auto_id=f"id_fb{item.pk}_%s"),
        }
        for item in pending
    ]
    surveys = Survey.objects.filter(organisation=org)[:20]
    return render(
        request,
        "feedback/moderation.html",
        {
            "pending": rows,
            "surveys": surveys,
            "org": org,
            # 发起测评 only for whom survey_open lets in (no form that ends in 403).
            "can_edit": can(request.user, Perm.EDIT, org),
        },
    )


@login_required
@require_POST
def contact_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """One feedback's 联系方式 unmasked, for replying to its writer; audited."""
    org = active_organisation(request)
    if org is None:
        raise Http404("您没有可访问的机构。")
    item = get_scoped_or_404(Feedback.objects.all(), request.user, Perm.VIEW, pk=pk)
    contact = s.feedback_reveal_contact(actor=request.user, feedback=item)
    return _moderation_page(request, org, {item.pk: contact})


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(Feedback.objects.all(), request.user, Perm.EDIT, pk=pk)
    try:
        s.feedback_moderate(
            actor=request.user,
            feedback=item,
            approve=request.POST.get("approve") == "1",
            reply=request.POST.get("reply", ""),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("feedback:moderation")


@login_required
@require_POST
def survey_create(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    if org is None:
        raise Http404("您没有可访问的机构。")
    try:
        s.survey_open(
            actor=request.user,
            organisation=org,
            title=request.POST.get("title", ""),
            opens_on=date.fromisoformat(request.POST.get("opens_on", "")),
            closes_on=date.fromisoformat(request.POST.get("closes_on", "")),
        )
        messages.success(request, "测评已创建，公众可在门户填写。")
    except ValueError:
        messages.error(request, "日期格式不正确。")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("feedback:moderation")

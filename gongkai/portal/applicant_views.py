"""我的申请: sign in by a one-time code, the applicant's cases, 补正 online, 撤回, 好差评.

Pages are never cached and a GET writes nothing: the code row is written on the
POST that asks for it, the session on the POST that answers it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.audit.middleware import client_ip
from gongkai.core.workdays import explain_for_applicant
from gongkai.feedback.ratings import handling_rate, may_rate
from gongkai.feedback.views import _answered, _remember
from gongkai.inforequests.caselog import inforequest_ledger
from gongkai.inforequests.delivery import issue_download_tokens
from gongkai.inforequests.models import DownloadToken, InfoRequest
from gongkai.inforequests.notices import applicant_facts
from gongkai.portal import applicant as a
from gongkai.portal.applicant_forms import (
    CodeForm,
    ContactForm,
    CorrectionForm,
    RatingForm,
)
from gongkai.portal.cache import is_elderly
from gongkai.portal.guards import rate_limited
from gongkai.portal.oidc import oidc_enabled, oidc_finish, oidc_start

STATUS_SESSION_KEY = "gongkai_portal_requests"  # as portal.views (number + code proven)


def _page(
    request: HttpRequest, template: str, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {"elderly": is_elderly(request), **extra},
        status=status,
    )


@never_cache
def me(request: HttpRequest) -> HttpResponse:
    """The list of the signed-in applicant's cases, or the sign-in form."""
    identity = a.session_identity(request.session)
    if identity is None:
        return _page(
            request,
            "portal/me_sign_in.html",
            form=ContactForm(),
            oidc=oidc_enabled(),
            oidc_name=settings.OIDC_NAME,
        )
    cases = list(a.applicant_cases(identity)[:200])
    return _page(request, "portal/me.html", identity=identity, cases=cases)


@never_cache
@require_POST
def me_code(request: HttpRequest) -> HttpResponse:
    """Send a code to the address typed (the same answer whether or not it applied)."""
    form = ContactForm(request.POST)
    if form.is_valid():
        if rate_limited(
            request,
            "applicant_code",
            limit=settings.APPLICANT_CODE_SENDS_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, "同一网络地址获取验证码过于频繁，请一小时后再试。")
        else:
            try:
                sent = a.code_send(
                    contact=form.cleaned_data["contact"], address=client_ip(request)
                )
            except ValidationError as exc:
                _errors_to(form, exc)
            else:
                return _page(
                    request,
                    "portal/me_code.html",
                    form=CodeForm(initial={"token": sent.token}),
                    masked=sent.masked,
                    minutes=settings.APPLICANT_CODE_MINUTES,
                )
    return _page(
        request,
        "portal/me_sign_in.html",
        status=400,
        form=form,
        oidc=oidc_enabled(),
        oidc_name=settings.OIDC_NAME,
    )


@never_cache
@require_POST
def me_verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    masked = str(request.POST.get("masked", ""))[:40]
    if form.is_valid():
        try:
            identity = a.code_verify(
                token=form.cleaned_data["token"], code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            a.session_sign_in(request.session, identity, masked)
            return redirect("portal:me")
    return _page(
        request,
        "portal/me_code.html",
        status=400,
        form=form,
        masked=masked,
        minutes=settings.APPLICANT_CODE_MINUTES,
    )


@never_cache
@require_POST
def me_oidc(request: HttpRequest) -> HttpResponse:
    """Off to the province's 统一身份认证 (a POST: the state is kept in the session)."""
    if not oidc_enabled():
        raise Http404("未启用统一身份认证。")
    callback = request.build_absolute_uri(reverse("portal:me_oidc_callback"))
    return redirect(oidc_start(request.session, callback))


@never_cache
def me_oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc_enabled():
        raise Http404("未启用统一身份认证。")
    callback = request.build_absolute_uri(reverse("portal:me_oidc_callback"))
    try:
        identity, masked = oidc_finish(
            request.session,
            code=str(request.GET.get("code", ""))[:500],
            state=str(request.GET.get("state", ""))[:200],
            redirect_uri=callback,
        )
    except ValidationError as exc:
        return _page(
            request,
            "portal/me_sign_in.html",
            status=400,
            form=ContactForm(),
            oidc_errors=exc.messages,
            oidc=True,
            oidc_name=settings.OIDC_NAME,
        )
    a.session_sign_in(request.session, identity, masked)
    return redirect("portal:me")


@require_POST
def me_sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(a.SESSION_KEY, None)
    messages.info(request, "您已退出“我的申请”。")
    return redirect("portal:me")


def _signed_in_case(
    request: HttpRequest, tracking: str
) -> tuple[a.Identity, InfoRequest]:
    identity = a.session_identity(request.session)
    if identity is None:
        raise _SignIn
    case = a.applicant_case(identity, tracking)
    if case is None:
        raise Http404("没有找到该申请。")
    return identity, case


class _SignIn(Exception):
    pass


def _case_page(
    request: HttpRequest,
    case: InfoRequest,
    *,
    identity: a.Identity,
    correction: CorrectionForm | None = None,
    rating: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ledger = inforequest_ledger(case)
    rated = f"h{case.pk}" in _answered(request)
    return _page(
        request,
        "portal/me_case.html",
        status=status,
        identity=identity,
        case=case,
        facts=applicant_facts(case, ledger),
        explanation=explain_for_applicant(ledger),
        downloads=issue_download_tokens(case, holder=DownloadToken.Holder.ACCOUNT),
        link_minutes=settings.DOWNLOAD_LINK_MINUTES,
        correction=correction or CorrectionForm(),
        may_withdraw=a.may_withdraw(case),
        rating=rating or RatingForm(),
        may_rate=not rated and may_rate(case),
        upload_mb=settings.UPLOAD_MAX_MB,
    )


@never_cache
def me_case(request: HttpRequest, tracking: str) -> HttpResponse:
    try:
        identity, case = _signed_in_case(request, tracking)
    except _SignIn:
        return redirect("portal:me")
    return _case_page(request, case, identity=identity)


@never_cache
@require_POST
def me_clarify(request: HttpRequest, tracking: str) -> HttpResponse:
    try:
        identity, case = _signed_in_case(request, tracking)
    except _SignIn:
        return redirect("portal:me")
    form = CorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            a.applicant_answer_clarification(
                case=case,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["materials"],
            )
        except ValidationError as exc:
            _errors_to(form, exc)
            if request.FILES:
                form.add_error(
                    None, "补正未提交，已填写的说明仍保留；请重新选择要上传的文件。"
                )
        else:
            messages.success(
                request, "补正已提交，答复期限自今日起重新计算（条例第三十条）。"
            )
            return redirect("portal:me_case", tracking=case.tracking_number)
    return _case_page(request, case, identity=identity, correction=form, status=400)


@never_cache
@require_POST
def me_withdraw(request: HttpRequest, tracking: str) -> HttpResponse:
    try:
        _identity, case = _signed_in_case(request, tracking)
    except _SignIn:
        return redirect("portal:me")
    if request.POST.get("confirm") != "yes":
        messages.error(request, "请勾选“确认撤回”后再提交。")
        return redirect("portal:me_case", tracking=case.tracking_number)
    try:
        a.applicant_withdraw(case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "申请已撤回。如仍需要该信息，可以重新提出申请。")
    return redirect("portal:me_case", tracking=case.tracking_number)


@never_cache
@require_POST
def rate(request: HttpRequest, tracking: str) -> HttpResponse:
    """好差评, by the signed-in applicant or whoever showed the number and code on the
    status page in this session."""
    identity = a.session_identity(request.session)
    case = a.applicant_case(identity, tracking) if identity else None
    if case is None:
        proven = request.session.get(STATUS_SESSION_KEY, [])
        case = InfoRequest.objects.filter(
            tracking_number=tracking, pk__in=[p for p in proven if isinstance(p, int)]
        ).first()
    if case is None:
        messages.error(request, "请先登录“我的申请”或用申请编号和查询码查询后再评价。")
        return redirect("portal:me")
    back = "portal:me_case" if identity else "portal:status"
    mark = f"h{case.pk}"
    form = RatingForm(request.POST)
    done = False
    if mark in _answered(request):
        messages.info(
            request, "该申请已经评价过（每件申请只能评价一次），感谢您的评价。"
        )
    elif not form.is_valid():
        messages.error(
            request, " ".join(str(e) for errs in form.errors.values() for e in errs)
        )
    else:
        try:
            handling_rate(
                case=case,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                address=client_ip(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = True
            messages.success(request, "感谢您的评价。")
    response = (
        redirect(back, tracking=case.tracking_number) if identity else redirect(back)
    )
    if done:
        _remember(request, response, mark)
    return response


def _errors_to(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)

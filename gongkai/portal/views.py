"""The public 政府信息公开 column of each organisation. Pages read without JavaScript."""

from __future__ import annotations

import dataclasses
import hmac
import io
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from gongkai.core.search import MAX_QUERY_CHARS, fold_doc_number
from gongkai.core.workdays import explain_for_applicant
from gongkai.feedback.models import Feedback, Survey
from gongkai.feedback.ratings import may_rate
from gongkai.feedback.views import feedback_box, no_store
from gongkai.inforequests.attachments import inforequest_attach
from gongkai.inforequests.caselog import inforequest_ledger
from gongkai.inforequests.delivery import (
    DownloadRefused,
    deliver_electronically,
    issue_download_tokens,
    redeem_download_token,
)
from gongkai.inforequests.forms import add_registration_errors
from gongkai.inforequests.intake import (
    Registration,
    query_code_digest,
)
from gongkai.inforequests.letters import register
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.notices import applicant_facts
from gongkai.ops.idempotency import first_result, submit_once, valid_key
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import organisation_ancestors
from gongkai.portal.applicant_forms import RatingForm
from gongkai.portal.cache import (
    ELDERLY_COOKIE,
    body_part,
    cached_portal_page,
    is_elderly,
)
from gongkai.portal.forms import ApplicationForm, StatusForm
from gongkai.portal.frame import framed_page
from gongkai.portal.guards import (
    CAPTCHA_MAX_AGE,
    captcha_check,
    captcha_new,
    rate_limited,
)
from gongkai.portal.selectors import (
    LIST_ORDER_KEPT,
    portal_attachment,
    portal_attachments,
    portal_interpreted_ids,
    portal_organisation,
    portal_publication_page,
    portal_publication_titles,
    portal_publications,
    portal_rules,
    portal_subtree_ids,
    portal_title_order,
    portal_title_rows,
    portal_titles_by_id,
    publications_with_number,
    title_rows,
)
from gongkai.portal.signals import KIND, REPORT_KIND
from gongkai.publishing.models import Publication, published_in_year_q
from gongkai.reports.outputs import (
    FILE_FORMATS,
    report_article_html,
    report_charts,
    report_file,
)
from gongkai.reports.report_common import not_reporting_reason
from gongkai.reports.selectors import published_reports
from gongkai.search.services import search_documents
from gongkai.security.uploads import private_file_response

STATUS_SESSION_KEY = "gongkai_portal_requests"


@dataclass(frozen=True)
class _Body:
    """What every page of a body's column shows alike, besides its own content."""

    org: Organisation
    # Where to apply: the organisation, or for a 社区 its 街道 (None: nowhere).
    apply_org: Organisation | None
    breadcrumb: tuple[Organisation, ...]


def _body(org: Organisation) -> _Body:
    return _Body(org, org.disclosure_body(), tuple(organisation_ancestors(org)))


def _column_body(request: HttpRequest, org_id: int) -> _Body:
    """The body of a cached column page: kept under the content version
    (``cache.body_part``), so a page missing from the cache does not read it again."""
    return body_part(
        request, ("body", org_id), lambda: _body(portal_organisation(org_id))
    )


def _context(
    request: HttpRequest, org: Organisation | _Body, **extra: Any
) -> dict[str, Any]:
    body = org if isinstance(org, _Body) else _body(org)
    return {
        "org": body.org,
        "apply_org": body.apply_org,
        "breadcrumb": body.breadcrumb,
        "icp": settings.PORTAL_ICP,
        "elderly": is_elderly(request),
        **extra,
    }


@cached_portal_page
def portal_index(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.filter(is_active=True).order_by("path")[:500]
    return render(
        request,
        "portal/index.html",
        {"organisations": orgs, "elderly": is_elderly(request)},
    )


@cached_portal_page  # (keeps csrf_exempt: functools.wraps copies the mark)
@csrf_exempt  # the feedback box's POST (feedback.views: the page is cached whole)
def column(request: HttpRequest, org_id: int) -> HttpResponse:
    body = _column_body(request, org_id)
    org = body.org
    feedback = feedback_box(request, org, None)
    if isinstance(feedback, HttpResponse):
        return feedback
    latest = portal_publication_titles(org, include_descendants=True)[:10]
    children = Organisation.objects.filter(parent=org, is_active=True).order_by("path")
    today = timezone.localdate()
    surveys = Survey.objects.filter(
        organisation=org, opens_on__lte=today, closes_on__gte=today
    )
    comments = Feedback.objects.filter(
        organisation=org, publication=None, state=Feedback.State.APPROVED
    )[:10]
    response = render(
        request,
        "portal/column.html",
        _context(
            request,
            body,
            latest=latest,
            children=children,
            surveys=surveys,
            comments=comments,
            feedback_form=feedback,
        ),
    )
    return response if feedback is None else no_store(response)


@cached_portal_page
def guide(request: HttpRequest, org_id: int) -> HttpResponse:
    """政府信息公开指南, generated from the organisation's data (条例第二十四条)."""
    body = _column_body(request, org_id)
    return render(
        request,
        "portal/guide.html",
        _context(request, body, updated=body.org.updated_at),
    )


@cached_portal_page
def rules(request: HttpRequest, org_id: int) -> HttpResponse:
    """政府信息公开制度 (国办公开办函〔2019〕61号, the second first-level column): the
    body's own rules — 保密审查, 依申请办理, 发布协调, 解读回应 — kept as publications of
    its catalogue's 政府信息公开制度 items. A 社区 shows the rules of the body that
    answers for it."""
    body = _column_body(request, org_id)
    rules_of = body.apply_org or body.org
    return render(
        request,
        "portal/rules.html",
        _context(request, body, rules_of=rules_of, items=portal_rules(rules_of)),
    )


LIST_PAGE_SIZE = 20


class _CountedPaginator(Paginator):
    """A paginator told its count (kept per body and filter under the content
    version), so page 37 of a body's list does not count the body's items again."""

    def __init__(self, object_list: Any, per_page: int, count: Callable[[], int]):
        super().__init__(object_list, per_page)
        self._counted = count

    @cached_property
    def count(self) -> int:
        return self._counted()


def _list_page_number(raw: str | None) -> int:
    """The page asked for: 1 when it is missing, not a number or below 1 (Django's
    ``get_page`` would show the last page for a number below 1)."""
    try:
        return max(int(raw or 1), 1)
    except ValueError:
        return 1


@cached_portal_page
def publication_list(request: HttpRequest, org_id: int) -> HttpResponse:
    body = _column_body(request, org_id)
    org = body.org
    year, topic, number = (
        request.GET.get("year", ""),
        request.GET.get("topic", ""),
        request.GET.get("number", ""),
    )
    in_year = (
        int(year)
        if year.isascii() and year.isdigit() and 1900 <= int(year) <= 2100
        else None
    )
    number_part = fold_doc_number(number)[:60]

    def listing() -> QuerySet[Publication]:
        qs = portal_publication_titles(org, include_descendants=True)
        if in_year is not None:
            qs = qs.filter(published_in_year_q(in_year))
        if topic:
            qs = qs.filter(topic=topic)
        if number_part:
            qs = publications_with_number(qs, number_part)
        return qs

    # The count is the same for every page of the list: kept (cache.body_part).
    count_key = ("count", org.pk, in_year, topic, number_part)
    paginator = _CountedPaginator(
        # A search by 文号 (LIKE) is read by the queryset; otherwise the page's rows
        # come from portal_title_rows and the paginator only numbers the pages.
        listing() if number_part else (),
        LIST_PAGE_SIZE,
        lambda: body_part(request, count_key, lambda: listing().count()),
    )
    page_no = _list_page_number(request.GET.get("page"))
    # A page past the last: the page says so and links to the first (not to the
    # last page, which would look like the page asked for).
    past_end = page_no > max(paginator.num_pages, 1)
    page = paginator.get_page(1 if past_end else page_no)
    if past_end:
        items = []
    elif number_part:
        items = title_rows(page.object_list)
    elif page.number * LIST_PAGE_SIZE <= LIST_ORDER_KEPT:
        # The list's order is the same for its first pages: kept, and a page reads
        # its 20 rows by id.
        order = body_part(
            request,
            ("order", org.pk, in_year, topic),
            lambda: portal_title_order(org, year=in_year, topic=topic),
        )
        start = (page.number - 1) * LIST_PAGE_SIZE
        items = portal_titles_by_id(order[start : start + LIST_PAGE_SIZE])
    else:
        items = portal_title_rows(
            org,
            year=in_year,
            topic=topic,
            offset=(page.number - 1) * LIST_PAGE_SIZE,
            limit=LIST_PAGE_SIZE,
        )
    return framed_page(
        request,
        "portal/_publication_list.html",
        _context(
            request,
            body,
            page=page,
            past_end=past_end,
            items=items,
            items_url=reverse("portal:publications", args=[org.pk]),
            year=year,
            topic=topic,
            number=number,
            topics=body_part(request, ("topics", org.pk), lambda: _topics(org)),
        ),
        title="法定主动公开内容",
    )


def _topics(org: Organisation) -> list[str]:
    """The 主题分类 of a body's live items, for its list's filter."""
    return sorted(
        t
        # order_by() drops the list's ordering so DISTINCT runs on the topic alone.
        for t in portal_publications(org, include_descendants=True)
        .order_by()
        .values_list("topic", flat=True)
        .distinct()
        if t
    )


@cached_portal_page  # (keeps csrf_exempt: functools.wraps copies the mark)
@csrf_exempt  # the feedback box's POST (feedback.views: the page is cached whole)
def publication_detail(request: HttpRequest, org_id: int, pk: int) -> HttpResponse:
    body = _column_body(request, org_id)
    org = body.org
    subtree = body_part(request, ("subtree", org.pk), lambda: portal_subtree_ids(org))
    publication = portal_publication_page(org, pk, subtree=subtree)
    feedback = feedback_box(request, org, publication)
    if isinstance(feedback, HttpResponse):
        return feedback
    # The parts an item rarely has are read only when it has them (one query above).
    comments = (
        publication.feedback.filter(state=Feedback.State.APPROVED)[:20]
        if publication.has_comments  # type: ignore[attr-defined]
        else ()
    )
    # 政策解读 (issue 21): the document and its 解读 link to each other (live ones).
    interpreted_ids = body_part(
        request, ("interpreted", org.pk), lambda: portal_interpreted_ids(org)
    )
    interpretations = (
        portal_publications(org).filter(interprets=publication)
        if publication.pk in interpreted_ids
        else ()
    )
    interpreted = (
        portal_publications(org).filter(pk=publication.interprets_id).first()
        if publication.interprets_id
        else None
    )
    response = framed_page(
        request,
        "portal/_publication_detail.html",
        _context(
            request,
            body,
            p=publication,
            feedback_form=feedback,
            interpretations=interpretations,
            interpreted=interpreted,
            comments=comments,
            attachments=portal_attachments(publication)
            if publication.has_attachments  # type: ignore[attr-defined]
            else (),
        ),
        title=publication.title,
    )
    return response if feedback is None else no_store(response)


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_download_name(name: str, kind: str) -> str:
    """The name a public download is saved under: no folders, control characters or
    characters a desktop refuses; the extension of the file's checked type."""
    stem = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", name or "")).strip(" ._")
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    return f"{(stem or '附件')[:100]}.{kind or 'bin'}"


def publication_attachment(
    request: HttpRequest, org_id: int, pk: int, attachment_pk: int
) -> HttpResponseBase:
    """A file of a live 主动公开 item (条例第二十三条: 便于公众检索、获取), never a
    withheld original."""
    org = portal_organisation(org_id)
    attachment = portal_attachment(org, pk, attachment_pk)
    try:
        fileobj = attachment.file.open("rb")
    except OSError as exc:  # the stored file is gone (a restore without media)
        raise Http404("该附件文件暂时无法提供，请联系发布机构。") from exc
    return private_file_response(
        fileobj,
        filename=safe_download_name(attachment.original_name, attachment.kind),
        kind=attachment.kind,
    )


def search(request: HttpRequest, org_id: int) -> HttpResponse:
    org = portal_organisation(org_id)
    results = reports = None
    page, has_next = 1, False
    # The box holds at most MAX_QUERY_CHARS (its maxlength); a longer q typed into
    # the address bar is refused in Chinese by parse_query and not echoed back whole
    # (a request line beyond the web server's limit never reaches this view).
    shown_query = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    if request.GET.get("q") is not None:
        if rate_limited(
            request,
            "search",
            limit=settings.PORTAL_SEARCHES_PER_MINUTE,
            window_seconds=60,
        ):
            messages.error(request, "搜索过于频繁，请稍后再试。")
        else:
            # The body's subtree is one token of the index (gongkai.search), so
            # the cost does not grow with the subtree or with the other bodies.
            query = request.GET.get("q", "")
            page = _search_page(request.GET.get("page"))
            # One more than a page: whether there is a next one, without a count
            # (counting every match is what the index avoids at any size).
            found = search_documents(
                query,
                within=org,
                kind=KIND,
                limit=SEARCH_PAGE_SIZE + 1,
                offset=(page - 1) * SEARCH_PAGE_SIZE,
            )
            has_next = len(found.hits) > SEARCH_PAGE_SIZE and page < SEARCH_MAX_PAGE
            results = dataclasses.replace(found, hits=found.hits[:SEARCH_PAGE_SIZE])
            # 年报 in their own group after the items (a report's long text matches
            # many words; it should not push the items down), on the first page.
            if page == 1:
                reports = search_documents(query, within=org, kind=REPORT_KIND, limit=5)
    return render(
        request,
        "portal/search.html",
        _context(
            request,
            org,
            results=results,
            reports=reports,
            page=page,
            has_next=has_next,
            shown_query=shown_query,
            max_query_chars=MAX_QUERY_CHARS,
        ),
    )


# Results come newest first, 20 a page; pages stop at the 50th (1,000 results: past
# that a reader narrows the words, and a deep page costs the index more).
SEARCH_PAGE_SIZE = 20
SEARCH_MAX_PAGE = 50


def _search_page(raw: str | None) -> int:
    """The page asked for, 1 when it is missing or not a number, at most the last."""
    try:
        page = int(raw or 1)
    except ValueError:
        return 1
    return min(max(page, 1), SEARCH_MAX_PAGE)


def apply(request: HttpRequest, org_id: int) -> HttpResponse:
    """The online application (条例第二十九条); staff-side rules are the same service's."""
    org = portal_organisation(org_id)
    if not org.is_disclosure_body:
        return _apply_elsewhere(request, org)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    # The form's idempotency key (issue 23 §7): the same form sent again — after an
    # error page, a timeout, a second click — shows the first result, before any
    # other check (its CAPTCHA answer has been used up by the first sending).
    submission_key = request.POST.get("submission_key", "")
    if request.method == "POST" and valid_key(submission_key):
        earlier = first_result(APPLY_SCOPE, submission_key)
        if earlier is not None:
            return _apply_answered(request, org, earlier)
    # 换一题: a new question for a form kept open past the question's 2 hours; what
    # was typed comes back unchecked and nothing is saved.
    if request.method == "POST" and request.POST.get("new_captcha"):
        kept = {k: v for k, v in request.POST.items() if k != "captcha"}
        form = ApplicationForm(initial=kept)  # unbound: shown, not checked
    elif request.method == "POST":
        valid = form.is_valid()
        if valid and form.cleaned_data.get("website"):
            return redirect(
                "portal:column", org_id=org.pk
            )  # a bot filled the hidden field
        # The answer is checked whatever else is wrong, and a wrong answer does not
        # hide the application's own errors: all of them come in one answer (the
        # answer box is emptied below, for the new question).
        captcha_ok = captcha_check(
            request.POST.get("captcha_token", ""), request.POST.get("captcha", "")
        )
        if not captcha_ok and "captcha" not in form.errors:
            form.add_error("captcha", "验证题答案不正确，请重新计算。")
        if not (valid and captcha_ok):
            # Every error in one answer (the intake checks run on what was typed
            # even when a field or the answer is wrong); nothing is saved.
            today = timezone.localdate()
            add_registration_errors(
                form, today, channel="online", submitted_on=today, confirmed_on=today
            )
        elif rate_limited(
            request,
            "apply",
            limit=settings.PORTAL_APPLICATIONS_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(
                None,
                "同一网络地址提交过于频繁，请一小时后再试，或通过电话、邮寄等方式提出申请。",
            )
        else:
            today = timezone.localdate()
            registration = _online_registration(form, today)

            def create() -> dict[str, Any]:
                # The 接收回执 is issued at once, as for staff intake, and the
                # 已收到 message queued (issue 16); 受理 is the officer's later step.
                created, code, _receipt = register(
                    actor=None,
                    organisation=org,
                    registration=registration,
                    on=today,
                    from_portal=True,
                )
                deliver_electronically(created, actor=None, on=today)
                upload = form.cleaned_data.get("attachment")
                if upload:
                    try:
                        inforequest_attach(
                            actor=None,
                            request=created,
                            upload=upload,
                            from_portal=True,
                        )
                    except ValidationError as exc:
                        raise ValidationError({"attachment": exc.messages}) from exc
                return {
                    "tracking": created.tracking_number,
                    "code": code,
                    "pk": created.pk,
                }

            try:
                # One transaction: a refused attachment leaves no application behind.
                if valid_key(submission_key):
                    result, _first = submit_once(APPLY_SCOPE, submission_key, create)
                else:  # a form from before keys (cached page): as before
                    with transaction.atomic():
                        result = create()
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return _apply_answered(request, org, result)
    question, captcha_token = captcha_new()
    if form.is_bound:
        typed = request.POST.copy()
        typed["captcha"] = ""  # a new question: its box starts empty
        form.data = typed
    return render(
        request,
        "portal/apply.html",
        _context(
            request,
            org,
            form=form,
            question=question,
            captcha_token=captcha_token,
            captcha_expires=timezone.localtime() + timedelta(seconds=CAPTCHA_MAX_AGE),
            # Kept while the form is corrected: nothing was saved under it yet.
            submission_key=submission_key
            if valid_key(submission_key)
            else secrets.token_urlsafe(24),
        ),
    )


def _online_registration(form: ApplicationForm, today: date) -> Registration:
    return Registration(
        channel="online",
        submitted_on=today,
        confirmed_on=today,
        **form.registration_values(),
    )


def _apply_elsewhere(request: HttpRequest, org: Organisation) -> HttpResponse:
    """A 社区居委会 (not a disclosure body) takes no applications of its own: send the
    applicant to the body whose application it is, or say there is none."""
    body = org.disclosure_body()
    if body is not None and body.is_active:
        messages.info(
            request,
            f"{org.name}不是政府信息公开主体（行政机关），不以自己的名义受理政府信息公开申请。"
            f"请在本页向{body.name}提出申请；也可以把书面申请交到{org.label}，"
            f"由其转交{body.label}受理，收到申请之日以交到{org.label}之日为准。",
        )
        return redirect("portal:apply", org_id=body.pk)
    return render(request, "portal/apply_unavailable.html", _context(request, org))


APPLY_SCOPE = "portal_apply"


def _apply_answered(
    request: HttpRequest, org: Organisation, result: dict[str, Any]
) -> HttpResponse:
    """To the confirmation page of the application in ``result``."""
    known = request.session.get(STATUS_SESSION_KEY, [])
    if result["pk"] not in known:
        request.session[STATUS_SESSION_KEY] = [*known, result["pk"]]
    request.session["gongkai_portal_new"] = result
    return redirect("portal:apply_done", org_id=org.pk)


@never_cache
def apply_done(request: HttpRequest, org_id: int) -> HttpResponse:
    """The number, the query code (shown once) and the 接收回执 to download."""
    org = portal_organisation(org_id)
    new = request.session.pop("gongkai_portal_new", None)
    if not new:
        return redirect("portal:status")
    case = InfoRequest.objects.filter(pk=new.get("pk")).first()
    downloads = issue_download_tokens(case) if case is not None else []
    return render(
        request,
        "portal/apply_done.html",
        _context(
            request,
            org,
            tracking=new["tracking"],
            code=new["code"],
            downloads=downloads,
            link_minutes=settings.DOWNLOAD_LINK_MINUTES,
        ),
    )


def normalise_tracking(value: str) -> str:
    """``" gk12-2026-00001 "`` and full-width ``ＧＫ１２…`` → ``GK12-2026-00001``."""
    return unicodedata.normalize("NFKC", value).strip().upper()


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """Where an application stands, for whoever holds its number and query code."""
    form = StatusForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        if rate_limited(
            request,
            "status",
            limit=settings.PORTAL_STATUS_LOOKUPS_PER_MINUTE,
            window_seconds=60,
        ):
            form.add_error(None, "查询过于频繁，请一分钟后再试。")
        else:
            found = _lookup(
                normalise_tracking(form.cleaned_data["tracking_number"]),
                unicodedata.normalize("NFKC", form.cleaned_data["query_code"]).strip(),
            )
            if found is None:
                form.add_error(
                    None, "申请编号或查询码不正确。请核对回执上的编号和 8 位查询码。"
                )
            else:
                request.session[STATUS_SESSION_KEY] = [
                    *request.session.get(STATUS_SESSION_KEY, []),
                    found.pk,
                ]
    context: dict[str, Any] = {
        "form": form,
        "elderly": is_elderly(request),
    }
    if found is not None:
        ledger = inforequest_ledger(found)
        context.update(
            found=found,
            explanation=explain_for_applicant(ledger),
            ledger=ledger,
            facts=applicant_facts(found, ledger),
            downloads=issue_download_tokens(found),
            link_minutes=settings.DOWNLOAD_LINK_MINUTES,
            may_rate=may_rate(found),
            rating=RatingForm(),
        )
    return render(request, "portal/status.html", context)


@never_cache
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    """A letter (PDF) or disclosed file behind a single-use link of the status page."""
    try:
        served = redeem_download_token(token)
    except DownloadRefused as exc:
        return render(
            request,
            "portal/download_refused.html",
            {"message": exc.message, "elderly": is_elderly(request)},
            status=exc.status,
        )
    if served.fileobj is not None:
        return private_file_response(
            served.fileobj, filename=served.filename, kind=served.kind
        )
    return private_file_response(
        io.BytesIO(served.data or b""), filename=served.filename, kind=served.kind
    )


def _lookup(tracking_number: str, code: str) -> InfoRequest | None:
    found = (
        InfoRequest.objects.filter(tracking_number=tracking_number)
        .select_related("organisation")
        .first()
    )
    expected = query_code_digest(tracking_number, code)
    # Compare even when nothing was found, so timing does not tell which part was wrong.
    actual = found.query_code_digest if found else "0" * len(expected)
    if found is None or not hmac.compare_digest(actual, expected):
        return None
    return found


@require_http_methods(["GET", "POST"])
def toggle_elderly(request: HttpRequest) -> HttpResponse:
    """适老化 mode: larger text and higher contrast, remembered for a year.

    A GET form (a display preference, not a change of anything on the server), so the
    pages that carry the switch hold no CSRF token and can be cached whole."""
    target = request.GET.get("next") or request.POST.get("next") or "/gk/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/gk/"
    response = HttpResponseRedirect(target)
    if is_elderly(request):
        response.delete_cookie(ELDERLY_COOKIE)
    else:
        response.set_cookie(
            ELDERLY_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


@cached_portal_page
def report_list(request: HttpRequest, org_id: int) -> HttpResponse:
    """年报 column: the published report of every year. A 社区 or 村 publishes none
    (条例第四十九条): the page says why and points to its 街道's or 乡镇's reports."""
    body = _column_body(request, org_id)
    return render(
        request,
        "portal/report_list.html",
        _context(
            request,
            body,
            reports=published_reports(body.org),
            not_reporting=not_reporting_reason(body.org),
        ),
    )


@cached_portal_page
def report_page(request: HttpRequest, org_id: int, year: int) -> HttpResponse:
    body = _column_body(request, org_id)
    org = body.org
    report = published_reports(org).filter(year=year).first()
    if report is None:
        raise Http404("该年度报告尚未公开。")
    history = list(published_reports(org))
    return render(
        request,
        "portal/report.html",
        _context(
            request,
            body,
            report=report,
            article=report_article_html(report),
            formats=FILE_FORMATS,
            charts=report_charts(report, history),
        ),
    )


def report_download(
    request: HttpRequest, org_id: int, year: int, fmt: str
) -> HttpResponse:
    from urllib.parse import quote

    org = portal_organisation(org_id)
    report = published_reports(org).filter(year=year).first()
    if report is None:
        raise Http404("该年度报告尚未公开。")
    try:
        data, content_type, filename = report_file(report, fmt)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

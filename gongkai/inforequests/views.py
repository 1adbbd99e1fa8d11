"""Back-office screens of applications (依申请公开). Thin: bind a form, call one
service (through ``letters.perform`` / ``letters.register``, which add the letter
of the step), redirect with a Chinese message. Every object is fetched through
``get_scoped_or_404``: anything outside the user's reach is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongkai.backoffice.context import active_organisation
from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import (
    Action,
    Outcome,
    Status,
    allowed_actions,
)
from gongkai.core.inforequest_rules import ConsultationOpinion, StepDays
from gongkai.core.letters import ReplyVariant, TemplateError
from gongkai.core.similarity import SIMILAR_AT
from gongkai.core.workdays import explain_for_staff
from gongkai.inforequests import (
    caselog,
    exports,
    intake,
    rendering,
    services,
    steps,
)
from gongkai.inforequests import forms as f
from gongkai.inforequests import letters as letter_layer
from gongkai.inforequests.attachments import (
    inforequest_attach,
    inforequest_attachment_open,
)
from gongkai.inforequests.exports import action_label as _action_label
from gongkai.inforequests.exports import status_label as _status_label
from gongkai.inforequests.fees import FeeWorking, fee_assessment_for
from gongkai.inforequests.models import (
    Assistance,
    InfoRequest,
    Letter,
    RequestAttachment,
    Transfer,
)
from gongkai.inforequests.repeats import intake_signals
from gongkai.inforequests.selectors import (
    ListFilter,
    assistance_pending_for,
    body_choices,
    case_assistance,
    case_transfers,
    inforequest_list_filtered,
    inforequest_masked,
    inforequest_urgency,
    platform_organisation,
    transfers_pending_for,
)
from gongkai.orgs.models import Membership
from gongkai.orgs.permissions import (
    Perm,
    can,
    get_scoped_or_404,
    intake_points_for,
)
from gongkai.security.uploads import private_file_response

PAGE_SIZE = 50


# --------------------------------------------------------------------------- helpers


def _handlers_for(organisation: Any) -> list[tuple[str, str]]:
    """Users who may handle (办理) cases of ``organisation``."""
    if organisation is None:
        return []
    ancestors = organisation.ancestor_ids()
    people: dict[int, Any] = {}
    for m in Membership.objects.filter(organisation_id__in=ancestors).select_related(
        "user"
    ):
        if m.user.is_active and can(m.user, Perm.EDIT, organisation):
            people[m.user.pk] = m.user
    return [(str(u.pk), u.display_name) for u in people.values()]


def _get_request(request: HttpRequest, pk: int) -> InfoRequest:
    return get_scoped_or_404(
        InfoRequest.objects.select_related("organisation", "handler"),
        request.user,
        Perm.VIEW,
        pk=pk,
    )


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --------------------------------------------------------------------------- list


def _list_filter(form: f.FilterForm) -> ListFilter:
    data = form.cleaned_data if form.is_valid() else {}
    return ListFilter(
        status=data.get("status") or "",
        urgency=data.get("urgency") or "",
        handler=data.get("handler") or "",
        year=data.get("year"),
        q=data.get("q") or "",
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The officer's list: open cases by urgency; personal data masked."""
    org = active_organisation(request)
    today = timezone.localdate()
    form = f.FilterForm(request.GET or None, handlers=_handlers_for(org))
    calendar = work_calendar()  # once per page, not once per row
    qs = (
        inforequest_list_filtered(
            request.user, org, _list_filter(form), today, calendar
        )
        if org
        else InfoRequest.objects.none()
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "obj": r,
            "masked": inforequest_masked(r),
            "urgency": inforequest_urgency(r, today, calendar),
        }
        for r in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inforequests/list.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "can_register": org is not None and can(request.user, Perm.EDIT, org),
        },
    )


def _filter_labels(form: f.FilterForm) -> dict[str, str]:
    """The chosen filters in words (the export's title line and its audit row)."""
    data = form.cleaned_data if form.is_valid() else {}
    labels: dict[str, str] = {}
    for key in ("status", "urgency", "handler"):
        choices = dict(form.fields[key].choices)  # type: ignore[attr-defined]
        value = data.get(key) or ""
        if value or key == "status":
            labels[key] = str(choices.get(value, ""))
    if data.get("year"):
        labels["year"] = str(data["year"])
    if (data.get("q") or "").strip():
        labels["q"] = data["q"].strip()
    return labels


@login_required
def request_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The 台账 as XLSX or CSV: the list's filters, scope and masking; audited."""
    org = active_organisation(request)
    if fmt not in exports.CONTENT_TYPES or org is None:
        raise Http404("不支持的导出格式。")
    form = f.FilterForm(request.GET or None, handlers=_handlers_for(org))
    exported = exports.ledger_export(
        actor=request.user,
        organisation=org,
        filters=_list_filter(form),
        labels=_filter_labels(form),
        fmt=fmt,
        today=timezone.localdate(),
    )
    return _file_response(exported)


def _file_response(exported: exports.ExportFile) -> HttpResponse:
    response = HttpResponse(exported.data, content_type=exported.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(exported.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's 卷宗 as one PDF for the archive (audited)."""
    case = _get_request(request, pk)
    return _file_response(
        exports.dossier_pdf(actor=request.user, case=case, today=timezone.localdate())
    )


# --------------------------------------------------------------------------- intake


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Staff intake for every channel (当面, 口头代填, 邮寄, 信函, 传真, 邮件, 网络).

    The 收件机构 may be a point that is not a disclosure body (a 社区居委会): the case
    is then its 街道's, and a 联络员 who cannot read it there gets the tracking number
    and query code here instead of the case page."""
    orgs = list(intake_points_for(request.user))
    if not orgs:
        raise PermissionDenied("您没有登记申请的权限。")
    active = active_organisation(request)
    initial: dict[str, Any] = {
        "organisation": active.pk if active and active in orgs else orgs[0].pk
    }
    initial |= {"submitted_on": timezone.localdate(), "channel": "in_person"}
    form = f.RegistrationForm(
        request.POST or None,
        organisations=orgs,
        bodies=_bodies_of(orgs),
        initial=initial,
    )
    if request.method == "POST" and request.POST.get(form.add_prefix("check_repeats")):
        return _register_with_signals(request, form, orgs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("organisation")
        organisation = next(o for o in orgs if o.pk == chosen)
        try:
            created, code, receipt = letter_layer.register(
                actor=request.user,
                organisation=organisation,
                registration=intake.Registration(
                    **{k: (v if v is not None else _blank(k)) for k, v in data.items()}
                ),
            )
        except ValidationError as exc:
            f.add_service_errors(form, exc)
        else:
            via = (
                f"（经由{organisation.name}转交，由{created.organisation.name}受理）"
                if created.handed_in_at_id
                else ""
            )
            messages.success(
                request,
                f"已登记申请 {created.tracking_number}{via}，已生成接收回执（{receipt.number}）。"
                f"申请人查询码：{code}（只显示这一次，请告知申请人）。",
            )
            if not can(request.user, Perm.VIEW, created.organisation):
                return redirect("inforequests:register")
            return redirect("inforequests:detail", pk=created.pk)
    if request.method == "POST" and form.errors:
        # Every error at once: the intake checks (提交日期, 证件号码, 联系电话…) run
        # too when a choice is missing, not on the next try.
        f.add_registration_errors(form, timezone.localdate())
    status = 400 if request.method == "POST" else 200
    return render(request, "inforequests/register.html", {"form": form}, status=status)


def _typed_date(typed: dict[str, str], name: str) -> date | None:
    try:
        return date.fromisoformat(typed.get(name) or "")
    except ValueError:
        return None


def _register_with_signals(
    request: HttpRequest, bound: f.RegistrationForm, orgs: list[Any]
) -> HttpResponse:
    """The intake form again, as typed (not checked, nothing registered), with the
    重复申请 / 第三十五条 signals for the identity number typed (docs/applications.md
    §10): only for a body whose cases the user may read."""
    typed = {
        name: request.POST.get(bound.add_prefix(name), "") for name in bound.fields
    }
    form = f.RegistrationForm(
        None,
        organisations=orgs,
        bodies=_bodies_of(orgs),
        initial={k: v for k, v in typed.items() if v != ""},
    )
    point = next((o for o in orgs if str(o.pk) == typed.get("organisation")), None)
    body = (
        None
        if point is None
        else point
        if point.is_disclosure_body
        else _bodies_of(orgs).get(point.pk)
    )
    signals, note = None, ""
    if body is None or not can(request.user, Perm.VIEW, body):
        note = "您不能查看该机关的申请，无法显示同一申请人的申请。"
    else:
        signals = intake_signals(
            organisation_id=body.pk,
            id_type=typed.get("id_type") or "",
            id_number=typed.get("id_number") or "",
            description=typed.get("description") or "",
            channel=typed.get("channel") or "",
            submitted_on=_typed_date(typed, "submitted_on") or timezone.localdate(),
            signed_for_on=_typed_date(typed, "signed_for_on"),
            confirmed_on=_typed_date(typed, "confirmed_on"),
        )
        if signals is None:
            note = "请先选择身份证明类型并填写有效的证件号码，再查看同一申请人的申请。"
    return render(
        request,
        "inforequests/register.html",
        {
            "form": form,
            "checked": True,
            "signals": signals,
            "signals_note": note,
            "similar_at": round(SIMILAR_AT * 100),
        },
    )


def _bodies_of(points: list[Any]) -> dict[int, Any]:
    """The disclosure body of each intake point that is not one (社区 → 街道)."""
    by_pk = {o.pk: o for o in points}
    out: dict[int, Any] = {}
    for point in points:
        if point.is_disclosure_body:
            continue
        above = [by_pk.get(pk) for pk in reversed(point.ancestor_ids()[:-1])]
        body = next((o for o in above if o is not None and o.is_disclosure_body), None)
        out[point.pk] = body or point.disclosure_body()
    return out


def _blank(name: str) -> Any:
    return None if name in ("signed_for_on", "confirmed_on") else ""


# --------------------------------------------------------------------------- detail


def _may_take(user: Any, action: Action, case: InfoRequest) -> bool:
    """A form the user may not submit is not offered (issue 17, requirement 8)."""
    return can(user, services.step_permission(action), case.organisation)


def _step_form(
    case: InfoRequest,
    action: Action,
    data: Any = None,
    days: StepDays | None = None,
    consultations: list[dict[str, Any]] | None = None,
) -> Any:
    """The form of one step, blank or bound to ``data``; a step its rule allows only
    on earlier days (``days.until``) is a 补录 form, its date asked, not defaulted."""
    if action is Action.END_CONSULTATION:
        form: Any = f.EndConsultationForm(
            data,
            consultations=services.open_consultations(case)
            if consultations is None
            else consultations,
            auto_id=_ids(action),
        )
    else:
        form = f.action_form_class(action)(data, auto_id=_ids(action))
    if days is not None and days.until is not None:
        f.backdate(form, help_text=days.help_text)
    return form


def _action_forms(
    case: InfoRequest,
    user: Any,
    bound: tuple[Action, Any] | None = None,
    unavailable: list[dict[str, Any]] | None = None,
    head_only: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """One small form per action the status allows (and the user may take), unless
    the step's own rule refuses it on this case whatever is typed
    (``steps.available_actions``): that one goes to ``unavailable`` with the reason.
    A step its rule allows only on earlier days is offered as 补录."""
    out = []
    consultations = services.open_consultations(case)
    today = timezone.localdate()
    available = steps.available_actions(case, today)
    if unavailable is not None:
        unavailable.extend(
            {"action": action, "reason": why.message}
            for action, why in available.refused
            if _may_take(user, action, case)
        )
    backdated = dict(available.backdated)
    for action in allowed_actions(case.status):
        if action not in available.offered and action not in backdated:
            continue
        if not _may_take(user, action, case):
            if head_only is not None and _told_to_ask_the_head(user, action, case):
                head_only.append(
                    {
                        "action": action,
                        "backdated": action in backdated,
                        "basis": services.HEAD_STEP_BASIS.get(action, ""),
                    }
                )
            continue
        days = backdated.get(action)
        if bound is not None and bound[0] is action:
            form = bound[1]
        else:
            form = _step_form(case, action, days=days, consultations=consultations)
        out.append(
            {
                "action": action,
                "form": form,
                "is_decision": isinstance(form, f.DecisionForm),
                "backdate_until": days.until if days is not None else None,
            }
        )
    return out


def _told_to_ask_the_head(user: Any, action: Action, case: InfoRequest) -> bool:
    """An officer of the case (who may take its other steps) is told which steps
    today are the head's, rather than finding them missing."""
    return action in services.HEAD_STEPS and can(user, Perm.EDIT, case.organisation)


def _fee_working(case: InfoRequest) -> FeeWorking | None:
    """For the fee form: the applicant's earlier applications this month (按件计收)."""
    if Action.ISSUE_FEE_NOTICE not in allowed_actions(case.status):
        return None
    return fee_assessment_for(case, method="per_piece", pieces=1)


def _ids(action: Action) -> str:
    """Element ids of one action's form: every form on the case page has a date field
    ``on`` (and several a ``reason``), so ids carry the action, and each label points to
    its own field (field names stay the same)."""
    return f"{action.value}-%s"


def _reply_needs_approval() -> bool:
    from django.conf import settings

    return bool(settings.REPLY_NEEDS_APPROVAL)


def _detail_context(
    request: HttpRequest,
    case: InfoRequest,
    *,
    bound: tuple[Action, Any] | None = None,
    revealed: dict[str, str] | None = None,
    delivery_form: tuple[int, Any] | None = None,
) -> dict[str, Any]:
    today = timezone.localdate()
    ledger = caselog.inforequest_ledger(case, today)
    events = case.events.select_related("actor").order_by("on", "id")
    letters = case.letters.order_by("issued_on", "id")
    unavailable: list[dict[str, Any]] = []
    head_only: list[dict[str, Any]] = []
    return {
        "case": case,
        "masked": inforequest_masked(case),
        "revealed": revealed or {},
        # 显示完整信息 only for whom the reveal rule allows (no form that ends in 403).
        "can_reveal": services.may_see_personal_data(request.user, case),
        "urgency": inforequest_urgency(case, today),
        "ledger": ledger,
        "ledger_text": explain_for_staff(ledger),
        "events": [
            {
                "obj": e,
                "action_label": _action_label(e.action),
                # A consultation's answer as recorded (同意 / 不同意 / 逾期未提出意见).
                "opinion_label": ConsultationOpinion.LABELS.get(
                    e.data.get("opinion", ""), ""
                ),
                "from_label": _status_label(e.from_status),
                "to_label": _status_label(e.to_status),
            }
            for e in events
        ],
        "letters": [
            {
                "obj": row,
                "form": delivery_form[1]
                if delivery_form and delivery_form[0] == row.pk
                else f.DeliveryForm(prefix=f"l{row.pk}"),
            }
            for row in letters
        ],
        "deadline_changes": case.deadline_changes.order_by("-at"),
        "unread_deadline_changes": case.deadline_changes.filter(
            acknowledged=False
        ).exists(),
        "actions": _action_forms(case, request.user, bound, unavailable, head_only),
        "unavailable_actions": unavailable,
        "head_only_actions": head_only,
        "can_edit": can(request.user, Perm.EDIT, case.organisation),
        "assign_form": f.AssignForm(
            handlers=_handlers_for(case.organisation),
            initial={"handler": case.handler_id or ""},
        ),
        "consultations": services.open_consultations(case),
        "reply_fields": _reply_fields_map(case),
        "fee_working": _fee_working(case),
        **_handover_context(request, case),
        "personal_fields": [
            ("id_number", "证件号码"),
            ("phone", "联系电话"),
            ("email", "电子邮箱"),
            ("address", "通信地址"),
        ],
    }


def _reply_fields_map(case: InfoRequest) -> dict[str, list[str]]:
    """``"<outcome>|<variant>"`` → the fields staff fill for that decision (page script):
    the reply letter's, the ground of a 部分公开's withheld part (第三十七条), and the
    reasons told to a third party that objected, when disclosing (第三十二条)."""
    objected = bool(services.consultation_objectors(case))
    out: dict[str, list[str]] = {}
    for outcome in Outcome:
        extra = ["withheld_ground"] if outcome is Outcome.PARTIAL else []
        if objected and outcome in (Outcome.GRANTED, Outcome.PARTIAL):
            extra.append("disclosure_reason")
        for variant in ReplyVariant:
            try:
                fields = letter_layer.reply_fields(outcome, variant)
            except TemplateError:
                continue
            out[f"{outcome.value}|{variant.value}"] = [*extra, *fields]
    return out


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_request(request, pk)
    return render(request, "inforequests/detail.html", _detail_context(request, case))


@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST":
        # The address bar keeps /do/<action>/ after a form with errors: going there again
        # shows the case, not the browser's own (English) "405" page.
        return redirect("inforequests:detail", pk=_get_request(request, pk).pk)
    """Take one workflow action; on an error the page comes back with the input kept."""
    case = _get_request(request, pk)
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404("未知的办理操作。") from None
    # Who may not take this step gets the plain no-permission page, before anything
    # typed is checked and before any 条例 rule (a hand-made POST of a form the page
    # did not offer them).
    if not _may_take(request.user, chosen, case):
        raise PermissionDenied("您没有办理该事项的权限。")
    days = steps.step_days(chosen, case, timezone.localdate())
    form = _step_form(case, chosen, request.POST, days=days)
    if form.is_valid():
        last_letter = case.letters.order_by("-id").values_list("id", flat=True).first()
        try:
            done = steps.perform(
                chosen, actor=request.user, request=case, data=f.action_data(form)
            )
        except ValidationError as exc:
            f.add_service_errors(form, exc)
            # A step the status no longer allows (a stale form from another tab) is
            # refused by the flow table; where the step's own rule says why it cannot
            # be taken on this case (the article, the date), say that too.
            case.refresh_from_db()
            reason = steps.unavailable(chosen, case, timezone.localdate())
            if reason and reason not in exc.messages:
                form.add_error(None, reason)
        else:
            messages.success(request, _done_message(chosen, done, form, last_letter))
            return redirect("inforequests:detail", pk=case.pk)
    case.refresh_from_db()
    context = _detail_context(request, case, bound=(chosen, form))
    context["error_action"] = chosen
    shown = any(item["action"] is chosen for item in context["actions"])
    context["refusal"] = _refusal(chosen, form, shown=shown)
    return render(request, "inforequests/detail.html", context, status=400)


# A field's message this long is not repeated in the summary at the top of the page:
# the summary names the field and links to it, the message stands under the field.
_SHORT_FIELD_ERROR = 40


def _refusal(action: Action, form: Any, *, shown: bool) -> dict[str, Any]:
    """The summary at the top of the case page after a refused step: every message
    once. The step's own refusals (not tied to a field) in full; a field's message
    in full only where the form is not on the page (the step is not possible now),
    else a link to the field (with the message when it is short)."""
    items: list[dict[str, str]] = []
    anchor = f"#act-{action.value}" if shown else ""
    for message in form.non_field_errors():
        items.append({"text": str(message), "href": anchor})
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        for message in errors:
            text = f"{label}：{message}" if label else str(message)
            if not shown or field is None or field.widget.is_hidden:
                items.append({"text": text, "href": ""})
            elif len(str(message)) <= _SHORT_FIELD_ERROR:
                items.append({"text": text, "href": f"#{form[name].id_for_label}"})
            else:
                items.append(
                    {
                        "text": f"{label}：见该栏下的说明",
                        "href": f"#{form[name].id_for_label}",
                    }
                )
    return {
        "label": action.label,
        "summary_id": f"act-{action.value}-errors",
        "items": items,
        "shown": shown,
    }


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _done_message(
    action: Action, case: InfoRequest, form: Any, last_letter: int | None
) -> str:
    """What the step did, in words: the letters it issued with their 文号, the dates
    it set, and where the case now stands (never just "操作已完成")."""
    parts = []
    letters = case.letters.filter(id__gt=last_letter or 0).order_by("id")
    for letter in letters:
        number = f"（{letter.number}）" if letter.number else ""
        parts.append(f"已出具{letter.title}{number}")
    for name, value in form.cleaned_data.items():
        label = form.fields[name].label if name in form.fields else None
        if isinstance(value, date) and name != "on" and label:
            parts.append(f"{label}至{_chinese_date(value)}")
    status = Status(case.status)
    where = f"申请现为“{status.label}”"
    if case.is_open and case.due_on is not None:
        where += f"，答复期限至{_chinese_date(case.due_on)}"
    details = "，".join(parts)
    return f"已完成“{action.label}”{'：' + details if details else ''}。{where}。"


@login_required
@require_POST
def acknowledge_deadline_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """知道了 on the notices that a calendar change moved this case's due date."""
    case = _get_request(request, pk)
    # A reader without EDIT (a supervisor) gets the Chinese 403 from require().
    services.inforequest_acknowledge_deadline_changes(actor=request.user, request=case)
    messages.success(request, "已标记为已读。")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or reverse("inforequests:detail", args=[case.pk]))


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one personal value in full (handler or office head only); audited."""
    case = _get_request(request, pk)
    form = f.RevealForm(request.POST)
    if not form.is_valid():
        raise Http404("无效的字段。")
    name = form.cleaned_data["field"]
    value = services.reveal_personal_data(
        actor=request.user, request=case, field_name=name
    )
    context = _detail_context(request, case, revealed={name: value})
    return render(request, "inforequests/detail.html", context)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_request(request, pk)
    handlers = _handlers_for(case.organisation)
    form = f.AssignForm(request.POST, handlers=handlers)
    if not form.is_valid():
        messages.error(request, "请选择有效的承办人。")
        return redirect("inforequests:detail", pk=case.pk)
    handler_id = form.cleaned_data["handler"]
    handler = None
    if handler_id:
        from django.contrib.auth import get_user_model

        handler = get_user_model().objects.get(pk=int(handler_id))
    try:
        services.inforequest_assign(actor=request.user, request=case, handler=handler)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "已更新承办人。")
    return redirect("inforequests:detail", pk=case.pk)


# --------------------------------------------------------------------------- letters


def _get_letter(request: HttpRequest, pk: int, letter_id: int) -> Letter:
    return get_scoped_or_404(
        Letter.objects.select_related("request", "request__organisation"),
        request.user,
        Perm.VIEW,
        via="request__organisation",
        pk=letter_id,
        request_id=pk,
    )


@login_required
def letter_download(
    request: HttpRequest, pk: int, letter_id: int, fmt: str
) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise Http404("不支持的文件格式。")
    row = _get_letter(request, pk, letter_id)
    letter = letter_layer.letter_from_row(row)
    if fmt == "docx":
        body = rendering.render_docx(letter)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body = rendering.render_pdf(letter)
        mime = "application/pdf"
    response = HttpResponse(body, content_type=mime)
    name = quote(rendering.download_name(row, fmt))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
@require_POST
def letter_delivery(request: HttpRequest, pk: int, letter_id: int) -> HttpResponse:
    row = _get_letter(request, pk, letter_id)
    form = f.DeliveryForm(request.POST, prefix=f"l{row.pk}")
    if form.is_valid():
        try:
            letter_layer.letter_record_delivery(
                actor=request.user,
                letter=row,
                method=form.cleaned_data["method"],
                delivered_on=form.cleaned_data["delivered_on"],
                tracking=form.cleaned_data["tracking"],
                failed=form.cleaned_data["failed"],
            )
        except ValidationError as exc:
            f.add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记“{row.title}”的送达情况。")
            return redirect("inforequests:detail", pk=pk)
    context = _detail_context(request, row.request, delivery_form=(row.pk, form))
    return render(request, "inforequests/detail.html", context, status=400)


# --------------------------------------------------------------------------- attachments


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_request(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
    else:
        try:
            inforequest_attach(actor=request.user, request=case, upload=upload)
            messages.success(request, "附件已上传。")
        except ValidationError as exc:
            _flash_errors(request, exc)
    return redirect("inforequests:detail", pk=case.pk)


@login_required
def attachment_download(
    request: HttpRequest, pk: int, attachment_id: int
) -> FileResponse:
    item = get_scoped_or_404(
        RequestAttachment.objects.select_related("request__organisation"),
        request.user,
        Perm.VIEW,
        via="request__organisation",
        pk=attachment_id,
        request_id=pk,
    )
    fileobj = inforequest_attachment_open(actor=request.user, attachment=item)
    return private_file_response(fileobj, filename=item.original_name, kind=item.kind)


# --------------------------------------------------------------------------- 转办、协办


def _handover_context(request: HttpRequest, case: InfoRequest) -> dict[str, Any]:
    bodies = body_choices(exclude=case.organisation)
    return {
        "transfers": case_transfers(case),
        "assistances": case_assistance(case),
        "transfer_form": f.TransferForm(bodies=bodies, auto_id="transfer-%s"),
        "assistance_form": f.AssistanceForm(bodies=bodies, auto_id="assistance-%s"),
    }


def _platform_body(value: Any) -> Any:
    # The other body is usually outside the user's reach: any active organisation
    # on the platform may be named; the service refuses a non-body in Chinese.
    return platform_organisation(value)


def _form_error(form: Any) -> ValidationError:
    """A form's messages as one error for the page it redirects to."""
    return ValidationError([e for errs in form.errors.values() for e in errs])


def _after(request: HttpRequest, exc: ValidationError | None, done: str) -> None:
    if exc is not None:
        _flash_errors(request, exc)
    else:
        messages.success(request, done)


@login_required
@require_POST
def transfer_propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_request(request, pk)
    form = f.TransferForm(request.POST, bodies=body_choices(exclude=None))
    error = None
    if not form.is_valid():
        error = _form_error(form)
    else:
        data = form.cleaned_data
        try:
            services.transfer_propose(
                actor=request.user,
                request=case,
                to_organisation=_platform_body(data["to_organisation"]),
                reason=data["reason"],
                on=data["on"],
            )
        except ValidationError as exc:
            error = exc
    _after(request, error, "已提出转办，等待对方机关接收。")
    return redirect("inforequests:detail", pk=case.pk)


@login_required
def transfers_pending(request: HttpRequest) -> HttpResponse:
    """待本机关接收的转办 and 待回复的协办 (the receiving body's list)."""
    return render(
        request,
        "inforequests/transfers.html",
        {
            "transfers": transfers_pending_for(request.user),
            "assistances": assistance_pending_for(request.user),
            "decline_form": f.DeclineForm(),
            "answer_form": f.AssistanceAnswerForm(),
        },
    )


def _get_transfer(request: HttpRequest, transfer_id: int) -> Transfer:
    return get_scoped_or_404(
        Transfer.objects.all(),
        request.user,
        Perm.EDIT,
        via="to_organisation",
        pk=transfer_id,
    )


@login_required
@require_POST
def transfer_accept(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _get_transfer(request, transfer_id)
    try:
        created, code = steps.accept_transfer(actor=request.user, transfer=transfer)
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("inforequests:transfers")
    messages.success(
        request,
        f"已接收转办，登记为 {created.tracking_number}，查询码 {code}"
        "（仅显示一次，请随接收回执书面告知申请人）。",
    )
    return redirect("inforequests:detail", pk=created.pk)


@login_required
@require_POST
def transfer_decline(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _get_transfer(request, transfer_id)
    form = f.DeclineForm(request.POST)
    error = None
    if not form.is_valid():
        error = _form_error(form)
    else:
        try:
            services.transfer_decline(
                actor=request.user,
                transfer=transfer,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            error = exc
    _after(request, error, "已拒绝接收该转办。")
    return redirect("inforequests:transfers")


@login_required
@require_POST
def assistance_ask(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_request(request, pk)
    form = f.AssistanceForm(request.POST, bodies=body_choices(exclude=None))
    error = None
    if not form.is_valid():
        error = _form_error(form)
    else:
        data = form.cleaned_data
        try:
            services.assistance_request(
                actor=request.user,
                request=case,
                organisation=_platform_body(data["organisation"]),
                question=data["question"],
                due_on=data["due_on"],
            )
        except ValidationError as exc:
            error = exc
    _after(request, error, "已请求协办。")
    return redirect("inforequests:detail", pk=case.pk)


@login_required
@require_POST
def assistance_answer(request: HttpRequest, assistance_id: int) -> HttpResponse:
    item = get_scoped_or_404(
        Assistance.objects.all(),
        request.user,
        Perm.EDIT,
        via="organisation",
        pk=assistance_id,
    )
    form = f.AssistanceAnswerForm(request.POST)
    error = None
    if not form.is_valid():
        error = _form_error(form)
    else:
        try:
            services.assistance_answer(
                actor=request.user,
                assistance=item,
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            error = exc
    _after(request, error, "已回复协办请求。")
    return redirect("inforequests:transfers")

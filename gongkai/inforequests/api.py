"""REST endpoints of 依申请公开: the same services (through ``letters.perform`` /
``letters.register``) as the screens. Every object goes through
``get_scoped_or_404``; errors come out in Chinese via ``gongkai.api.core``."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header, Query, Router, Schema
from ninja import Status as Reply

from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import Action, Status
from gongkai.core.workdays import WorkCalendar, explain_for_staff, ledger_to_json
from gongkai.inforequests import caselog, intake, rendering, services, steps
from gongkai.inforequests import letters as letter_layer
from gongkai.inforequests.api_schemas import (
    AssignIn,
    AssistanceAnswerIn,
    AssistanceIn,
    AssistanceOut,
    ClarificationIn,
    ConsultationIn,
    DecisionIn,
    DeclineIn,
    DelayIn,
    DeliveryIn,
    EndConsultationIn,
    EventOut,
    ExtendIn,
    FeeIn,
    LetterOut,
    ListFilters,
    ListOut,
    NoteIn,
    OnIn,
    ReasonIn,
    ReasonsIn,
    RegisteredOut,
    RegistrationIn,
    ReopenIn,
    RequestOut,
    RevealIn,
    RevealOut,
    SendReplyIn,
    TransferAcceptedOut,
    TransferIn,
    TransferOut,
)
from gongkai.inforequests.models import Assistance, InfoRequest, Letter, Transfer
from gongkai.inforequests.selectors import (
    ListFilter,
    assistance_pending_for,
    case_assistance,
    case_transfers,
    inforequest_list_filtered,
    inforequest_masked,
    inforequest_urgency,
    transfers_pending_for,
)
from gongkai.ops.idempotency import submit_once, valid_key
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, get_scoped_or_404

router = Router(tags=["依申请公开"])


# --------------------------------------------------------------------------- helpers


def _out(
    request: InfoRequest,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
    memo: dict[Any, Any] | None = None,
) -> dict[str, Any]:
    today = today or timezone.localdate()
    urgency = inforequest_urgency(request, today, calendar)
    hidden = inforequest_masked(request)
    available = steps.available_actions(request, today, calendar, memo)
    return {
        "id": request.pk,
        "organisation_id": request.organisation_id,
        "handed_in_at_id": request.handed_in_at_id,
        "handed_in_at_name": request.handed_in_at.name
        if request.handed_in_at_id and request.handed_in_at
        else "",
        "tracking_number": request.tracking_number,
        "channel": request.channel,
        "submitted_on": request.submitted_on,
        "received_on": request.received_on,
        "applicant_type": request.applicant_type,
        "applicant_name": request.applicant_name,
        "id_type": request.id_type,
        **hidden,
        "description": request.description,
        "status": request.status,
        "status_label": Status(request.status).label,
        "handler_id": request.handler_id,
        "outcome": request.outcome,
        "due_on": request.due_on,
        "due_provisional": request.due_provisional,
        "overdue": urgency.key == "overdue",
        "urgency": urgency.key,
        "urgency_label": urgency.label,
        "concluded_on": request.concluded_on,
        "allowed_actions": [a.value for a in available.offered],
        # The steps the 条例 allows only on an earlier day (§1a): they may be
        # recorded (补录) with ``on`` no later than ``possible_until``, as the case
        # page's 补录 form; a later date is refused in the words of ``reason``.
        "backdated_actions": [
            {
                "action": a.value,
                "label": a.label,
                "reason": days.later.message if days.later else "",
                "article": days.later.article if days.later else "",
                "possible_until": days.until,
            }
            for a, days in available.backdated
        ],
        # The steps the status allows but the 条例 refuses whatever is sent (§1a):
        # the case page's "目前不能办理" list, with the same reason.
        "unavailable_actions": [
            {
                "action": a.value,
                "label": a.label,
                "reason": why.message,
                "article": why.article,
                "possible_from": why.possible_from,
            }
            for a, why in available.refused
        ],
    }


def _get(request: HttpRequest, request_id: int) -> InfoRequest:
    return get_scoped_or_404(
        InfoRequest.objects.select_related("organisation"),
        request.user,
        Perm.VIEW,
        pk=request_id,
    )


def _get_letter(request: HttpRequest, request_id: int, letter_id: int) -> Letter:
    return get_scoped_or_404(
        Letter.objects.select_related("request"),
        request.user,
        Perm.VIEW,
        via="request__organisation",
        pk=letter_id,
        request_id=request_id,
    )


def _perform(
    request: HttpRequest, request_id: int, action: Action, body: Schema | None
) -> dict[str, Any]:
    case = _get(request, request_id)
    data = body.dict() if body is not None else {}
    updated = steps.perform(action, actor=request.user, request=case, data=data)
    return _out(updated)


def _letter_out(row: Letter) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "title": row.title,
        "number": row.number,
        "issued_on": row.issued_on,
        "status": row.status,
        "delivery_method": row.delivery_method,
        "delivery_tracking": row.delivery_tracking,
        "delivered_on": row.delivered_on,
        "paragraphs": list(row.content.get("paragraphs", [])),
    }


# --------------------------------------------------------------------------- intake, reads


@router.post(
    "/",
    response={201: RegisteredOut},
    summary="登记申请（生成接收回执）",
    description="可带请求头 Idempotency-Key（16–100 位字母、数字、- 或 _，每份申请新生成一个）："
    "同一账号以同一键再次提交（例如超时后重试）时，返回首次登记的结果（含查询码），"
    "不会登记第二份申请。",
)
def request_register(
    request: HttpRequest,
    payload: RegistrationIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Reply[Any]:
    data = payload.dict()
    org_id = data.pop("organisation_id")
    organisation = get_scoped_or_404(
        Organisation.objects.all(), request.user, Perm.VIEW, via="self", pk=org_id
    )
    if idempotency_key is not None and not valid_key(idempotency_key):
        raise ValidationError(
            "请求头 Idempotency-Key 应为 16–100 位字母、数字、- 或 _。"
        )

    def create() -> dict[str, Any]:
        created, code, receipt = letter_layer.register(
            actor=request.user,
            organisation=organisation,
            registration=intake.Registration(**data),
        )
        return {"pk": created.pk, "query_code": code, "receipt_letter_id": receipt.pk}

    if idempotency_key:
        result, _first = submit_once(
            f"api_register:{request.user.pk}", idempotency_key, create
        )
    else:
        result = create()
    case = InfoRequest.objects.get(pk=result["pk"])
    return Reply(
        201,
        {
            "request": _out(case),
            "query_code": result["query_code"],
            "receipt_letter_id": result["receipt_letter_id"],
        },
    )


@router.get("/", response=ListOut, summary="申请列表（按期限排序，个人信息已隐藏部分）")
def request_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    org = None
    if filters.organisation_id is not None:
        org = get_scoped_or_404(
            Organisation.objects.all(),
            request.user,
            Perm.VIEW,
            via="self",
            pk=filters.organisation_id,
        )
    today = timezone.localdate()
    calendar = work_calendar()
    qs: QuerySet[InfoRequest] = inforequest_list_filtered(
        request.user,
        org,
        ListFilter(
            status=filters.status,
            urgency=filters.urgency,
            year=filters.year,
            q=filters.q,
        ),
        today,
        calendar,
    )
    size = max(1, min(filters.limit, 200))
    start = max(0, filters.offset)
    memo: dict[Any, Any] = {}  # an organisation's settings, read once for the page
    return {
        "count": qs.count(),
        "items": [
            _out(r, today, calendar, memo)
            # The events: read once for the page, by the steps' preconditions.
            for r in qs.prefetch_related("events")[start : start + size]
        ],
    }


@router.get(
    "/{request_id}", response=RequestOut, summary="申请详情（个人信息已隐藏部分）"
)
def request_read(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _out(_get(request, request_id))


@router.get("/{request_id}/ledger", summary="期限台账（JSON，含中文说明）")
def request_ledger(request: HttpRequest, request_id: int) -> dict[str, Any]:
    case = _get(request, request_id)
    ledger = caselog.inforequest_ledger(case, timezone.localdate())
    return {"ledger": ledger_to_json(ledger), "explanation": explain_for_staff(ledger)}


@router.get("/{request_id}/events", response=list[EventOut], summary="办理记录")
def request_events(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    case = _get(request, request_id)
    return [
        {
            "on": e.on,
            "at": e.at,
            "actor": e.actor.display_name if e.actor else "",
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "data": e.data,
        }
        for e in case.events.select_related("actor").order_by("on", "id")
    ]


@router.post(
    "/{request_id}/reveal", response=RevealOut, summary="查看完整个人信息（审计）"
)
def request_reveal(
    request: HttpRequest, request_id: int, payload: RevealIn
) -> dict[str, str]:
    case = _get(request, request_id)
    value = services.reveal_personal_data(
        actor=request.user, request=case, field_name=payload.field
    )
    return {"field": payload.field, "value": value}


@router.post("/{request_id}/assign", response=RequestOut, summary="指定承办人")
def request_assign(
    request: HttpRequest, request_id: int, payload: AssignIn
) -> dict[str, Any]:
    case = _get(request, request_id)
    handler = None
    if payload.handler_id is not None:
        from django.contrib.auth import get_user_model

        handler = get_user_model().objects.filter(pk=payload.handler_id).first()
        if handler is None:
            raise ValidationError({"handler": "未找到该用户。"})
    return _out(
        services.inforequest_assign(actor=request.user, request=case, handler=handler)
    )


# --------------------------------------------------------------------------- actions


@router.post("/{request_id}/accept", response=RequestOut, summary="审核通过，转入办理")
def request_accept(request: HttpRequest, request_id: int, payload: OnIn) -> Any:
    return _perform(request, request_id, Action.ACCEPT, payload)


@router.post(
    "/{request_id}/clarification",
    response=RequestOut,
    summary="一次性告知补正（生成补正告知书）",
)
def request_clarification(
    request: HttpRequest, request_id: int, payload: ClarificationIn
) -> Any:
    return _perform(request, request_id, Action.REQUEST_CLARIFICATION, payload)


@router.post(
    "/{request_id}/clarification/received", response=RequestOut, summary="收到补正申请"
)
def request_clarification_received(
    request: HttpRequest, request_id: int, payload: OnIn
) -> Any:
    return _perform(request, request_id, Action.RECEIVE_CLARIFICATION, payload)


@router.post(
    "/{request_id}/clarification/expired",
    response=RequestOut,
    summary="逾期未补正（办结，生成终止处理告知书）",
)
def request_clarification_expired(
    request: HttpRequest, request_id: int, payload: OnIn
) -> Any:
    return _perform(request, request_id, Action.EXPIRE_CLARIFICATION, payload)


@router.post(
    "/{request_id}/extension",
    response=RequestOut,
    summary="延长答复期限（负责人，生成延期告知书）",
)
def request_extend(request: HttpRequest, request_id: int, payload: ExtendIn) -> Any:
    return _perform(request, request_id, Action.EXTEND, payload)


@router.post(
    "/{request_id}/consultations",
    response=RequestOut,
    summary="征求意见（生成征求意见书/协商函）",
)
def request_consult(
    request: HttpRequest, request_id: int, payload: ConsultationIn
) -> Any:
    return _perform(request, request_id, Action.START_CONSULTATION, payload)


@router.post(
    "/{request_id}/consultations/end", response=RequestOut, summary="征求意见结束"
)
def request_consult_end(
    request: HttpRequest, request_id: int, payload: EndConsultationIn
) -> Any:
    return _perform(request, request_id, Action.END_CONSULTATION, payload)


@router.post(
    "/{request_id}/fee-notice",
    response=RequestOut,
    summary="发出收费通知（生成收费通知书）",
)
def request_fee_notice(request: HttpRequest, request_id: int, payload: FeeIn) -> Any:
    return _perform(request, request_id, Action.ISSUE_FEE_NOTICE, payload)


@router.post("/{request_id}/payment", response=RequestOut, summary="登记缴费")
def request_payment(request: HttpRequest, request_id: int, payload: OnIn) -> Any:
    return _perform(request, request_id, Action.RECORD_PAYMENT, payload)


@router.post(
    "/{request_id}/fee-expired", response=RequestOut, summary="逾期未缴费（办结）"
)
def request_fee_expired(request: HttpRequest, request_id: int, payload: OnIn) -> Any:
    return _perform(request, request_id, Action.EXPIRE_FEE, payload)


@router.post(
    "/{request_id}/decision",
    response=RequestOut,
    summary="作出处理决定（生成答复告知书）",
)
def request_decide(request: HttpRequest, request_id: int, payload: DecisionIn) -> Any:
    return _perform(request, request_id, Action.DECIDE, payload)


@router.post(
    "/{request_id}/on-the-spot",
    response=RequestOut,
    summary="当场答复（生成答复告知书）",
)
def request_on_the_spot(
    request: HttpRequest, request_id: int, payload: DecisionIn
) -> Any:
    return _perform(request, request_id, Action.ANSWER_ON_THE_SPOT, payload)


@router.post("/{request_id}/reply", response=RequestOut, summary="送达答复")
def request_reply(request: HttpRequest, request_id: int, payload: SendReplyIn) -> Any:
    return _perform(request, request_id, Action.SEND_REPLY, payload)


@router.post("/{request_id}/withdrawal", response=RequestOut, summary="申请人撤回申请")
def request_withdraw(request: HttpRequest, request_id: int, payload: NoteIn) -> Any:
    return _perform(request, request_id, Action.WITHDRAW, payload)


@router.post(
    "/{request_id}/reasons",
    response=RequestOut,
    summary="要求说明理由（第三十五条，生成告知书）",
)
def request_ask_reasons(
    request: HttpRequest, request_id: int, payload: ReasonsIn
) -> Any:
    return _perform(request, request_id, Action.ASK_REASONS, payload)


@router.post(
    "/{request_id}/reasons/accepted", response=RequestOut, summary="理由合理，继续办理"
)
def request_accept_reasons(request: HttpRequest, request_id: int, payload: OnIn) -> Any:
    return _perform(request, request_id, Action.ACCEPT_REASONS, payload)


@router.post(
    "/{request_id}/delay",
    response=RequestOut,
    summary="确定延迟答复期限（负责人，生成告知书）",
)
def request_agree_delay(request: HttpRequest, request_id: int, payload: DelayIn) -> Any:
    return _perform(request, request_id, Action.AGREE_DELAY, payload)


@router.post(
    "/{request_id}/excessive", response=RequestOut, summary="理由不合理，不予处理"
)
def request_reject_excessive(
    request: HttpRequest, request_id: int, payload: NoteIn
) -> Any:
    return _perform(request, request_id, Action.REJECT_AS_EXCESSIVE, payload)


@router.post(
    "/{request_id}/fee-waiver", response=RequestOut, summary="决定不收费（负责人）"
)
def request_waive_fee(request: HttpRequest, request_id: int, payload: ReasonIn) -> Any:
    return _perform(request, request_id, Action.WAIVE_FEE, payload)


@router.post(
    "/{request_id}/revision", response=RequestOut, summary="退回修改决定（负责人）"
)
def request_revise(request: HttpRequest, request_id: int, payload: ReasonIn) -> Any:
    return _perform(request, request_id, Action.REVISE_DECISION, payload)


@router.post("/{request_id}/archive", response=RequestOut, summary="归档")
def request_archive(request: HttpRequest, request_id: int, payload: OnIn) -> Any:
    return _perform(request, request_id, Action.ARCHIVE, payload)


@router.post(
    "/{request_id}/reopen",
    response=RequestOut,
    summary="依复议决定或判决重新办理（责令重新答复）",
)
def request_reopen(request: HttpRequest, request_id: int, payload: ReopenIn) -> Any:
    return _perform(request, request_id, Action.REOPEN, payload)


# --------------------------------------------------------------------------- letters


@router.get("/{request_id}/letters", response=list[LetterOut], summary="文书列表")
def letter_list(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    case = _get(request, request_id)
    return [_letter_out(row) for row in case.letters.order_by("issued_on", "id")]


@router.get(
    "/{request_id}/letters/{letter_id}.{fmt}", summary="下载文书（docx 或 pdf）"
)
def letter_download(
    request: HttpRequest, request_id: int, letter_id: int, fmt: str
) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise Http404("不支持的文件格式。")
    row = _get_letter(request, request_id, letter_id)
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


@router.post(
    "/{request_id}/letters/{letter_id}/delivery", response=LetterOut, summary="登记送达"
)
def letter_delivery(
    request: HttpRequest, request_id: int, letter_id: int, payload: DeliveryIn
) -> dict[str, Any]:
    row = _get_letter(request, request_id, letter_id)
    updated = letter_layer.letter_record_delivery(
        actor=request.user,
        letter=row,
        method=payload.method,
        delivered_on=payload.delivered_on,
        tracking=payload.tracking,
        failed=payload.failed,
    )
    return _letter_out(updated)


# --------------------------------------------------------------------------- 转办、协办


def _transfer_out(row: Transfer) -> dict[str, Any]:
    return {
        "id": row.pk,
        "status": row.status,
        "from_request_id": row.from_request_id,
        "from_tracking_number": row.from_request.tracking_number,
        "from_organisation_name": row.from_request.organisation.name,
        "to_organisation_id": row.to_organisation_id,
        "to_organisation_name": row.to_organisation.name,
        "to_request_id": row.to_request_id,
        "to_tracking_number": row.to_request.tracking_number if row.to_request else "",
        "reason": row.reason,
        "proposed_on": row.proposed_on,
        "decided_on": row.decided_on,
        "decline_reason": row.decline_reason,
    }


def _assistance_out(row: Assistance) -> dict[str, Any]:
    return {
        "id": row.pk,
        "request_id": row.request_id,
        "tracking_number": row.request.tracking_number,
        "organisation_id": row.organisation_id,
        "organisation_name": row.organisation.name,
        "question": row.question,
        "asked_on": row.asked_on,
        "due_on": row.due_on,
        "answer": row.answer,
        "answered_on": row.answered_on,
    }


def _platform_body(org_id: int) -> Organisation | None:
    # The other body is usually outside the user's reach: any active organisation
    # on the platform may be named; the service refuses a non-body in Chinese.
    return Organisation.objects.filter(pk=org_id, is_active=True).first()


@router.get(
    "/transfers/pending", response=list[TransferOut], summary="待本机关接收的转办"
)
def transfer_pending(request: HttpRequest) -> list[dict[str, Any]]:
    return [_transfer_out(row) for row in transfers_pending_for(request.user)]


@router.get("/{request_id}/transfers", response=list[TransferOut], summary="转办记录")
def transfer_list(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    return [_transfer_out(row) for row in case_transfers(_get(request, request_id))]


@router.post(
    "/{request_id}/transfers",
    response={201: TransferOut},
    summary="提出转办（对方同意后本申请按第三十六条第（五）项告知办结）",
)
def transfer_propose(
    request: HttpRequest, request_id: int, payload: TransferIn
) -> Reply[Any]:
    row = services.transfer_propose(
        actor=request.user,
        request=_get(request, request_id),
        to_organisation=_platform_body(payload.to_organisation_id),
        reason=payload.reason,
        on=payload.on,
    )
    return Reply(201, _transfer_out(row))


def _get_transfer(request: HttpRequest, transfer_id: int) -> Transfer:
    return get_scoped_or_404(
        Transfer.objects.select_related("from_request__organisation"),
        request.user,
        Perm.EDIT,
        via="to_organisation",
        pk=transfer_id,
    )


@router.post(
    "/transfers/{transfer_id}/accept",
    response=TransferAcceptedOut,
    summary="接收转办（本机关登记新申请，收到申请之日为接收之日）",
)
def transfer_accept(
    request: HttpRequest, transfer_id: int, payload: OnIn
) -> dict[str, Any]:
    row = _get_transfer(request, transfer_id)
    created, code = steps.accept_transfer(
        actor=request.user, transfer=row, on=payload.on
    )
    row.refresh_from_db()
    return {
        "transfer": _transfer_out(row),
        "request": _out(created),
        "query_code": code,
    }


@router.post(
    "/transfers/{transfer_id}/decline", response=TransferOut, summary="不接收转办"
)
def transfer_decline(
    request: HttpRequest, transfer_id: int, payload: DeclineIn
) -> dict[str, Any]:
    row = services.transfer_decline(
        actor=request.user,
        transfer=_get_transfer(request, transfer_id),
        reason=payload.reason,
        on=payload.on,
    )
    return _transfer_out(row)


@router.get(
    "/assistance/pending", response=list[AssistanceOut], summary="待本机关回复的协办"
)
def assistance_pending(request: HttpRequest) -> list[dict[str, Any]]:
    return [_assistance_out(row) for row in assistance_pending_for(request.user)]


@router.get(
    "/{request_id}/assistance", response=list[AssistanceOut], summary="协办记录"
)
def assistance_list(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    return [_assistance_out(r) for r in case_assistance(_get(request, request_id))]


@router.post(
    "/{request_id}/assistance", response={201: AssistanceOut}, summary="请求协办"
)
def assistance_ask(
    request: HttpRequest, request_id: int, payload: AssistanceIn
) -> Reply[Any]:
    row = services.assistance_request(
        actor=request.user,
        request=_get(request, request_id),
        organisation=_platform_body(payload.organisation_id),
        question=payload.question,
        due_on=payload.due_on,
        on=payload.on,
    )
    return Reply(201, _assistance_out(row))


@router.post(
    "/assistance/{assistance_id}/answer",
    response=AssistanceOut,
    summary="回复协办请求",
)
def assistance_reply(
    request: HttpRequest, assistance_id: int, payload: AssistanceAnswerIn
) -> dict[str, Any]:
    row = get_scoped_or_404(
        Assistance.objects.select_related("request"),
        request.user,
        Perm.EDIT,
        via="organisation",
        pk=assistance_id,
    )
    row = services.assistance_answer(
        actor=request.user, assistance=row, answer=payload.answer, on=payload.on
    )
    return _assistance_out(row)

"""REST endpoints of 复议、诉讼 cases: the same services as the screens. Every object
goes through ``get_scoped_or_404``; errors come out in Chinese via ``gongkai.api.core``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile

from gongkai.appeals import services
from gongkai.appeals.models import Appeal
from gongkai.appeals.selectors import appeal_list, appeal_requests_by_number
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, get_scoped_or_404

router = Router(tags=["复议、诉讼"])


class AppealIn(Schema):
    organisation_id: int
    kind: str
    filed_on: date
    case_number: str = ""
    tracking_numbers: list[str] = []
    matter: str = ""
    applicant: str = ""
    authority: str = ""
    received_on: date | None = None
    note: str = ""


class ReplyIn(Schema):
    replied_on: date


class DecisionIn(Schema):
    decided_on: date
    result: str
    correction: str = ""
    delivered_on: date | None = None


class AppealOut(Schema):
    id: int
    organisation_id: int
    kind: str
    case_number: str
    applicant: str
    authority: str
    tracking_numbers: list[str]
    matter: str
    filed_on: date
    received_on: date | None
    reply_due_on: date | None
    replied_on: date | None
    decided_on: date | None
    delivered_on: date | None
    result: str
    correction: str
    documents: list[dict[str, Any]]


class DocumentOut(Schema):
    id: int
    role: str
    original_name: str
    size: int
    sha256: str


def _out(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "organisation_id": appeal.organisation_id,
        "kind": appeal.kind,
        "case_number": appeal.case_number,
        "applicant": appeal.applicant,
        "authority": appeal.authority,
        "tracking_numbers": [r.tracking_number for r in appeal.requests.all()],
        "matter": appeal.matter,
        "filed_on": appeal.filed_on,
        "received_on": appeal.received_on,
        "reply_due_on": appeal.reply_due_on,
        "replied_on": appeal.replied_on,
        "decided_on": appeal.decided_on,
        "delivered_on": appeal.delivered_on,
        "result": appeal.result,
        "correction": appeal.correction,
        "documents": [
            {"id": d.pk, "role": d.role, "name": d.original_name}
            for d in appeal.documents.all()
        ],
    }


def _get(request: HttpRequest, appeal_id: int) -> Appeal:
    return get_scoped_or_404(
        Appeal.objects.select_related("organisation"),
        request.user,
        Perm.VIEW,
        pk=appeal_id,
    )


@router.get("/", response=list[AppealOut], summary="复议、诉讼案件列表")
def appeals_list(
    request: HttpRequest, organisation_id: int | None = None
) -> list[dict[str, Any]]:
    org = None
    if organisation_id is not None:
        org = get_scoped_or_404(
            Organisation.objects.all(),
            request.user,
            Perm.VIEW,
            via="self",
            pk=organisation_id,
        )
    return [_out(a) for a in appeal_list(request.user, org)[:500]]


@router.post("/", response={201: AppealOut}, summary="登记复议/诉讼案件")
def appeal_register(request: HttpRequest, payload: AppealIn) -> Reply[Any]:
    if not Organisation.objects.filter(pk=payload.organisation_id).exists():
        raise ValidationError("被申请/被诉机关不在本平台，不能登记。")
    organisation = get_scoped_or_404(
        Organisation.objects.all(),
        request.user,
        Perm.VIEW,
        via="self",
        pk=payload.organisation_id,
    )
    linked = appeal_requests_by_number(request.user, payload.tracking_numbers)
    appeal = services.appeal_register(
        actor=request.user,
        organisation=organisation,
        kind=payload.kind,
        filed_on=payload.filed_on,
        case_number=payload.case_number,
        requests=linked,
        matter=payload.matter,
        applicant=payload.applicant,
        authority=payload.authority,
        received_on=payload.received_on,
        note=payload.note,
    )
    return Reply(201, _out(appeal))


@router.get("/{appeal_id}", response=AppealOut, summary="案件详情")
def appeal_detail(request: HttpRequest, appeal_id: int) -> dict[str, Any]:
    return _out(_get(request, appeal_id))


@router.post("/{appeal_id}/reply", response=AppealOut, summary="登记答复/答辩日期")
def appeal_reply(
    request: HttpRequest, appeal_id: int, payload: ReplyIn
) -> dict[str, Any]:
    appeal = services.appeal_record_reply(
        actor=request.user,
        appeal=_get(request, appeal_id),
        replied_on=payload.replied_on,
    )
    return _out(appeal)


@router.post("/{appeal_id}/decision", response=AppealOut, summary="登记决定/判决结果")
def appeal_decision(
    request: HttpRequest, appeal_id: int, payload: DecisionIn
) -> dict[str, Any]:
    appeal = services.appeal_decide(
        actor=request.user,
        appeal=_get(request, appeal_id),
        decided_on=payload.decided_on,
        result=payload.result,
        correction=payload.correction,
        delivered_on=payload.delivered_on,
    )
    return _out(appeal)


@router.post(
    "/{appeal_id}/documents", response={201: DocumentOut}, summary="上传案件材料"
)
def appeal_document(
    request: HttpRequest,
    appeal_id: int,
    role: Form[str],
    file: File[UploadedFile],
) -> Reply[Any]:
    document = services.appeal_attach(
        actor=request.user, appeal=_get(request, appeal_id), role=role, upload=file
    )
    return Reply(
        201,
        {
            "id": document.pk,
            "role": document.role,
            "original_name": document.original_name,
            "size": document.size,
            "sha256": document.sha256,
        },
    )

"""Writes of 行政复议/诉讼 cases: each checks the permission, refuses bad input with a
Chinese ``ValidationError`` (nothing saved) and appends an audit row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.appeals.models import Appeal, AppealDocument
from gongkai.audit.services import audit_record
from gongkai.calendars.selectors import work_calendar
from gongkai.core.appeal_deadlines import reply_due
from gongkai.core.inforequest_intake import REGULATION_IN_FORCE
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services import inforequest_reopen
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.security.files import open_private_file, store_private_file
from gongkai.security.uploads import KINDS, validate_upload

MAX_DOCUMENTS = 20
DOCUMENT_KINDS = frozenset({"pdf", "jpg", "png", "doc", "docx"})


def _linked_requests(
    organisation: Organisation, requests: Iterable[InfoRequest]
) -> list[InfoRequest]:
    linked = list(requests)
    for item in linked:
        if item.organisation_id != organisation.pk:
            raise ValidationError(
                {"requests": f"申请 {item.tracking_number} 不属于本机关，不能关联。"}
            )
    return linked


def _due(kind: str, received_on: date | None) -> date | None:
    return reply_due(kind, received_on, work_calendar()) if received_on else None


@transaction.atomic
def appeal_register(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    filed_on: date,
    case_number: str = "",
    request: Any = None,
    requests: Iterable[InfoRequest] = (),
    matter: str = "",
    applicant: str = "",
    authority: str = "",
    received_on: date | None = None,
    note: str = "",
) -> Appeal:
    """Enter a case; the reply due date follows from its kind and ``received_on``."""
    if actor is not None:
        require(actor, Perm.EDIT, organisation)
    if kind not in Appeal.Kind.values:
        raise ValidationError({"kind": "请选择案件类型（行政复议或行政诉讼）。"})
    linked = _linked_requests(
        organisation, [*requests, *([request] if request is not None else [])]
    )
    if received_on is not None and received_on < filed_on:
        raise ValidationError({"received_on": "收到副本的日期不能早于立案/受理日期。"})
    today = timezone.localdate()
    if filed_on > today or (received_on is not None and received_on > today):
        raise ValidationError({"filed_on": "日期不能晚于今天。"})
    if filed_on < REGULATION_IN_FORCE:
        raise ValidationError(
            {
                "filed_on": "立案/受理日期早于《中华人民共和国政府信息公开条例》"
                "施行之日（2008年5月1日），请核对。"
            }
        )
    appeal = Appeal.objects.create(
        organisation=organisation,
        kind=kind,
        filed_on=filed_on,
        case_number=case_number.strip(),
        request=linked[0] if linked else None,
        matter=matter.strip(),
        applicant=applicant.strip(),
        authority=authority.strip(),
        received_on=received_on,
        reply_due_on=_due(kind, received_on),
        note=note,
    )
    if linked:
        appeal.requests.set(linked)
    audit_record(
        action="appeal.register",
        actor=actor,
        organisation=organisation,
        obj=appeal,
        details={"kind": kind, "requests": [r.pk for r in linked]},
    )
    return appeal


@transaction.atomic
def appeal_record_reply(*, actor: Actor, appeal: Appeal, replied_on: date) -> Appeal:
    """The day the body handed in its 书面答复 / 答辩状."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    require(actor, Perm.EDIT, appeal.organisation)
    if replied_on < appeal.filed_on:
        raise ValidationError({"replied_on": "答复/答辩日期不能早于立案/受理日期。"})
    appeal.replied_on = replied_on
    appeal.save(update_fields=["replied_on"])
    audit_record(
        action="appeal.reply",
        actor=actor,
        organisation=appeal.organisation,
        obj=appeal,
        details={"replied_on": replied_on.isoformat()},
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: Actor,
    appeal: Appeal,
    decided_on: date,
    result: str,
    correction: str = "",
    delivered_on: date | None = None,
) -> Appeal:
    """Record the 决定/判决 (or change a recorded one: the records change, a published
    report only through a report correction)."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if actor is not None:
        require(actor, Perm.EDIT, appeal.organisation)
    if result not in Appeal.Result.values:
        raise ValidationError({"result": "请选择结果（维持、纠正或其他）。"})
    if result == Appeal.Result.CORRECTED and correction not in Appeal.Correction.values:
        raise ValidationError(
            {"correction": "结果为纠正时，请选择纠正方式（撤销、变更、确认违法等）。"}
        )
    if result != Appeal.Result.CORRECTED:
        correction = ""
    if decided_on < appeal.filed_on:
        raise ValidationError({"decided_on": "审结日期不能早于立案日期。"})
    if delivered_on is not None and delivered_on < decided_on:
        raise ValidationError({"delivered_on": "送达日期不能早于审结日期。"})
    before = {
        "decided_on": appeal.decided_on.isoformat() if appeal.decided_on else "",
        "result": appeal.result,
        "correction": appeal.correction,
    }
    appeal.decided_on, appeal.result = decided_on, result
    appeal.correction, appeal.delivered_on = correction, delivered_on
    appeal.save(update_fields=["decided_on", "result", "correction", "delivered_on"])
    audit_record(
        action="appeal.decide",
        actor=actor,
        organisation=appeal.organisation,
        obj=appeal,
        details={"result": result, "correction": correction, "before": before},
    )
    if correction == Appeal.Correction.ORDERED_TO_REANSWER:
        _reopen_linked(actor, appeal)
    return appeal


def _reopen_linked(actor: Actor, appeal: Appeal) -> None:
    """责令重新答复: each linked application is handled again, its new period running
    from the day the decision was delivered (inside this transaction)."""
    if appeal.delivered_on is None or appeal.decided_on is None:
        raise ValidationError(
            {
                "delivered_on": "责令重新答复的，请填写决定/判决送达日期（重新答复期限自送达起算）。"
            }
        )
    for item in appeal.requests.all():
        inforequest_reopen(
            actor=actor,
            request=item,
            decided_on=appeal.decided_on,
            delivered_on=appeal.delivered_on,
            appeal_ref=appeal.case_number or f"#{appeal.pk}",
        )


@transaction.atomic
def appeal_attach(
    *, actor: Actor, appeal: Appeal, role: str, upload: Any
) -> AppealDocument:
    """Store one file of the case, checked by the shared upload validator."""
    require(actor, Perm.EDIT, appeal.organisation)
    if role not in AppealDocument.Role.values:
        raise ValidationError({"role": "请选择材料类型。"})
    if appeal.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(f"每件案件最多上传 {MAX_DOCUMENTS} 个材料。")
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    checked = validate_upload(upload, kinds=DOCUMENT_KINDS & KINDS.keys(), name=name)
    document = AppealDocument(
        appeal=appeal,
        role=role,
        original_name=name[:200],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=stored_user(actor),
    )
    # Encrypted at rest with the field key ring, mode 600 (gongkai/security/files.py).
    document.file.name = store_private_file(upload, folder="appeals", ext=checked.kind)
    document.save()
    audit_record(
        action="appeal.attach",
        actor=actor,
        organisation=appeal.organisation,
        obj=appeal,
        details={"role": role, "name": name, "sha256": checked.sha256},
    )
    return document


def appeal_document_open(*, actor: Actor, document: AppealDocument) -> Any:
    """Open one file of the case for download (decrypted here, after the caller's
    reach check); every download is audited."""
    appeal = document.appeal
    require(actor, Perm.VIEW, appeal.organisation)
    audit_record(
        action="appeal.document.download",
        actor=actor,
        organisation=appeal.organisation,
        obj=appeal,
        details={"document": document.pk, "name": document.original_name},
    )
    return open_private_file(document.file)

"""Files handed in with an application: checked by the shared upload validator."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record, audit_reveal
from gongkai.inforequests.models import InfoRequest, RequestAttachment
from gongkai.inforequests.services import may_see_personal_data
from gongkai.orgs.permissions import Perm, require
from gongkai.security.files import open_private_file, store_private_file
from gongkai.security.uploads import KINDS, validate_upload

MAX_ATTACHMENTS = 10
# Identity documents and supporting papers: scans, photos and office documents.
ATTACHMENT_KINDS = frozenset({"pdf", "jpg", "png", "doc", "docx"})


@transaction.atomic
def inforequest_attach(
    *, actor: Actor, request: InfoRequest, upload: Any, from_portal: bool = False
) -> RequestAttachment:
    """Store one file of an application (the applicant's own upload, or staff's scan)."""
    if not from_portal:
        require(actor, Perm.EDIT, request.organisation)
    if request.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(f"每件申请最多上传 {MAX_ATTACHMENTS} 个附件。")
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    checked = validate_upload(upload, kinds=ATTACHMENT_KINDS & KINDS.keys(), name=name)
    attachment = RequestAttachment(
        request=request,
        original_name=name[:200],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=stored_user(actor),
    )
    # Encrypted at rest with the field key ring, mode 600 (gongkai/security/files.py).
    attachment.file.name = store_private_file(
        upload, folder="requests", ext=checked.kind
    )
    attachment.save()
    audit_record(
        action="inforequest.attach",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={"name": name, "size": checked.size, "sha256": checked.sha256},
    )
    return attachment


def inforequest_attachment_open(*, actor: Actor, attachment: RequestAttachment) -> Any:
    """Open one file of an application for download: identity documents and the like
    follow the reveal rule (the handler or the office head). Every attempt is
    audited, refused ones too. The caller has already checked the case is in reach."""
    case = attachment.request
    return audit_reveal(
        action="inforequest.attachment.download",
        actor=actor,
        organisation=case.organisation,
        obj=case,
        allowed=may_see_personal_data(actor, case),
        refusal="只有承办人和负责人可以下载申请的附件（可能含身份证明等个人信息）。",
        value=lambda: open_private_file(attachment.file),
        details={"attachment": attachment.pk, "name": attachment.original_name},
    )

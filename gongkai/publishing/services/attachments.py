"""Attachments: uploads checked by the shared validator and stored privately."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.publication_flow import LIVE_STATUSES, Status
from gongkai.orgs.permissions import Perm, require
from gongkai.privacy.selectors import REFUSAL_BASIS, attachment_blockers
from gongkai.publishing.models import Attachment, Publication
from gongkai.publishing.services._common import _event, _lock
from gongkai.security.uploads import DEFAULT_KINDS, validate_upload

# Lists are often published as CSV or plain text too (issue 25 reads and masks both).
ATTACHMENT_KINDS = DEFAULT_KINDS | {"csv", "txt"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "GONGKAI_PUBLISHING_MAX_UPLOAD_MB", 20)) * 1048576


@transaction.atomic
def attachment_add(
    *, actor: Actor, publication: Publication, upload: UploadedFile
) -> Attachment:
    """Store an upload privately (MEDIA_ROOT/publishing/…) after the shared check:
    size, type by content (a renamed executable is refused), optional ClamAV."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    name = (upload.name or "").rsplit("/", 1)[-1]
    checked = validate_upload(
        upload, max_bytes=max_upload_bytes(), name=name, kinds=ATTACHMENT_KINDS
    )
    attachment = Attachment(
        publication=pub,
        original_name=name[:200],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=stored_user(actor),
    )
    # A random stored name: the original name never reaches the file system.
    attachment.file.save(f"{secrets.token_hex(12)}.{checked.kind}", upload, save=False)
    attachment.save()
    if pub.status in (*LIVE_STATUSES, Status.SCHEDULED):
        # The file would be online without another review: check it now (issue 25).
        blockers = attachment_blockers(pub, attachment)
        if blockers:
            what = "、".join(
                dict.fromkeys(
                    b.finding.masked
                    if b.finding.kind == "unreadable"
                    else b.finding.label
                    for b in blockers
                )
            )
            attachment.file.delete(save=False)
            raise ValidationError(
                f"附件“{name}”含有个人信息或无法读取（{what}），不能直接添加到"
                f"已发布或定时发布的信息。依照{REFUSAL_BASIS}，"
                "请上传遮蔽后的文件，或撤回（取消定时）后重新送审。"
            )
    audit_record(
        action="publishing.attachment.add",
        actor=actor,
        organisation=pub.organisation,
        obj=attachment,
        details={
            "publication": pub.pk,
            "name": name,
            "size": attachment.size,
            "sha256": checked.sha256,
        },
    )
    return attachment


@transaction.atomic
def attachment_add_masked_copy(
    *, actor: Actor, attachment: Attachment, data: bytes, masked_count: int
) -> Attachment:
    """Store ``data`` (the masked copy of ``attachment``) as a new attachment of the same
    item and withhold the original: kept for the record, never public, not checked or
    indexed again (一键遮蔽, issue 25)."""
    pub = _lock(attachment.publication)
    require(actor, Perm.EDIT, pub.organisation)
    original = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if original.withheld:
        raise ValidationError(f"附件“{original.original_name}”已经遮蔽过。")
    copy = Attachment(
        publication=pub,
        original_name=original.original_name,
        kind=original.kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=stored_user(actor),
        masked_from=original,
    )
    copy.file.save(
        f"{secrets.token_hex(12)}.{original.kind}", ContentFile(data), save=False
    )
    copy.save()
    original.withheld = True
    original.save(update_fields=["withheld"])
    _event(
        pub,
        actor,
        "mask_attachment",
        pub.status,
        {
            "attachment": original.pk,
            "copy": copy.pk,
            "name": original.original_name,
            "masked": masked_count,
        },
    )
    return copy

"""Attachments: checked uploads stored privately."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.orgs.permissions import Perm, require
from gongkai.publishing.content import check_upload
from gongkai.publishing.models import (
    Attachment,
    Publication,
)
from gongkai.publishing.services._common import _lock

# ------------------------------------------------------------------ attachments


@transaction.atomic
def attachment_add(
    *, actor: Any, publication: Publication, upload: UploadedFile
) -> Attachment:
    """Store a checked upload privately (MEDIA_ROOT/publishing/…)."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    name = (upload.name or "").rsplit("/", 1)[-1]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    checked = check_upload(name, upload.size or 0, head)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        publication=pub,
        original_name=name[:200],
        kind=checked.kind,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    # A random stored name: the original name never reaches the file system.
    attachment.file.save(
        f"{digest.hexdigest()[:16]}.{checked.kind}", upload, save=False
    )
    attachment.save()
    audit_record(
        action="publishing.attachment.add",
        actor=actor,
        organisation=pub.organisation,
        obj=attachment,
        details={"publication": pub.pk, "name": name, "size": attachment.size},
    )
    return attachment

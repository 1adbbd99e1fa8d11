"""Attachments: uploads checked by the shared validator and stored privately."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.orgs.permissions import Perm, require
from gongkai.publishing.models import Attachment, Publication
from gongkai.publishing.services._common import _lock
from gongkai.security.uploads import validate_upload


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
    checked = validate_upload(upload, max_bytes=max_upload_bytes(), name=name)
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

"""Writing the audit log. Every service that changes something calls :func:`audit_record`
inside its own transaction, so if the audit row cannot be written the action fails too.
Every showing of masked personal data goes through :func:`audit_reveal`."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.context import current_request
from gongkai.audit.models import AuditEvent

GENESIS_HASH = "0" * 64

T = TypeVar("T")


def _audit_key() -> bytes:
    key = getattr(settings, "AUDIT_HMAC_KEY", "") or settings.SECRET_KEY
    return key.encode("utf-8")


def row_digest(event: AuditEvent, prev_hash: str) -> str:
    """HMAC-SHA256 over the row's content and the previous row's hash."""
    payload = json.dumps(
        [
            event.at.isoformat(),
            event.user_id,
            event.username,
            event.ip,
            event.organisation_id,
            event.object_type,
            event.object_id,
            event.action,
            event.result,
            event.details,
            prev_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(_audit_key(), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _lock_chain() -> None:
    # Appends must be serialised so each row links to the true previous row.
    # SQLite: transactions are IMMEDIATE (settings), so the writer lock is held.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x6A6B_A0D1])


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: Actor = None,
    organisation: Any = None,
    obj: Any = None,
    result: str = AuditEvent.Result.SUCCESS,
    details: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one audit row (who, from where, on what, with what result)."""
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    prev_hash = last or GENESIS_HASH
    user = stored_user(actor)
    event = AuditEvent(
        at=timezone.now(),
        user=user,
        username=username or (user.get_username() if user else ""),
        ip=current_request.get().ip,
        organisation=organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        action=action,
        result=result,
        details=details or {},
        prev_hash=prev_hash,
    )
    # Normalise through JSON so the digest is computed on what the database returns.
    event.details = json.loads(
        json.dumps(event.details, ensure_ascii=False, default=str)
    )
    event.hash = row_digest(event, prev_hash)
    event.save()
    return event


def audit_reveal(
    *,
    action: str,
    actor: Actor,
    organisation: Any,
    obj: Any,
    allowed: bool,
    refusal: str,
    value: Callable[[], T],
    details: dict[str, Any] | None = None,
) -> T:
    """An audited reveal of personal data: every attempt leaves a row under
    ``action`` (``success``, or ``denied`` when not ``allowed``); a refused one
    raises ``PermissionDenied(refusal)`` and never calls ``value``.

    ``allowed`` is the caller's reveal rule, decided through the permission helper
    (``orgs/permissions.py``). Not ``@transaction.atomic``, and not to be called
    inside an atomic block the refusal would roll back: the ``denied`` row must
    outlive the ``PermissionDenied``.
    """
    audit_record(
        action=action,
        actor=actor,
        organisation=organisation,
        obj=obj,
        result=AuditEvent.Result.SUCCESS if allowed else AuditEvent.Result.DENIED,
        details=details,
    )
    if not allowed:
        raise PermissionDenied(refusal)
    return value()


def audit_verify() -> list[str]:
    """Walk the chain; return Chinese descriptions of every break (empty = intact)."""
    problems: list[str] = []
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev_hash:
            problems.append(
                f"第 {event.pk} 条记录的前序哈希不符：其前有记录被删除、插入或篡改。"
            )
        if row_digest(event, event.prev_hash) != event.hash:
            problems.append(f"第 {event.pk} 条记录的内容与哈希不符：该记录被篡改。")
        prev_hash = event.hash
    return problems

"""Verification, export and pruning of the audit chain (the commands call these).

``audit.services.audit_verify`` walks the chain from the genesis hash; after a
prune the chain starts at the newest signed :class:`AuditCheckpoint` instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import (
    GENESIS_HASH,
    _audit_key,
    _lock_chain,
    audit_record,
    row_digest,
)
from gongkai.security.models import AuditCheckpoint

MIN_RETENTION_DAYS = 180  # 网络安全法第二十一条: logs kept at least six months


def _checkpoint_signature(cp: AuditCheckpoint) -> str:
    payload = f"{cp.through_id}|{cp.last_hash}|{cp.pruned_rows}|{cp.cutoff.isoformat()}"
    return hmac.new(
        _audit_key(), b"checkpoint:" + payload.encode(), hashlib.sha256
    ).hexdigest()


def verify_chain() -> tuple[list[str], int, str]:
    """(problems in Chinese, rows checked, head hash). No problems = intact."""
    problems: list[str] = []
    checkpoint = AuditCheckpoint.objects.order_by("-through_id").first()
    prev_hash, after_id = GENESIS_HASH, 0
    if checkpoint is not None:
        if not hmac.compare_digest(
            _checkpoint_signature(checkpoint), checkpoint.signature
        ):
            problems.append(
                f"检查点（清理至第 {checkpoint.through_id} 条）的签名不符：检查点被伪造或篡改。"
            )
        prev_hash, after_id = checkpoint.last_hash, checkpoint.through_id
        if AuditEvent.objects.filter(id__lte=after_id).exists():
            problems.append(
                f"检查点之前（第 {after_id} 条及以前）仍有记录：检查点与日志不一致。"
            )
    count = 0
    for event in (
        AuditEvent.objects.filter(id__gt=after_id)
        .order_by("id")
        .iterator(chunk_size=2000)
    ):
        count += 1
        if event.prev_hash != prev_hash:
            problems.append(
                f"第 {event.pk} 条记录的前序哈希不符：其前有记录被删除、插入或篡改。"
            )
        if row_digest(event, event.prev_hash) != event.hash:
            problems.append(f"第 {event.pk} 条记录的内容与哈希不符：该记录被篡改。")
        prev_hash = event.hash
    return problems, count, prev_hash


def retention_days() -> int:
    return max(
        int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)),
        MIN_RETENTION_DAYS,
    )


@transaction.atomic
def prune_before(days: int, *, now: datetime | None = None) -> AuditCheckpoint | None:
    """Delete rows older than ``days`` (≥ 180) after recording a signed checkpoint."""
    if days < MIN_RETENTION_DAYS:
        raise ValueError(
            f"审计日志至少保留 {MIN_RETENTION_DAYS} 天（六个月），不能清理 {days} 天以内的记录。"
        )
    _lock_chain()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = AuditEvent.objects.filter(at__lt=cutoff)
    last = old.order_by("-id").values("id", "hash").first()
    if last is None:
        return None
    # Only a contiguous prefix can be cut: rows are appended in time order, but
    # stop at the first row newer than the cutoff to be safe.
    newer_before = AuditEvent.objects.filter(id__lte=last["id"], at__gte=cutoff)
    if newer_before.exists():
        first_newer = newer_before.order_by("id").values_list("id", flat=True).first()
        last = (
            AuditEvent.objects.filter(id__lt=first_newer)
            .order_by("-id")
            .values("id", "hash")
            .first()
        )
        if last is None:
            return None
    doomed = AuditEvent.objects.filter(id__lte=last["id"])
    count = doomed.count()
    checkpoint = AuditCheckpoint(
        at=timezone.now(),
        through_id=last["id"],
        last_hash=last["hash"],
        pruned_rows=count,
        cutoff=cutoff,
    )
    checkpoint.signature = _checkpoint_signature(checkpoint)
    checkpoint.save()
    doomed._raw_delete(
        doomed.db
    )  # the model refuses deletes; retention is the exception
    audit_record(
        action="audit.prune",
        details={"through_id": last["id"], "rows": count, "days": days},
    )
    return checkpoint


# --------------------------------------------------------------------- export


def _events(since: datetime | None, until: datetime | None) -> Iterator[AuditEvent]:
    qs = AuditEvent.objects.order_by("id")
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs.iterator(chunk_size=2000)


def event_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "user_id": event.user_id,
        "username": event.username,
        "ip": event.ip,
        "organisation_id": event.organisation_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "action": event.action,
        "result": event.result,
        "details": event.details,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def jsonl_lines(
    since: datetime | None = None, until: datetime | None = None
) -> Iterator[str]:
    for event in _events(since, until):
        yield json.dumps(event_dict(event), ensure_ascii=False, sort_keys=True)


def _sd_escape(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _ascii_token(value: str, limit: int) -> str:
    token = "".join(c for c in value if 33 <= ord(c) <= 126)
    return (token or "-")[:limit]


# Facility 13 = log audit; severity 6 = informational, 4 = warning (failure/denied).
SYSLOG_FACILITY = 13


def syslog_line(event: AuditEvent, hostname: str | None = None) -> str:
    """One RFC 5424 line: <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] BOM MSG."""
    severity = 6 if event.result == AuditEvent.Result.SUCCESS else 4
    pri = SYSLOG_FACILITY * 8 + severity
    stamp = event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    host = _ascii_token(hostname or socket.gethostname(), 255)
    params = {
        "id": event.pk,
        "user": event.username,
        "ip": event.ip or "",
        "org": event.organisation_id or "",
        "object": f"{event.object_type}:{event.object_id}" if event.object_type else "",
        "result": event.result,
        "hash": event.hash,
    }
    sd = (
        "[gongkai@32473 "
        + " ".join(f'{k}="{_sd_escape(v)}"' for k, v in params.items())
        + "]"
    )
    msg = json.dumps(event.details, ensure_ascii=False, sort_keys=True)
    return f"<{pri}>1 {stamp} {host} gongkai - {_ascii_token(event.action, 32)} {sd} \ufeff{msg}"


def syslog_lines(
    since: datetime | None = None,
    until: datetime | None = None,
    hostname: str | None = None,
) -> Iterator[str]:
    for event in _events(since, until):
        yield syslog_line(event, hostname)

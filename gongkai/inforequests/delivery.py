"""电子送达 (条例第四十条: the answer in the form the applicant asked for) and the
applicant's downloads.

* :func:`deliver_electronically` runs at the end of every step (``steps.perform``):
  when the applicant asked for the answer online or by e-mail, each letter to the
  applicant that the step issued (and the reply once it is sent, never a decision
  still waiting for the office head) is recorded as delivered by the platform —
  method 电子送达, the date, what was delivered (letter, 文号, files) — on the
  letter and as a case event, audited.
* :func:`applicant_letters` / :func:`applicant_files`: what the applicant may download.
* :func:`issue_download_tokens` hands out one random token per item to whoever proved
  the right to the case (today the holder of the number and query code; a signed-in
  applicant later, ``DownloadToken.Holder``). A token works once and expires after
  ``GONGKAI_DOWNLOAD_LINK_MINUTES``; only its SHA-256 is stored.
* :func:`redeem_download_token` checks a token and records the download; the first
  download of each item is a case event — the first of the reply letter is the
  applicant's receipt (签收).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.inforequests.caselog import local_today, note_on_case
from gongkai.inforequests.letters import letter_from_row
from gongkai.inforequests.models import (
    DownloadToken,
    InfoRequest,
    Letter,
    ReleasedFile,
)
from gongkai.inforequests.notices import ANSWERED, wants_electronic_delivery
from gongkai.inforequests.rendering import download_name, render_pdf
from gongkai.orgs.permissions import Perm, require
from gongkai.security.files import open_private_file, store_private_file
from gongkai.security.uploads import KINDS, validate_upload

ELECTRONIC_METHOD = "电子送达"

# Letters addressed to the applicant (the consultation letters go to third parties).
APPLICANT_KINDS = frozenset(
    {
        "acknowledgement",
        "clarification",
        "extension",
        "fee_notice",
        "reasons_request",
        "delay_notice",
        "reply",
    }
)

# Timeline labels of the events this module writes (the case page shows them).
DELIVERY_LABELS = {
    "electronic_delivery": "电子送达",
    "applicant_download": "申请人在线下载",
    "release_file": "上传公开文件",
}

RELEASED_KINDS = frozenset(
    {"pdf", "ofd", "docx", "xlsx", "doc", "xls", "png", "jpg", "zip", "csv", "txt"}
)
MAX_RELEASED_FILES = 30


class DownloadRefused(Exception):
    """A download link that cannot be used; the message is Chinese and names no data."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.message = message
        self.status = status  # 404 unknown, 410 used or expired


# --------------------------------------------------------------------------- what


def _reply_is_out(case: InfoRequest) -> bool:
    return case.status in ANSWERED


def applicant_letters(case: InfoRequest) -> list[Letter]:
    """The letters the applicant may see: those addressed to them; a reply only once
    it has been sent (a decision waiting for the office head may still change) —
    a reply set aside by a 纠正 stays visible, it was delivered."""
    rows = [
        r for r in case.letters.order_by("issued_on", "id") if r.kind in APPLICANT_KINDS
    ]
    replies = [r for r in rows if r.kind == "reply"]
    latest = replies[-1] if replies else None
    return [
        r
        for r in rows
        if r.kind != "reply"
        or r.status == Letter.Status.SENT
        or (r is latest and _reply_is_out(case))
    ]


def applicant_files(case: InfoRequest) -> list[ReleasedFile]:
    """The disclosed files, once the reply is out."""
    if not _reply_is_out(case):
        return []
    return list(case.released_files.order_by("uploaded_at", "id"))


# --------------------------------------------------------------------------- 送达


@transaction.atomic
def deliver_electronically(
    case: InfoRequest, *, actor: Actor, on: date, after_letter: int = 0
) -> list[Letter]:
    """Record 电子送达 of the applicant's letters of this step (see module doc):
    those issued by it (id above ``after_letter``, the last id before the step) and
    a reply it sent out. Earlier letters are left alone (a 受理回执 handed over on
    paper at the counter is not delivered online later)."""
    if not wants_electronic_delivery(case):
        return []
    visible = applicant_letters(case)
    replies = [r for r in visible if r.kind == "reply"]
    chosen = {r.pk for r in visible if r.pk > after_letter}
    if replies and case.status in ANSWERED:
        chosen.add(replies[-1].pk)
    pending = list(
        Letter.objects.select_for_update()
        .filter(request=case, status=Letter.Status.READY, pk__in=chosen)
        .order_by("id")
    )
    if not pending:
        return []
    files = (
        [f.original_name for f in applicant_files(case)]
        if any(r.kind == "reply" for r in pending)
        else []
    )
    now = timezone.now()
    for letter in pending:
        letter.status = Letter.Status.SENT
        letter.delivery_method = ELECTRONIC_METHOD
        letter.delivery_tracking = ""
        letter.delivered_on = on
        letter.save(
            update_fields=[
                "status",
                "delivery_method",
                "delivery_tracking",
                "delivered_on",
            ]
        )
    delivered: list[dict[str, Any]] = [
        {"letter": r.pk, "title": r.title, "number": r.number} for r in pending
    ]
    summary = "；".join(
        r.title + (f"（{r.number}）" if r.number else "") for r in pending
    ) + (f"；公开文件：{'、'.join(files)}" if files else "")
    note_on_case(
        case,
        actor=actor,
        action="electronic_delivery",
        on=on,
        data={
            "method": ELECTRONIC_METHOD,
            "at": now.isoformat(),
            "letters": delivered,
            "files": files,
            "note": summary,
        },
    )
    audit_record(
        action="inforequest.electronic_delivery",
        actor=actor,
        organisation=case.organisation,
        obj=case,
        details={"letters": [d["letter"] for d in delivered], "files": len(files)},
    )
    return pending


# --------------------------------------------------------------------------- files


@transaction.atomic
def released_file_add(
    *, actor: Actor, request: InfoRequest, upload: Any
) -> ReleasedFile:
    """Attach a file to be disclosed with the reply (before the reply is sent)."""
    case = InfoRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, Perm.EDIT, case.organisation)
    if case.status in ANSWERED:
        raise ValidationError("答复已送出，不能再添加公开文件；如需补充，请另行答复。")
    if case.released_files.count() >= MAX_RELEASED_FILES:
        raise ValidationError(f"每件申请最多添加 {MAX_RELEASED_FILES} 个公开文件。")
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    checked = validate_upload(upload, kinds=RELEASED_KINDS & KINDS.keys(), name=name)
    row = ReleasedFile(
        request=case,
        original_name=name[:200],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=stored_user(actor),
    )
    # Encrypted at rest with the field key ring, mode 600 (gongkai/security/files.py).
    row.file.name = store_private_file(upload, folder="released", ext=checked.kind)
    row.save()
    note_on_case(
        case,
        actor=actor,
        action="release_file",
        on=local_today(),
        data={"note": row.original_name},
    )
    audit_record(
        action="inforequest.release_file",
        actor=actor,
        organisation=case.organisation,
        obj=case,
        details={"file": row.pk, "name": row.original_name, "sha256": checked.sha256},
    )
    return row


# --------------------------------------------------------------------------- tokens


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Download:
    token: str
    title: str
    detail: str  # 文号 or size
    kind: str  # "letter" or "file"


def issue_download_tokens(
    case: InfoRequest, *, holder: str = DownloadToken.Holder.QUERY_CODE
) -> list[Download]:
    """One fresh single-use token per letter and file the applicant may download.

    Call only after the caller proved the right to ``case`` (number and query code)."""
    expires = timezone.now() + timedelta(minutes=settings.DOWNLOAD_LINK_MINUTES)
    out: list[Download] = []
    rows: list[DownloadToken] = []
    for letter in applicant_letters(case):
        token = secrets.token_urlsafe(32)
        rows.append(
            DownloadToken(
                digest=_digest(token),
                request=case,
                letter=letter,
                holder=holder,
                expires_at=expires,
            )
        )
        out.append(Download(token, letter.title, letter.number, "letter"))
    for f in applicant_files(case):
        token = secrets.token_urlsafe(32)
        rows.append(
            DownloadToken(
                digest=_digest(token),
                request=case,
                released_file=f,
                holder=holder,
                expires_at=expires,
            )
        )
        out.append(Download(token, f.original_name, f"{f.size / 1024:.0f} KB", "file"))
    DownloadToken.objects.bulk_create(rows)
    return out


def purge_expired_tokens(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete download tokens expired for more than ``older_than`` (the downloads
    themselves stay in the case events and the audit log)."""
    deleted, _ = DownloadToken.objects.filter(
        expires_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


@dataclass(frozen=True)
class Served:
    data: bytes | None
    fileobj: IO[bytes] | None
    filename: str
    kind: str


@transaction.atomic
def redeem_download_token(token: str) -> Served:
    """The file behind ``token`` (once); refuses an unknown, used or expired one."""
    if not token or len(token) > 100:
        raise DownloadRefused(
            "下载链接无效。请回到查询页面，输入申请编号和查询码后重新下载。"
        )
    row = (
        # Lock the token row only: PostgreSQL refuses FOR UPDATE on the nullable
        # side of the outer joins (letter, released_file).
        DownloadToken.objects.select_for_update(of=("self",))
        .select_related("request", "request__organisation", "letter", "released_file")
        .filter(digest=_digest(token))
        .first()
    )
    if row is None:
        raise DownloadRefused(
            "下载链接无效。请回到查询页面，输入申请编号和查询码后重新下载。"
        )
    if row.used_at is not None:
        raise DownloadRefused(
            status=410,
            message="该下载链接已经使用过（每个链接只能下载一次）。请回到查询页面重新查询后再下载。",
        )
    now = timezone.now()
    if row.expires_at <= now:
        raise DownloadRefused(
            status=410,
            message=f"该下载链接已过期（有效期 {settings.DOWNLOAD_LINK_MINUTES} 分钟）。请回到查询页面重新查询后再下载。",
        )
    row.used_at = now
    row.save(update_fields=["used_at"])
    case = row.request
    if row.letter is not None:
        letter = row.letter
        letter.request = case
        served = Served(
            render_pdf(letter_from_row(letter)),
            None,
            download_name(letter, "pdf"),
            "pdf",
        )
        item = {"letter": letter.pk, "title": letter.title, "number": letter.number}
        first = not case.events.filter(
            action="applicant_download", data__letter=letter.pk
        ).exists()
    else:
        f = row.released_file
        assert f is not None
        served = Served(None, open_private_file(f.file), f.original_name, f.kind)
        item = {"file": f.pk, "title": f.original_name}
        first = not case.events.filter(
            action="applicant_download", data__file=f.pk
        ).exists()
    if first:
        receipt = row.letter is not None and row.letter.kind == "reply"
        note_on_case(
            case,
            actor=None,
            action="applicant_download",
            on=timezone.localdate(),
            data={
                **item,
                "at": now.isoformat(),
                "via": row.holder,
                "receipt": receipt,
                "note": f"申请人首次下载“{item['title']}”"
                + ("（视为签收答复）" if receipt else ""),
            },
        )
    audit_record(
        action="inforequest.applicant_download",
        organisation=case.organisation,
        obj=case,
        details={**item, "first": first, "via": row.holder},
    )
    return served

"""区分处理 (部分公开, 条例第三十七条) in an application: the officer uploads the
document to be disclosed in part, marks what to withhold and why, and produces a
new file from which that content is truly gone (``core.redact_pdf``,
``core.redact_docx``: rasterised PDF, cleaned DOCX, both checked by extracting the
text of the output before it may be delivered).

The original stays with the case, readable only by staff who may 办理 the case
(``Perm.EDIT``), never public; every upload, mark, view of the original, output
and download is audited. The redaction list (what — described, never quoted —
where, why) goes into the case timeline and the 部分公开 reply letter.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core import redact_docx, redact_pdf
from gongkai.core.inforequest_flow import OPEN_STATUSES, Status
from gongkai.core.redaction import (
    Mark,
    RedactionEntry,
    RedactionError,
    RegionMark,
    region_mark,
    scrub,
    text_mark,
)
from gongkai.inforequests.caselog import local_today, note_on_case
from gongkai.inforequests.models import InfoRequest, RedactionDocument, RedactionMark
from gongkai.orgs.permissions import Perm, can, require
from gongkai.security.files import open_private_file, store_private_file
from gongkai.security.uploads import validate_upload

log = logging.getLogger(__name__)

REDACTION_KINDS = frozenset({"pdf", "docx"})
MAX_DOCUMENTS = 20
MAX_MARKS = 200
# Marks and outputs may change until the decision is made: the reply letter lists
# them, so after 作出决定 they are fixed (退回修改决定 opens them again).
EDITABLE_STATUSES = frozenset(s.value for s in OPEN_STATUSES) - {Status.DECIDED.value}

UNREADABLE = "文件无法处理（可能已损坏或格式不受支持），原件已保留，请检查文件后重试。"


def _require_editable(actor: Actor, request: InfoRequest) -> None:
    require(actor, Perm.EDIT, request.organisation)
    if request.status not in EDITABLE_STATUSES:
        raise ValidationError(
            "本申请已作出答复决定或已办结，区分处理文件不能再修改"
            "（如需修改，请负责人先“退回修改决定”）。"
        )


def _engine_error(exc: Exception) -> ValidationError:
    if isinstance(exc, RedactionError):
        return ValidationError(str(exc))
    # A parser meeting a malformed file may raise anything; the officer gets a
    # Chinese answer and the original is kept, never a 500.
    log.warning("redaction engine failed: %r", exc)
    return ValidationError(UNREADABLE)


def _read(document: RedactionDocument, field: str = "original") -> bytes:
    with open_private_file(getattr(document, field)) as handle:
        data: bytes = handle.read()
    return data


def _readable(kind: str, data: bytes) -> int | None:
    """The page count of a PDF (None for a DOCX); a Chinese refusal if unreadable."""
    try:
        if kind == "pdf":
            return redact_pdf.page_count(data)
        redact_docx.check_readable(data)
        return None
    except Exception as exc:  # any parser failure: see _engine_error
        raise _engine_error(exc) from exc


# ----------------------------------------------------------------------- documents


@transaction.atomic
def redaction_upload(
    *, actor: Actor, request: InfoRequest, upload: Any
) -> RedactionDocument:
    """Store the original of a document to be disclosed in part (PDF or DOCX)."""
    _require_editable(actor, request)
    if request.redactions.count() >= MAX_DOCUMENTS:
        raise ValidationError(f"每件申请最多 {MAX_DOCUMENTS} 个区分处理文件。")
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    checked = validate_upload(upload, kinds=REDACTION_KINDS, name=name)
    upload.seek(0)
    data = upload.read()
    pages = _readable(checked.kind, data)
    document = RedactionDocument(
        request=request,
        original_name=name[:200],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        pages=pages,
        uploaded_by=stored_user(actor),
    )
    # Encrypted at rest with the field key ring, mode 600 (gongkai/security/files.py).
    document.original.name = store_private_file(
        ContentFile(data), folder="redaction", ext=checked.kind
    )
    document.save()
    note_on_case(
        request,
        actor=actor,
        action="redaction_uploaded",
        on=local_today(),
        data={"document": document.original_name},
    )
    audit_record(
        action="inforequest.redaction.upload",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={
            "redaction": document.pk,
            "name": document.original_name,
            "sha256": checked.sha256,
        },
    )
    return document


def may_see_original(actor: Actor, document: RedactionDocument) -> bool:
    """The original holds what is withheld: only staff who may 办理 the case."""
    return can(actor, Perm.EDIT, document.request.organisation)


def _original_access(actor: Actor, document: RedactionDocument, action: str) -> None:
    allowed = may_see_original(actor, document)
    audit_record(
        action=action,
        actor=actor,
        organisation=document.request.organisation,
        obj=document.request,
        result="success" if allowed else "denied",
        details={"redaction": document.pk, "name": document.original_name},
    )
    if not allowed:
        raise PermissionDenied("只有可以办理本申请的工作人员可以查看区分处理的原件。")


def redaction_page_opened(*, actor: Actor, document: RedactionDocument) -> None:
    """The marking screen shows the withheld words and the original's pages."""
    _original_access(actor, document, "inforequest.redaction.view")


def redaction_original(*, actor: Actor, document: RedactionDocument) -> bytes:
    """The original file (audited, refused ones too)."""
    _original_access(actor, document, "inforequest.redaction.original")
    return _read(document)


def redaction_page_image(
    *, actor: Actor, document: RedactionDocument, page: int
) -> bytes:
    """A page of the original PDF as a PNG for the marking screen (audited)."""
    if document.kind != "pdf":
        raise ValidationError("只有PDF文件有页面图。")
    _original_access(actor, document, "inforequest.redaction.page")
    try:
        return redact_pdf.page_image(_read(document), page)
    except Exception as exc:  # any parser failure: see _engine_error
        raise _engine_error(exc) from exc


def redaction_output(*, actor: Actor, document: RedactionDocument) -> Any:
    """The redacted file, for anyone who may see the case (audited)."""
    require(actor, Perm.VIEW, document.request.organisation)
    if not document.output:
        raise ValidationError("区分处理后的文件尚未生成。")
    audit_record(
        action="inforequest.redaction.download",
        actor=actor,
        organisation=document.request.organisation,
        obj=document.request,
        details={"redaction": document.pk, "sha256": document.output_sha256},
    )
    return open_private_file(document.output)


# ---------------------------------------------------------------------------- marks


def _stale(document: RedactionDocument) -> None:
    """A changed mark makes the produced file out of date: it must be produced again."""
    if document.output:
        document.output.delete(save=False)
    document.output_sha256 = ""
    document.produced_at = None
    document.produced_by = None
    document.save(
        update_fields=["output", "output_sha256", "produced_at", "produced_by"]
    )


@transaction.atomic
def redaction_add_mark(
    *,
    actor: Actor,
    document: RedactionDocument,
    kind: str,
    ground: str,
    other_basis: str = "",
    phrase: str = "",
    occurrence: int | None = None,
    page: int | None = None,
    box: tuple[float, float, float, float] | None = None,
) -> RedactionMark:
    """Mark a phrase (every occurrence, or the n-th) or a region of a PDF page."""
    document = RedactionDocument.objects.select_for_update().get(pk=document.pk)
    request = document.request
    _require_editable(actor, request)
    if document.marks.count() >= MAX_MARKS:
        raise ValidationError(f"每个文件最多 {MAX_MARKS} 项标注。")
    mark: Mark
    try:
        if kind == RedactionMark.Kind.REGION:
            if document.kind != "pdf":
                raise RedactionError(
                    "Word文件请标注要删除的文字；框选区域只用于PDF文件。"
                )
            if page is None or box is None:
                raise RedactionError("请在页面图上按住鼠标拖出要遮盖的区域。")
            mark = region_mark(
                page, *box, ground, other_basis, page_count=document.pages
            )
        elif kind == RedactionMark.Kind.TEXT:
            mark = text_mark(phrase, ground, occurrence, other_basis)
        else:
            raise RedactionError("请选择标注方式（文字或区域）。")
    except RedactionError as exc:
        raise ValidationError(str(exc)) from exc
    row = RedactionMark(
        document=document,
        kind=kind,
        ground=mark.ground,
        other_basis=mark.other_basis,
        created_by=stored_user(actor),
    )
    if isinstance(mark, RegionMark):
        row.page, row.x0, row.y0, row.x1, row.y1 = (
            mark.page,
            mark.x0,
            mark.y0,
            mark.x1,
            mark.y1,
        )
        regions = document.marks.filter(kind=kind, page=mark.page).count()
        row.description = f"第{mark.page}页 区域{regions + 1}"
    else:
        row.phrase = mark.phrase
        row.occurrence = mark.occurrence
        # Found now, or refused now: the officer learns at once where the phrase is
        # (or that a scan needs a region), not only when producing.
        engine = redact_pdf if document.kind == "pdf" else redact_docx
        try:
            row.description = engine.locate_text(_read(document), mark)[:300]
        except Exception as exc:  # any parser failure: see _engine_error
            raise _engine_error(exc) from exc
    row.save()
    _stale(document)
    audit_record(
        action="inforequest.redaction.mark",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        # Never the phrase itself: the audit log is read by other administrators.
        details={
            "redaction": document.pk,
            "mark": row.pk,
            "kind": kind,
            "ground": row.ground,
        },
    )
    return row


@transaction.atomic
def redaction_remove_mark(*, actor: Actor, mark: RedactionMark) -> None:
    document = RedactionDocument.objects.select_for_update().get(pk=mark.document_id)
    _require_editable(actor, document.request)
    audit_record(
        action="inforequest.redaction.unmark",
        actor=actor,
        organisation=document.request.organisation,
        obj=document.request,
        details={"redaction": document.pk, "mark": mark.pk},
    )
    mark.delete()
    _stale(document)


def _core_marks(document: RedactionDocument) -> list[Mark]:
    marks: list[Mark] = []
    for row in document.marks.order_by("created_at", "id"):
        if row.kind == RedactionMark.Kind.REGION:
            marks.append(
                region_mark(
                    row.page or 1,
                    row.x0 or 0.0,
                    row.y0 or 0.0,
                    row.x1 or 0.0,
                    row.y1 or 0.0,
                    row.ground,
                    row.other_basis,
                )
            )
        else:
            marks.append(
                text_mark(row.phrase, row.ground, row.occurrence, row.other_basis)
            )
    return marks


def redaction_produce(
    *, actor: Actor, document: RedactionDocument
) -> RedactionDocument:
    """Write the redacted file. It is delivered only if the check of its own text
    (every page, every DOCX part, the metadata) finds none of the withheld words;
    otherwise nothing is saved and the officer is told why, in Chinese.

    The engine runs outside the transaction (rendering a long PDF takes seconds and
    must not hold the row lock); the result is saved only if the marks are still
    the ones it was made from."""
    _require_editable(actor, document.request)
    rows = list(document.marks.order_by("created_at", "id"))
    if not rows:
        raise ValidationError("请先标注要删除的文字或区域。")
    try:
        marks = _core_marks(document)
        data = _read(document)
        if document.kind == "pdf":
            result = redact_pdf.redact_pdf(data, marks)
            output, descriptions = result.data, result.descriptions
        else:
            texts = [m for m in marks if not isinstance(m, RegionMark)]
            produced = redact_docx.redact_docx(data, texts)
            output, descriptions = produced.data, produced.descriptions
    except Exception as exc:  # any parser failure: see _engine_error
        raise _engine_error(exc) from exc
    return _save_output(actor, document, rows, output, descriptions)


@transaction.atomic
def _save_output(
    actor: Actor,
    document: RedactionDocument,
    rows: list[RedactionMark],
    output: bytes,
    descriptions: tuple[str, ...],
) -> RedactionDocument:
    document = RedactionDocument.objects.select_for_update().get(pk=document.pk)
    request = document.request
    _require_editable(actor, request)
    current = list(
        document.marks.order_by("created_at", "id").values_list("pk", flat=True)
    )
    if current != [row.pk for row in rows]:
        raise ValidationError("生成期间标注被修改，请重新生成。")
    for row, description in zip(rows, descriptions, strict=True):
        row.description = description[:300]
        row.save(update_fields=["description"])
    if document.output:
        document.output.delete(save=False)
    document.output.name = store_private_file(
        ContentFile(output), folder="redaction", ext=document.kind
    )
    document.output_sha256 = hashlib.sha256(output).hexdigest()
    document.produced_at = timezone.now()
    document.produced_by = stored_user(actor)
    document.save(
        update_fields=["output", "output_sha256", "produced_at", "produced_by"]
    )
    entries = [_entry(document, row) for row in rows]  # names scrubbed
    note_on_case(
        request,
        actor=actor,
        action="redaction_produced",
        on=local_today(),
        data={
            "document": public_name(document),
            "redactions": [
                {"description": e.description, "basis": e.citation} for e in entries
            ],
        },
    )
    audit_record(
        action="inforequest.redaction.produce",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={
            "redaction": document.pk,
            "marks": len(rows),
            "sha256": document.output_sha256,
        },
    )
    return document


# ------------------------------------------------------------------ the case's list


def public_name(document: RedactionDocument, name: str = "") -> str:
    """The document's name as the letter and the redacted copy show it: a withheld
    phrase in the file name ("李秀英低保审核表.pdf") is replaced there too."""
    phrases = [m.phrase for m in document.marks.filter(kind=RedactionMark.Kind.TEXT)]
    return scrub(name or document.original_name, phrases)


def _entry(document: RedactionDocument, row: RedactionMark) -> RedactionEntry:
    return RedactionEntry(
        public_name(document), row.description, row.ground, row.other_basis
    )


def redaction_entries(request: InfoRequest) -> list[RedactionEntry]:
    """The redaction list of the case: every mark of every produced document."""
    entries: list[RedactionEntry] = []
    for document in request.redactions.order_by("uploaded_at", "id"):
        if document.output:
            entries += [
                _entry(document, row)
                for row in document.marks.order_by("created_at", "id")
            ]
    return entries


def check_redactions_produced(request: InfoRequest) -> None:
    """条例第三十七条: what the reply says was withheld must be what the produced files
    withhold. A document with marks but no (current) redacted file stops the decision."""
    waiting = [
        d.original_name
        for d in request.redactions.order_by("uploaded_at", "id")
        if not d.output and d.marks.exists()
    ]
    if waiting:
        raise ValidationError(
            {
                "outcome": "区分处理文件尚未生成（标注后须点击“生成区分处理文件”）："
                + "、".join(f"《{n}》" for n in waiting)
            }
        )

"""Writes of the personal-information check: an organisation's rules, a legal basis
recorded per finding, one-click masking, and the scan of live items.

Every service takes keyword-only arguments and the ``actor``, checks the permission
through ``gongkai.orgs.permissions``, runs in one transaction and appends an audit row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.pii import Kind, NameMask, PiiRules, find_pii, mask_text
from gongkai.core.pii.masking import MaskError, mask_file
from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, require
from gongkai.privacy.models import (
    PiiDisclosure,
    PiiScan,
    PiiScanFinding,
    PrivacyRules,
)
from gongkai.privacy.selectors import (
    Located,
    publication_pii_report,
    rules_for,
)
from gongkai.publishing.models import Attachment, Publication, PublicationEvent
from gongkai.publishing.services import (
    attachment_add_masked_copy,
    publication_apply_masks,
)

MIN_BASIS_CHARS = 6

# --------------------------------------------------------------------------- rules


@transaction.atomic
def privacy_rules_save(
    *,
    actor: Actor,
    organisation: Organisation,
    kinds: Iterable[str],
    name_mask: str,
    id_keep: int,
    public_values: str = "",
) -> PrivacyRules:
    """Set what the check of ``organisation`` (and of the bodies below it that have no
    rules of their own) looks for and how it masks. 负责人 (Perm.APPROVE) only."""
    require(actor, Perm.APPROVE, organisation)
    chosen = sorted({Kind(k).value for k in kinds if k in Kind._value2member_map_})
    chosen = [k for k in chosen if k != Kind.UNREADABLE]
    if not chosen:
        raise ValidationError({"kinds": "请至少选择一类要检查的个人信息。"})
    if name_mask not in NameMask._value2member_map_:
        raise ValidationError({"name_mask": "姓名遮蔽方式无效。"})
    if not 0 <= id_keep <= 6:
        raise ValidationError({"id_keep": "保留位数应在 0 到 6 之间。"})
    rules, _ = PrivacyRules.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = {
        "kinds": rules.kinds,
        "name_mask": rules.name_mask,
        "id_keep": rules.id_keep,
        "public_values": rules.public_values,
    }
    rules.kinds = chosen
    rules.name_mask = name_mask
    rules.id_keep = id_keep
    rules.public_values = public_values.strip()
    rules.save()
    audit_record(
        action="privacy.rules.save",
        actor=actor,
        organisation=organisation,
        obj=rules,
        details={
            "before": before,
            "kinds": chosen,
            "name_mask": name_mask,
            "id_keep": id_keep,
            "public_values": rules.public_values,
        },
    )
    return rules


# --------------------------------------------------------------------------- legal basis


def _lock(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update()
        .select_related("organisation")
        .get(pk=publication.pk)
    )


@transaction.atomic
def pii_disclosure_record(
    *, actor: Actor, publication: Publication, keys: Iterable[str], basis: str
) -> list[PiiDisclosure]:
    """The reviewer (Perm.APPROVE) decides to disclose the findings ``keys`` (each
    ``location|fingerprint`` as the check reports it) on the legal ``basis``. One row
    and one audit entry per finding."""
    pub = _lock(publication)
    require(actor, Perm.APPROVE, pub.organisation)
    basis = basis.strip()
    if len(basis) < MIN_BASIS_CHARS:
        raise ValidationError(
            {
                "basis": "请写明公开的法律依据（例如：《社会救助审核确认办法》"
                "第二十二条要求公示申请人姓名），不少于 6 个字。"
            }
        )
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise ValidationError("请勾选要记录公开依据的个人信息。")
    report = publication_pii_report(pub)
    by_key = {item.key: item for item in report.findings}
    missing = [k for k in wanted if k not in by_key]
    if missing:
        raise ValidationError(
            "所选的个人信息已不在当前内容中（内容可能已修改或遮蔽），请刷新后重试。"
        )
    user = stored_user(actor)
    assert user is not None  # require() passed: a signed-in user
    rows = []
    for key in wanted:
        item = by_key[key]
        if item.disclosure is not None:
            continue
        row = PiiDisclosure.objects.create(
            publication=pub,
            location=item.location,
            kind=item.finding.kind.value,
            fingerprint=item.fingerprint,
            masked=item.finding.masked[:200],
            where=item.place[:200],
            basis=basis,
            decided_by=user,
        )
        rows.append(row)
        audit_record(
            action="privacy.disclosure.record",
            actor=actor,
            organisation=pub.organisation,
            obj=pub,
            details={
                "kind": row.kind,
                "where": row.where,
                "masked": row.masked,
                "basis": basis,
            },
        )
    if rows:
        PublicationEvent.objects.create(
            publication=pub,
            action="pii_basis",
            from_status=pub.status,
            to_status=pub.status,
            actor=user,
            data={"count": len(rows), "basis": basis},
        )
    return rows


# --------------------------------------------------------------------------- masking


@dataclass
class MaskResult:
    text_masked: int = 0
    files_masked: list[str] = field(default_factory=list)
    needs_hand: list[str] = field(default_factory=list)  # PDF, images, unreadable
    remaining: int = 0


def _keep_disclosed(rules: PiiRules, items: Iterable[Located]) -> PiiRules:
    """Rules under which the values with a recorded basis are left as they are."""
    kept = {i.finding.text for i in items if not i.open}
    return replace(rules, public_values=rules.public_values | kept) if kept else rules


def _mask_html(html: str, items: list[Located]) -> str:
    """Replace each open finding's text in the (sanitised) body HTML by its mask."""
    out = html
    # Longest first, so a name inside an address is not masked before the address.
    for item in sorted(items, key=lambda x: -len(x.finding.text)):
        text = item.finding.text
        out = out.replace(escape(text), escape(item.finding.masked))
        if text != escape(text):
            out = out.replace(text, escape(item.finding.masked))
    return out


@transaction.atomic
def publication_mask(*, actor: Actor, publication: Publication) -> MaskResult:
    """一键遮蔽: apply the organisation's masks to the title, summary and body, and to
    every XLSX/CSV/DOCX attachment with findings (a masked copy is published in its
    place; the original is kept, never public). Values with a recorded legal basis
    are left as they are. PDF, images and files the check could not read need a
    person: they are listed in the result."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    rules = rules_for(pub.organisation)
    report = publication_pii_report(pub, rules)
    result = MaskResult()
    fields: dict[str, str] = {}
    for section in report.sections:
        open_items = [f for f in section.findings if f.open]
        if section.location in ("title", "summary"):
            if open_items:
                value = getattr(pub, section.location)
                keep = _keep_disclosed(rules, section.findings)
                fields[section.location] = mask_text(value, find_pii(value, keep))
                result.text_masked += len(open_items)
        elif section.location == "body":
            if open_items:
                fields["body"] = _mask_html(pub.body, open_items)
                result.text_masked += len(open_items)
        else:
            attachment = Attachment.objects.get(pk=int(section.location.split(":")[1]))
            if section.unreadable and any(u.open for u in section.unreadable):
                result.needs_hand.append(f"{section.label}（无法读取，需人工处理）")
                continue
            if not open_items:
                continue
            if not section.masked_copy_possible:
                result.needs_hand.append(
                    f"{section.label}（{attachment.kind.upper()} 不能自动遮蔽，"
                    "请上传处理后的文件或使用“部分公开”遮盖工具）"
                )
                continue
            keep = _keep_disclosed(rules, section.findings)
            try:
                with attachment.file.open("rb") as fh:
                    data, count = mask_file(fh.read(), attachment.kind, keep)
            except (MaskError, OSError) as exc:
                result.needs_hand.append(f"{section.label}（{exc}）")
                continue
            attachment_add_masked_copy(
                actor=actor, attachment=attachment, data=data, masked_count=count
            )
            result.files_masked.append(attachment.original_name)
    if fields:
        publication_apply_masks(actor=actor, publication=pub, fields=fields)
    pub.refresh_from_db()
    result.remaining = len(publication_pii_report(pub, rules).open_findings)
    audit_record(
        action="privacy.publication.mask",
        actor=actor,
        organisation=pub.organisation,
        obj=pub,
        details={
            "text_masked": result.text_masked,
            "files_masked": result.files_masked,
            "needs_hand": result.needs_hand,
            "remaining": result.remaining,
        },
    )
    if pub.status in LIVE_STATUSES:
        _scan_items([pub], scan=None)
    return result


# --------------------------------------------------------------------------- scan

SCAN_BATCH = 500


def _live_items(organisation: Organisation, below: bool) -> Any:
    qs = Publication.objects.filter(
        status__in=list(LIVE_STATUSES), attribute=Publication.Attribute.PROACTIVE
    )
    if below:
        return qs.filter(path_prefix_q(organisation.path, "organisation__path"))
    return qs.filter(organisation=organisation)


def _scan_items(pubs: list[Publication], scan: PiiScan | None) -> tuple[int, int, int]:
    """Recompute the stored findings of ``pubs``; (attachments, findings, unreadable)."""
    ids = [p.pk for p in pubs]
    decided: dict[int, dict[str, PiiDisclosure]] = {}
    for d in PiiDisclosure.objects.filter(publication_id__in=ids):
        decided.setdefault(d.publication_id, {})[f"{d.location}|{d.fingerprint}"] = d
    files: dict[int, list[Attachment]] = {}
    for a in Attachment.objects.filter(publication_id__in=ids, withheld=False).order_by(
        "pk"
    ):
        files.setdefault(a.publication_id, []).append(a)
    rules_cache: dict[int, PiiRules] = {}
    rows: list[PiiScanFinding] = []
    n_files = n_unreadable = 0
    for pub in pubs:
        rules = rules_cache.get(pub.organisation_id)
        if rules is None:
            rules = rules_cache[pub.organisation_id] = rules_for(pub.organisation)
        attachments = files.get(pub.pk, [])
        n_files += len(attachments)
        report = publication_pii_report(
            pub, rules, decided=decided.get(pub.pk, {}), attachments=attachments
        )
        for item in report.open_findings:
            if item.finding.kind is Kind.UNREADABLE:
                n_unreadable += 1
            rows.append(
                PiiScanFinding(
                    scan=scan,
                    organisation_id=pub.organisation_id,
                    publication=pub,
                    location=item.location,
                    location_label=item.location_label[:200],
                    where=item.finding.where[:200],
                    kind=item.finding.kind.value,
                    masked=item.finding.masked[:200],
                )
            )
    PiiScanFinding.objects.filter(publication_id__in=ids).delete()
    PiiScanFinding.objects.bulk_create(rows, batch_size=1000)
    return n_files, len(rows), n_unreadable


def pii_scan_run(
    *,
    actor: Actor,
    organisation: Organisation,
    below: bool = False,
    now: datetime | None = None,
) -> PiiScan:
    """Check every live 主动公开 item (and its public attachments) of ``organisation``,
    and with ``below`` of every body under it, storing what is found. Runs in batches
    (one transaction each), so a scan of 10^5 items neither holds one long transaction
    nor reads everything at once. ``actor`` None: the management command."""
    if actor is not None:
        require(actor, Perm.VIEW, organisation)
    scan = PiiScan.objects.create(
        organisation=organisation,
        below=below,
        started_at=now or timezone.now(),
        run_by=stored_user(actor),
    )
    last_pk = 0
    items = files = findings = unreadable = 0
    qs = _live_items(organisation, below).select_related("organisation").order_by("pk")
    while True:
        batch = list(qs.filter(pk__gt=last_pk)[:SCAN_BATCH])
        if not batch:
            break
        with transaction.atomic():
            f, n, u = _scan_items(batch, scan)
        items += len(batch)
        files += f
        findings += n
        unreadable += u
        last_pk = batch[-1].pk
    scan.items, scan.attachments = items, files
    scan.findings, scan.unreadable = findings, unreadable
    scan.finished_at = timezone.now()
    scan.save(
        update_fields=["items", "attachments", "findings", "unreadable", "finished_at"]
    )
    audit_record(
        action="privacy.scan.run",
        actor=actor,
        organisation=organisation,
        obj=scan,
        details={
            "below": below,
            "items": items,
            "attachments": files,
            "findings": findings,
            "unreadable": unreadable,
        },
    )
    return scan

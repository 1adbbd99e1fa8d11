"""Writes of proactive disclosure: the catalogue and the publication workflow.

Every service takes keyword-only arguments and the ``actor``, runs in one
transaction, checks permissions through ``gongkai.orgs.permissions``, locks the
row it changes (``select_for_update``), appends a ``PublicationEvent`` where the
workflow moves, and an audit row always. Refusals are ``ValidationError`` or
``PermissionDenied`` with Chinese messages.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.publication_flow import (
    LIVE_STATUSES,
    Action,
    IllegalTransition,
    Status,
    transition,
)
from gongkai.core.workdays import PROACTIVE_WORKING_DAYS, default_calendar
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.publishing.catalogue_template import STREET_TEMPLATE
from gongkai.publishing.content import check_upload, clean_html, plain_text
from gongkai.publishing.models import (
    Attachment,
    CatalogueArea,
    CatalogueItem,
    ChannelDelivery,
    NormativeDocument,
    Publication,
    PublicationEvent,
    PublicationRevision,
)
from gongkai.publishing.reference import (
    Art20,
    Channel,
    Genre,
    delivery_channels,
    normalise_topic,
)

log = logging.getLogger(__name__)

DEFAULT_INDEX_PATTERN = "{credit_code}/{year}-{serial:05d}"
INDEX_RETRIES = 5

# ------------------------------------------------------------------ Art. 26


def publication_due_date(formed_on: date, days: int = PROACTIVE_WORKING_DAYS) -> date:
    """条例第二十六条: formation/change date + 20 working days (the day itself not counted).

    The one place that reaches the working-day engine; a catalogue row may set a
    shorter period (e.g. 7 working days for 行政执法决定).
    """
    try:
        # The administrators' calendar (holiday notices entered in the back office).
        from gongkai.calendars.selectors import work_calendar

        calendar = work_calendar()
    except ImportError:  # pragma: no cover - the calendars app is optional
        calendar = default_calendar()
    return calendar.add_working_days(formed_on, days)


# ------------------------------------------------------------------ catalogue


@transaction.atomic
def catalogue_load_template(*, actor: Any, organisation: Organisation) -> int:
    """Load the standard 街道 catalogue (5 areas / 18 items) into ``organisation``.

    Idempotent: existing areas and items are kept as adapted. A 社区 gets the same
    rows with itself as 公开主体 and 公开层级 乡级 only. Returns items created.
    """
    if actor is not None:
        require(actor, Perm.EDIT, organisation)
    subject = organisation.name
    if organisation.kind == Organisation.Kind.COMMUNITY and organisation.parent:
        subject = f"{organisation.parent.name}、{organisation.name}"
    created = 0
    for area_order, spec in enumerate(STREET_TEMPLATE, start=1):
        area, _ = CatalogueArea.objects.get_or_create(
            organisation=organisation,
            code=spec.code,
            defaults={"name": spec.name, "order": area_order},
        )
        for order, row in enumerate(spec.items, start=1):
            _, was_created = CatalogueItem.objects.get_or_create(
                organisation=organisation,
                item_l1=row.item_l1,
                item_l2=row.item_l2,
                defaults={
                    "area": area,
                    "order": order,
                    "content": row.content,
                    "basis": row.basis,
                    "time_limit_text": row.time_limit_text,
                    "time_limit_days": row.time_limit_days,
                    "subjects": subject,
                    "channels": list(row.channels),
                    "audience_public": row.audience_public,
                    "audience_specific": row.audience_specific,
                    "mode_proactive": row.mode_proactive,
                    "mode_on_request": row.mode_on_request,
                    "level_county": row.level_county,
                    "level_township": row.level_township,
                    "update_period_days": row.update_period_days,
                    "art20": row.art20,
                },
            )
            created += int(was_created)
    audit_record(
        action="publishing.catalogue.load_template",
        actor=actor,
        organisation=organisation,
        details={"created_items": created},
    )
    return created


CATALOGUE_FIELDS = (
    "item_l1",
    "item_l2",
    "content",
    "basis",
    "time_limit_text",
    "time_limit_days",
    "subjects",
    "channels",
    "audience_public",
    "audience_specific",
    "mode_proactive",
    "mode_on_request",
    "level_county",
    "level_township",
    "update_period_days",
    "art20",
    "is_active",
)


@transaction.atomic
def catalogue_item_create(
    *, actor: Any, area: CatalogueArea, **fields: Any
) -> CatalogueItem:
    """Add a row to an area of the catalogue (an organisation's own item)."""
    require(actor, Perm.EDIT, area.organisation)
    unknown = set(fields) - set(CATALOGUE_FIELDS)
    if unknown:
        raise ValidationError(f"未知的目录字段：{', '.join(sorted(unknown))}")
    if CatalogueItem.objects.filter(
        organisation=area.organisation,
        item_l1=fields.get("item_l1", ""),
        item_l2=fields.get("item_l2", ""),
    ).exists():
        raise ValidationError("本机构目录中已有同名的公开事项。")
    top = area.items.aggregate(m=Max("order"))["m"] or 0
    item = CatalogueItem(
        organisation=area.organisation, area=area, order=top + 1, **fields
    )
    if not (item.mode_proactive or item.mode_on_request):
        raise ValidationError("公开方式至少选择“主动”或“依申请”之一。")
    item.full_clean(exclude=["organisation", "area"])
    item.save()
    audit_record(
        action="publishing.catalogue.create",
        actor=actor,
        organisation=area.organisation,
        obj=item,
        details={"area": area.code, "item": str(item)},
    )
    return item


@transaction.atomic
def catalogue_item_update(
    *, actor: Any, item: CatalogueItem, **fields: Any
) -> CatalogueItem:
    """Adapt one catalogue row (a community narrows or rewords its catalogue)."""
    require(actor, Perm.EDIT, item.organisation)
    unknown = set(fields) - set(CATALOGUE_FIELDS)
    if unknown:
        raise ValidationError(f"未知的目录字段：{', '.join(sorted(unknown))}")
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    before = {k: getattr(item, k) for k in fields}
    for key, value in fields.items():
        setattr(item, key, value)
    if not (item.mode_proactive or item.mode_on_request):
        raise ValidationError("公开方式至少选择“主动”或“依申请”之一。")
    item.full_clean(exclude=["organisation", "area"])
    item.save(update_fields=[*fields, "updated_at"])
    audit_record(
        action="publishing.catalogue.update",
        actor=actor,
        organisation=item.organisation,
        obj=item,
        details={
            "changes": {k: [before[k], v] for k, v in fields.items() if before[k] != v}
        },
    )
    return item


# ------------------------------------------------------------------ index numbers


def _org_code(org: Organisation) -> str:
    # 组织机构代码 = characters 9–17 of the 统一社会信用代码 (GB 32100-2015).
    return org.credit_code[8:17] if len(org.credit_code) == 18 else f"{org.pk:09d}"


def format_index_no(org: Organisation, year: int, serial: int, month: int = 1) -> str:
    """The 索引号 from the configured pattern (spec catalog-and-portal.md §5)."""
    pattern = getattr(
        settings, "GONGKAI_PUBLICATION_INDEX_PATTERN", DEFAULT_INDEX_PATTERN
    )
    try:
        return str(pattern).format(
            credit_code=org.credit_code or _org_code(org),
            uscc=org.credit_code or _org_code(org),
            org_code=_org_code(org),
            division_code=org.division_code,
            year=year,
            yyyy=year,
            month=month,
            serial=serial,
            seq=serial,
        )
    except (KeyError, ValueError, IndexError) as exc:
        raise ValidationError(f"索引号格式“{pattern}”无效：{exc}") from exc


def _lock_index_allocation(org: Organisation) -> None:
    """Serialise serial allocation per organisation until the transaction ends.

    PostgreSQL: a transaction-level advisory lock keyed on the organisation (no row
    lock on the organisation itself). SQLite: transactions are IMMEDIATE, so writers
    are already serialised. The unique constraints and the retry stay as a backstop.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [0x5055_4249 * 2**32 + org.pk]
            )


def _save_with_index(pub: Publication, manual_index: str) -> None:
    """Insert ``pub`` with a fresh serial; retry when a concurrent insert took it."""
    if manual_index:
        pub.index_no = manual_index
        pub.serial = None
        try:
            with transaction.atomic():
                pub.save()
        except IntegrityError:
            raise _duplicate_index(pub.organisation, manual_index) from None
        return
    _lock_index_allocation(pub.organisation)
    tried = 0
    for _ in range(INDEX_RETRIES):
        top = Publication.objects.filter(
            organisation=pub.organisation, year=pub.year
        ).aggregate(m=Max("serial"))["m"]
        # Past the last serial tried: a hand-entered 索引号 may already hold it.
        pub.serial = tried = max((top or 0) + 1, tried + 1)
        pub.index_no = format_index_no(
            pub.organisation, pub.year, pub.serial, pub.formed_on.month
        )
        try:
            with transaction.atomic():
                pub.save()
            return
        except IntegrityError:
            pub.pk = None
            continue
    raise ValidationError("生成索引号时发生冲突，请稍后重试。")


def _duplicate_index(org: Organisation, index_no: str) -> ValidationError:
    other = Publication.objects.filter(organisation=org, index_no=index_no).first()
    name = f"“{other.title}”" if other else "另一条信息"
    return ValidationError({"index_no": f"索引号“{index_no}”已被本机构的{name}使用。"})


# ------------------------------------------------------------------ publications

PUBLICATION_FIELDS = (
    "title",
    "summary",
    "body",
    "issuing_body",
    "formed_on",
    "document_number",
    "topic",
    "genre",
    "catalogue_item",
    "art20",
    "attribute",
    "withhold_reason",
    "validity",
    "valid_from",
    "expired_on",
    "repealed_on",
    "interprets",
    "channels",
)
_REVISION_FIELDS = tuple(f for f in PUBLICATION_FIELDS if f not in ("title", "body"))


def _clean_publication(actor: Any, org: Organisation, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PUBLICATION_FIELDS)
    if unknown:
        raise ValidationError(f"未知的字段：{', '.join(sorted(unknown))}")
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
        if not fields["title"]:
            raise ValidationError({"title": "标题不能为空。"})
    if "body" in fields:
        fields["body"] = clean_html(fields["body"])
    if "topic" in fields:
        try:
            fields["topic"] = normalise_topic(fields["topic"] or "")
        except ValueError as exc:
            raise ValidationError({"topic": str(exc)}) from exc
    item = fields.get("catalogue_item")
    if item is not None and item.organisation_id != org.pk:
        raise ValidationError({"catalogue_item": "目录事项不属于本机构。"})
    target = fields.get("interprets")
    if target is not None:
        require(actor, Perm.VIEW, target.organisation)
    if "channels" in fields:
        bad = [c for c in fields["channels"] if c not in Channel.values]
        if bad:
            raise ValidationError({"channels": f"未知的发布渠道：{'、'.join(bad)}"})


def _check_consistency(pub: Publication) -> None:
    if pub.attribute == Publication.Attribute.WITHHELD and not pub.withhold_reason:
        raise ValidationError({"withhold_reason": "不予公开的信息必须写明理由和依据。"})
    if pub.validity and not pub.is_normative:
        raise ValidationError({"validity": "只有规章和规范性文件才标注有效性。"})
    if pub.validity == Publication.Validity.EXPIRED and not pub.expired_on:
        raise ValidationError({"expired_on": "标注为失效的文件请填写失效日期。"})
    if pub.validity == Publication.Validity.REPEALED and not pub.repealed_on:
        raise ValidationError({"repealed_on": "标注为废止的文件请填写废止日期。"})
    for name in ("expired_on", "repealed_on"):
        end = getattr(pub, name)
        if end and end < pub.formed_on:
            raise ValidationError({name: "失效或废止日期不能早于成文日期。"})
    if pub.interprets_id is not None and pub.interprets_id == pub.pk:
        raise ValidationError({"interprets": "政策解读不能关联自身。"})


def _apply_defaults(pub: Publication) -> None:
    item = pub.catalogue_item
    if not pub.issuing_body:
        pub.issuing_body = pub.organisation.name
    if not pub.art20:
        if pub.is_normative:
            pub.art20 = Art20.A20_01
        elif item is not None:
            pub.art20 = item.art20
    if not pub.channels:
        pub.channels = delivery_channels(item.channels if item else [])
    if pub.is_normative and not pub.validity:
        pub.validity = Publication.Validity.VALID
    days = PROACTIVE_WORKING_DAYS
    if item is not None and item.time_limit_days:
        days = item.time_limit_days
    pub.due_on = (
        publication_due_date(pub.formed_on, days)
        if pub.attribute == Publication.Attribute.PROACTIVE
        else None
    )


def _snapshot(pub: Publication) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in _REVISION_FIELDS:
        value = getattr(pub, name)
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = value
    return data


def _revise(pub: Publication, actor: Any, changes: dict[str, Any], note: str) -> None:
    number = (pub.revisions.aggregate(m=Max("number"))["m"] or 0) + 1
    PublicationRevision.objects.create(
        publication=pub,
        number=number,
        title=pub.title,
        body=pub.body,
        data=_snapshot(pub),
        changes=changes,
        note=note,
        created_by=actor,
    )


def _event(
    pub: Publication, actor: Any, action: str, before: str, data: dict[str, Any]
) -> None:
    PublicationEvent.objects.create(
        publication=pub,
        action=action,
        from_status=before,
        to_status=pub.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data,
    )
    audit_record(
        action=f"publishing.publication.{action}",
        actor=actor,
        organisation=pub.organisation,
        obj=pub,
        details={"from": before, "to": pub.status, **data},
    )


@transaction.atomic
def publication_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    formed_on: date,
    index_no: str = "",
    **fields: Any,
) -> Publication:
    """A new draft with its 索引号 (generated, or ``index_no`` when given)."""
    require(actor, Perm.EDIT, organisation)
    fields = {"title": title, "formed_on": formed_on, **fields}
    _clean_publication(actor, organisation, fields)
    pub = Publication(
        organisation=organisation,
        year=formed_on.year,
        created_by=actor,
        status=Status.DRAFT,
        **fields,
    )
    _apply_defaults(pub)
    _check_consistency(pub)
    pub.full_clean(exclude=["index_no", "serial", "created_by", "interprets"])
    manual = index_no.strip()
    if (
        manual
        and Publication.objects.filter(
            organisation=organisation, index_no=manual
        ).exists()
    ):
        raise _duplicate_index(organisation, manual)
    _save_with_index(pub, manual)
    _revise(pub, actor, {}, "创建")
    _event(pub, actor, "create", "", {"index_no": pub.index_no})
    return pub


def _lock(pub: Publication) -> Publication:
    return (
        Publication.objects.select_for_update()
        .select_related("organisation")
        .get(pk=pub.pk)
    )


def _move(pub: Publication, action: Action) -> str:
    before = pub.status
    try:
        pub.status = transition(before, action)
    except IllegalTransition as exc:
        raise ValidationError(exc.message) from exc
    return before


@transaction.atomic
def publication_update(
    *, actor: Any, publication: Publication, note: str = "", **fields: Any
) -> Publication:
    """Change content. A draft is edited in place; a live item moves to 已更新 and
    its channels are queued again. Every change keeps a revision with a diff."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    if pub.status not in (Status.DRAFT, *LIVE_STATUSES):
        raise ValidationError(
            f"信息处于“{pub.status_label}”状态，不能修改；请先退回或重新起草。"
        )
    _clean_publication(actor, pub.organisation, fields)
    before_values = {k: getattr(pub, k) for k in fields}
    for key, value in fields.items():
        setattr(pub, key, value)
    _apply_defaults(pub)
    _check_consistency(pub)
    changes = {
        k: [_plain(before_values[k], k), _plain(v, k)]
        for k, v in fields.items()
        if before_values[k] != v
    }
    if not changes:
        return pub
    before = pub.status
    live = pub.status in LIVE_STATUSES
    if live:
        _move(pub, Action.REVISE)
        pub.last_changed_at = timezone.now()
    pub.full_clean(exclude=["created_by", "interprets"])
    pub.save()
    _revise(pub, actor, changes, note or ("发布后更新" if live else "修改草稿"))
    if live:
        _queue_deliveries(pub)
        _sync_register(pub, actor)
    _event(
        pub, actor, "revise" if live else "edit", before, {"fields": sorted(changes)}
    )
    return pub


def _plain(value: Any, name: str = "") -> Any:
    """A JSON-able, readable form of a field value (the body as its text)."""
    if name == "body":
        return plain_text(value or "")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


@transaction.atomic
def publication_submit(*, actor: Any, publication: Publication) -> Publication:
    """送审: to the office head for 保密审查 and the 公开属性 check."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    before = _move(pub, Action.SUBMIT)
    pub.save(update_fields=["status", "updated_at"])
    _event(pub, actor, "submit", before, {})
    return pub


@transaction.atomic
def publication_approve(
    *,
    actor: Any,
    publication: Publication,
    secrecy_checked: bool,
    note: str = "",
) -> Publication:
    """审核通过 (Perm.APPROVE): confirms 保密审查 (条例第十七条) and the 公开属性.

    A 主动公开 item becomes publishable; 依申请公开 / 不予公开 items are filed.
    """
    pub = _lock(publication)
    require(actor, Perm.APPROVE, pub.organisation)
    if not secrecy_checked:
        raise ValidationError("请先确认已完成保密审查，再审核通过。")
    _check_consistency(pub)
    proactive = pub.attribute == Publication.Attribute.PROACTIVE
    before = _move(pub, Action.APPROVE if proactive else Action.APPROVE_NOT_PUBLIC)
    pub.secrecy_checked = True
    pub.reviewed_by = actor
    pub.review_note = note
    pub.save(
        update_fields=[
            "status",
            "secrecy_checked",
            "reviewed_by",
            "review_note",
            "updated_at",
        ]
    )
    _event(pub, actor, "approve", before, {"attribute": pub.attribute, "note": note})
    return pub


@transaction.atomic
def publication_reject(
    *, actor: Any, publication: Publication, note: str
) -> Publication:
    """退回修改 with the reviewer's reasons."""
    pub = _lock(publication)
    require(actor, Perm.APPROVE, pub.organisation)
    if not note.strip():
        raise ValidationError("退回时请写明修改意见。")
    before = _move(pub, Action.REJECT)
    pub.review_note = note
    pub.save(update_fields=["status", "review_note", "updated_at"])
    _event(pub, actor, "reject", before, {"note": note})
    return pub


def _go_live(pub: Publication, actor: Any, action: Action) -> Publication:
    before = _move(pub, action)
    now = timezone.now()
    pub.published_at = now
    pub.last_changed_at = now
    pub.go_live_at = None
    pub.save(
        update_fields=[
            "status",
            "published_at",
            "last_changed_at",
            "go_live_at",
            "updated_at",
        ]
    )
    _queue_deliveries(pub)
    _sync_register(pub, actor)
    _event(pub, actor, str(action), before, {"late": pub.is_late})
    return pub


def _sync_register(pub: Publication, actor: Any) -> None:
    """A live 规章/规范性文件 keeps its entry in the table 二 register in step:
    制发 = 成文日期; its 失效/废止 dates follow the publication's 有效性."""
    if not pub.is_normative or pub.status not in LIVE_STATUSES:
        return
    kind = (
        NormativeDocument.Kind.REGULATION
        if pub.genre == Genre.REGULATION
        else NormativeDocument.Kind.NORMATIVE
    )
    values: dict[str, Any] = {
        "organisation": pub.organisation,
        "kind": kind,
        "title": pub.title,
        "document_number": pub.document_number,
        "issued_on": pub.formed_on,
    }
    # End dates only ever come in from the publication; one entered in the
    # register itself is never cleared by a later edit of the publication.
    for name in ("expired_on", "repealed_on"):
        if getattr(pub, name) is not None:
            values[name] = getattr(pub, name)
    entry = NormativeDocument.objects.filter(publication=pub).first()
    if entry is None:
        entry = NormativeDocument.objects.create(publication=pub, **values)
        action = "publishing.normative.register"
    else:
        changed = [k for k, v in values.items() if getattr(entry, k) != v]
        if not changed:
            return
        for key in changed:
            setattr(entry, key, values[key])
        entry.save(update_fields=changed)
        action = "publishing.normative.update"
    audit_record(
        action=action,
        actor=actor,
        organisation=pub.organisation,
        obj=entry,
        details={"publication": pub.pk, "issued_on": pub.formed_on.isoformat()},
    )


@transaction.atomic
def publication_publish(*, actor: Any, publication: Publication) -> Publication:
    """发布 now: the item goes live and every channel is queued in the outbox."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    return _go_live(pub, actor, Action.PUBLISH)


@transaction.atomic
def publication_schedule(
    *, actor: Any, publication: Publication, go_live_at: datetime
) -> Publication:
    """定时发布 at ``go_live_at`` (the ``publish_scheduled`` command publishes it)."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    if go_live_at <= timezone.now():
        raise ValidationError({"go_live_at": "定时发布时间应晚于当前时间。"})
    before = _move(pub, Action.SCHEDULE)
    pub.go_live_at = go_live_at
    pub.save(update_fields=["status", "go_live_at", "updated_at"])
    _event(pub, actor, "schedule", before, {"go_live_at": go_live_at.isoformat()})
    return pub


@transaction.atomic
def publication_unschedule(*, actor: Any, publication: Publication) -> Publication:
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    before = _move(pub, Action.UNSCHEDULE)
    pub.go_live_at = None
    pub.save(update_fields=["status", "go_live_at", "updated_at"])
    _event(pub, actor, "unschedule", before, {})
    return pub


def publication_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled item whose time has come (system actor); returns count."""
    now = now or timezone.now()
    due = list(
        Publication.objects.filter(
            status=Status.SCHEDULED, go_live_at__lte=now
        ).values_list("pk", flat=True)
    )
    done = 0
    for pk in due:
        with transaction.atomic():
            pub = Publication.objects.select_for_update().get(pk=pk)
            if pub.status != Status.SCHEDULED:
                continue  # published by hand meanwhile
            _go_live(pub, None, Action.GO_LIVE)
            done += 1
    return done


@transaction.atomic
def publication_withdraw(
    *, actor: Any, publication: Publication, reason: str
) -> Publication:
    """撤回 a live item (Perm.APPROVE); the public channels stop showing it."""
    pub = _lock(publication)
    require(actor, Perm.APPROVE, pub.organisation)
    if not reason.strip():
        raise ValidationError({"reason": "撤回时请写明理由。"})
    before = _move(pub, Action.WITHDRAW)
    pub.withdraw_reason = reason
    pub.save(update_fields=["status", "withdraw_reason", "updated_at"])
    _event(pub, actor, "withdraw", before, {"reason": reason})
    return pub


@transaction.atomic
def publication_reopen(*, actor: Any, publication: Publication) -> Publication:
    """重新起草: an approved, filed or withdrawn item goes back to draft."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    before = _move(pub, Action.REOPEN)
    pub.secrecy_checked = False
    pub.save(update_fields=["status", "secrecy_checked", "updated_at"])
    _event(pub, actor, "reopen", before, {})
    return pub


WORKFLOW_SERVICES: dict[str, Callable[..., Publication]] = {
    "submit": publication_submit,
    "approve": publication_approve,
    "reject": publication_reject,
    "publish": publication_publish,
    "schedule": publication_schedule,
    "unschedule": publication_unschedule,
    "withdraw": publication_withdraw,
    "reopen": publication_reopen,
}


def _enqueue_outbox_drain() -> None:
    """After commit, ask the task worker to drain the outbox (cron is the backstop)."""
    try:
        from gongkai.publishing.tasks import send_channel_outbox_task

        send_channel_outbox_task.enqueue()
    except Exception:  # a queue outage must not break publishing
        log.warning("could not enqueue send_channel_outbox_task", exc_info=True)


def _queue_deliveries(pub: Publication) -> None:
    """Put the item in the outbox for each of its channels (again after a change)."""
    transaction.on_commit(_enqueue_outbox_drain)
    revision = pub.revisions.aggregate(m=Max("number"))["m"] or 0
    now = timezone.now()
    for channel in pub.channels:
        ChannelDelivery.objects.update_or_create(
            publication=pub,
            channel=channel,
            defaults={
                "status": ChannelDelivery.State.READY,
                "attempts": 0,
                "last_error": "",
                "revision": revision,
                "next_attempt_at": now,
            },
        )


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


def genre_needs_interpretation(genre: str) -> bool:
    return genre in (Genre.NORMATIVE, Genre.REGULATION)

"""Creating and changing publications (content, 索引号, revisions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.core.publication_flow import (
    LIVE_STATUSES,
    Action,
    Status,
)
from gongkai.core.publication_rules import StepRefused, check_formed_on
from gongkai.core.search import ascii_digits
from gongkai.core.workdays import PROACTIVE_WORKING_DAYS
from gongkai.inspection.selectors import require_no_serious_wording
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.privacy.selectors import require_no_new_pii
from gongkai.publishing.content import clean_html, plain_text
from gongkai.publishing.models import (
    Publication,
    PublicationRevision,
)
from gongkai.publishing.reference import (
    Art20,
    Channel,
    Genre,
    delivery_channels,
    normalise_topic,
)
from gongkai.publishing.services._common import (
    _event,
    _lock,
    _move,
    _queue_deliveries,
    _sync_register,
)
from gongkai.publishing.services.deadlines import publication_due_date
from gongkai.publishing.services.index_numbers import _duplicate_index, _save_with_index

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
    "interpretation_form",
    "media_url",
    "channels",
)
_REVISION_FIELDS = tuple(f for f in PUBLICATION_FIELDS if f not in ("title", "body"))


def _clean_publication(actor: Actor, org: Organisation, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PUBLICATION_FIELDS)
    if unknown:
        raise ValidationError(f"未知的字段：{', '.join(sorted(unknown))}")
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
        if not fields["title"]:
            raise ValidationError({"title": "标题不能为空。"})
    if "body" in fields:
        fields["body"] = clean_html(fields["body"])
    if "document_number" in fields:
        # 洛街〔２０２６〕２１号 is saved as 洛街〔2026〕21号: the portal's 文号 filter and a
        # reader's copy find it as typed. Rows saved before are not rewritten: the
        # filter folds them when it compares (portal.selectors).
        fields["document_number"] = ascii_digits(
            str(fields["document_number"] or "")
        ).strip()
    if "topic" in fields:
        try:
            fields["topic"] = normalise_topic(fields["topic"] or "")
        except ValueError as exc:
            raise ValidationError({"topic": str(exc)}) from exc
    if isinstance(fields.get("formed_on"), date):
        try:
            check_formed_on(formed_on=fields["formed_on"], today=timezone.localdate())
        except StepRefused as exc:
            raise ValidationError({"formed_on": exc.message}) from exc
    item = fields.get("catalogue_item")
    if item is not None and item.organisation_id != org.pk:
        raise ValidationError({"catalogue_item": "目录事项不属于本机构。"})
    target = fields.get("interprets")
    if target is not None:
        # 政策解读 (issue 21): a body explains its own documents only (checked
        # first, so the answer names no other body's document).
        if target.organisation_id != org.pk:
            raise ValidationError(
                {
                    "interprets": "政策解读只能关联本机构制发的文件，所选文件属于其他机构。"
                }
            )
        require(actor, Perm.VIEW, target.organisation)
        if target.genre == Genre.INTERPRETATION:
            raise ValidationError(
                {"interprets": "政策解读应关联被解读的文件，不能关联另一篇解读。"}
            )
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
    if pub.genre == Genre.INTERPRETATION:
        if pub.interprets_id is None:
            raise ValidationError({"interprets": "政策解读须选择所解读的文件。"})
        if pub.interpretation_form == "media" and not pub.media_url:
            raise ValidationError({"media_url": "音视频解读请填写音视频的链接地址。"})
        if pub.media_url and not pub.media_url.lower().startswith(
            ("http://", "https://")
        ):
            raise ValidationError(
                {"media_url": "音视频链接须以 http:// 或 https:// 开头。"}
            )
    elif pub.interprets_id is not None:
        raise ValidationError(
            {"interprets": "只有体裁为“政策解读”的信息才能关联所解读的文件。"}
        )


def _drop_reason_of_public_item(pub: Publication) -> None:
    """A 不予公开理由 belongs only to an item not disclosed proactively (不予公开,
    依申请公开): a 主动公开 item carries none, whatever was typed or kept from an
    earlier 公开属性, so no screen shows a reason for withholding a public item."""
    if pub.attribute == Publication.Attribute.PROACTIVE:
        pub.withhold_reason = ""


def _apply_defaults(pub: Publication) -> None:
    _drop_reason_of_public_item(pub)
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
    if pub.genre == Genre.INTERPRETATION and not pub.interpretation_form:
        pub.interpretation_form = "text"
    if pub.is_normative and not pub.validity:
        pub.validity = Publication.Validity.VALID
    days = PROACTIVE_WORKING_DAYS
    if item is not None and item.time_limit_days:
        days = item.time_limit_days
    # 条例第二十六条: 20 working days from the day the information was formed or changed.
    pub.due_on = (
        publication_due_date(pub.changed_on or pub.formed_on, days)
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


def _revise(pub: Publication, actor: Actor, changes: dict[str, Any], note: str) -> None:
    number = (pub.revisions.aggregate(m=Max("number"))["m"] or 0) + 1
    author = stored_user(actor)
    assert author is not None  # revisions are made by signed-in staff (require()d)
    PublicationRevision.objects.create(
        publication=pub,
        number=number,
        title=pub.title,
        body=pub.body,
        data=_snapshot(pub),
        changes=changes,
        note=note,
        created_by=author,
    )


@transaction.atomic
def publication_create(
    *,
    actor: Actor,
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
        created_by=stored_user(actor),
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


@transaction.atomic
def _check_changed_on(pub: Publication, changed_on: date | None) -> None:
    if changed_on is None:
        return
    if pub.status not in LIVE_STATUSES:
        raise ValidationError(
            {"changed_on": "信息变更日期只用于已公开信息的更新；草稿请修改成文日期。"}
        )
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": "信息变更日期不能晚于今天。"})
    if changed_on < pub.formed_on:
        raise ValidationError({"changed_on": "信息变更日期不能早于成文日期。"})


def publication_update(
    *,
    actor: Actor,
    publication: Publication,
    note: str = "",
    changed_on: date | None = None,
    **fields: Any,
) -> Publication:
    """Change content. A draft is edited in place; a live item moves to 已更新 and
    its channels are queued again. Every change keeps a revision with a diff.

    ``changed_on``: for a live item, the day the information itself changed (条例第二十六条
    "变更之日", default today). The 20 working days then run from that day, and the
    update is late if it reaches the public after them."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    if pub.status not in (Status.DRAFT, *LIVE_STATUSES):
        raise ValidationError(
            f"信息处于“{pub.status_label}”状态，不能修改；请先退回或重新起草。"
        )
    _clean_publication(actor, pub.organisation, fields)
    _check_changed_on(pub, changed_on)
    before_values = {k: getattr(pub, k) for k in fields}
    if pub.status in LIVE_STATUSES:
        # A live item goes online again at once: no new personal information (issue 25).
        require_no_new_pii(
            pub,
            {k: str(v or "") for k, v in before_values.items() if k in _MASKABLE},
            {k: str(v or "") for k, v in fields.items() if k in _MASKABLE},
        )
    for key, value in fields.items():
        setattr(pub, key, value)
    if pub.status in LIVE_STATUSES:
        # Nor a 严重表述错误 (issue 26): a live item goes online again at once.
        require_no_serious_wording(pub)
    changes = {
        k: [_plain(before_values[k], k), _plain(v, k)]
        for k, v in fields.items()
        if before_values[k] != v
    }
    live = pub.status in LIVE_STATUSES
    if live and changes:
        pub.changed_on = changed_on or timezone.localdate()
    _apply_defaults(pub)
    _check_consistency(pub)
    if not changes:
        return pub
    before = pub.status
    if live:
        _move(pub, Action.REVISE)
        pub.last_changed_at = timezone.now()
    pub.full_clean(exclude=["created_by", "interprets"])
    pub.save()
    _revise(pub, actor, changes, note or ("发布后更新" if live else "修改草稿"))
    if live:
        _queue_deliveries(pub)
        _sync_register(pub, actor)
    details: dict[str, Any] = {"fields": sorted(changes)}
    if live:
        details["changed_on"] = _plain(pub.changed_on)
    _event(pub, actor, "revise" if live else "edit", before, details)
    return pub


_MASKABLE = ("title", "summary", "body")


@transaction.atomic
def publication_apply_masks(
    *,
    actor: Actor,
    publication: Publication,
    fields: dict[str, str],
    note: str = "一键遮蔽个人信息",
) -> Publication:
    """Replace title, summary or body by their masked text (一键遮蔽, issue 25), in any
    status — also during 保密审查. The text before is kept in the revisions (staff
    only). A live item's channels get the masked version; the search index follows
    the saved row."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    unknown = set(fields) - set(_MASKABLE)
    if unknown:
        raise ValidationError(f"未知的字段：{', '.join(sorted(unknown))}")
    if "body" in fields:
        fields = {**fields, "body": clean_html(fields["body"])}
    changes = {
        k: [_plain(getattr(pub, k), k), _plain(v, k)]
        for k, v in fields.items()
        if getattr(pub, k) != v
    }
    if not changes:
        return pub
    for key, value in fields.items():
        setattr(pub, key, value)
    before = pub.status
    live = pub.status in LIVE_STATUSES
    update = [*changes, "updated_at"]
    if live:
        _move(pub, Action.REVISE)
        pub.last_changed_at = timezone.now()
        update += ["status", "last_changed_at"]
    pub.save(update_fields=update)
    _revise(pub, actor, changes, note)
    if live:
        _queue_deliveries(pub)
    _event(pub, actor, "mask", before, {"fields": sorted(changes)})
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

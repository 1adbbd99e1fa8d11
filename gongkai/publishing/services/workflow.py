"""One service per workflow action (送审, 审核, 发布, 定时, 撤回, 重新起草)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.core.publication_flow import (
    Action,
    Status,
)
from gongkai.inspection.selectors import require_no_serious_wording
from gongkai.orgs.permissions import Perm, require
from gongkai.privacy.selectors import require_publishable
from gongkai.publishing.models import (
    Publication,
)
from gongkai.publishing.services._common import (
    _event,
    _lock,
    _move,
    _queue_deliveries,
    _sync_register,
    _take_down_deliveries,
)
from gongkai.publishing.services.publications import _check_consistency


@transaction.atomic
def publication_submit(*, actor: Actor, publication: Publication) -> Publication:
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
    actor: Actor,
    publication: Publication,
    secrecy_checked: bool,
    note: str = "",
    attribute: str | None = None,
    withhold_reason: str | None = None,
) -> Publication:
    """审核通过 (Perm.APPROVE): confirms 保密审查 (条例第十七条) and decides the 公开属性.

    The reviewer may set ``attribute`` (and ``withhold_reason``) here. A 主动公开
    item becomes publishable; 依申请公开 / 不予公开 items are filed.
    """
    pub = _lock(publication)
    require(actor, Perm.APPROVE, pub.organisation)
    if not secrecy_checked:
        raise ValidationError("请先确认已完成保密审查，再审核通过。")
    changed: dict[str, list[str]] = {}
    if attribute is not None and attribute != pub.attribute:
        if attribute not in Publication.Attribute.values:
            raise ValidationError({"attribute": f"公开属性“{attribute}”无效。"})
        changed["attribute"] = [pub.attribute, attribute]
        pub.attribute = attribute
    reason = pub.withhold_reason if withhold_reason is None else withhold_reason
    if pub.attribute == Publication.Attribute.PROACTIVE:
        reason = ""  # a public item has no 不予公开理由 (_drop_reason_of_public_item)
    if reason != pub.withhold_reason:
        changed["withhold_reason"] = [pub.withhold_reason, reason]
        pub.withhold_reason = reason
    _check_consistency(pub)
    proactive = pub.attribute == Publication.Attribute.PROACTIVE
    if proactive:
        # 严重表述错误 (issue 26): 保密审查 does not pass them; 错别字 are only shown.
        require_no_serious_wording(pub)
    before = _move(pub, Action.APPROVE if proactive else Action.APPROVE_NOT_PUBLIC)
    pub.secrecy_checked = True
    pub.reviewed_by = stored_user(actor)
    pub.review_note = note
    if not proactive:
        pub.due_on = None  # Art. 26 binds only information to be disclosed proactively
    pub.save(
        update_fields=[
            "status",
            "attribute",
            "withhold_reason",
            "due_on",
            "secrecy_checked",
            "reviewed_by",
            "review_note",
            "updated_at",
        ]
    )
    _event(
        pub,
        actor,
        "approve",
        before,
        {"attribute": pub.attribute, "note": note, "changed": changed},
    )
    return pub


@transaction.atomic
def publication_reject(
    *, actor: Actor, publication: Publication, note: str
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


def _go_live(pub: Publication, actor: Actor, action: Action) -> Publication:
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


@transaction.atomic
def publication_publish(*, actor: Actor, publication: Publication) -> Publication:
    """发布 now: the item goes live and every channel is queued in the outbox."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    # Personal information unmasked and without a recorded basis: refused (issue 25).
    require_publishable(pub)
    require_no_serious_wording(pub)  # 严重表述错误 (issue 26)
    return _go_live(pub, actor, Action.PUBLISH)


@transaction.atomic
def publication_schedule(
    *, actor: Actor, publication: Publication, go_live_at: datetime
) -> Publication:
    """定时发布 at ``go_live_at`` (the ``publish_scheduled`` command publishes it)."""
    pub = _lock(publication)
    require(actor, Perm.EDIT, pub.organisation)
    if go_live_at <= timezone.now():
        raise ValidationError({"go_live_at": "定时发布时间应晚于当前时间。"})
    require_publishable(pub)
    require_no_serious_wording(pub)
    before = _move(pub, Action.SCHEDULE)
    pub.go_live_at = go_live_at
    pub.save(update_fields=["status", "go_live_at", "updated_at"])
    _event(pub, actor, "schedule", before, {"go_live_at": go_live_at.isoformat()})
    return pub


@transaction.atomic
def publication_unschedule(*, actor: Actor, publication: Publication) -> Publication:
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
            try:
                require_publishable(pub)
                require_no_serious_wording(pub)
            except ValidationError as exc:
                # Something with personal information reached the item after it was
                # scheduled (or the rules changed): back to 审核通过 for a person.
                before = _move(pub, Action.UNSCHEDULE)
                pub.go_live_at = None
                pub.save(update_fields=["status", "go_live_at", "updated_at"])
                _event(pub, None, "unschedule", before, {"reason": exc.messages[0]})
                continue
            _go_live(pub, None, Action.GO_LIVE)
            done += 1
    return done


@transaction.atomic
def publication_withdraw(
    *, actor: Actor, publication: Publication, reason: str
) -> Publication:
    """撤回 a live item (Perm.APPROVE); the public channels stop showing it."""
    pub = _lock(publication)
    require(actor, Perm.APPROVE, pub.organisation)
    if not reason.strip():
        raise ValidationError({"reason": "撤回时请写明理由。"})
    before = _move(pub, Action.WITHDRAW)
    pub.withdraw_reason = reason
    pub.save(update_fields=["status", "withdraw_reason", "updated_at"])
    _take_down_deliveries(pub)
    _event(pub, actor, "withdraw", before, {"reason": reason})
    return pub


@transaction.atomic
def publication_reopen(*, actor: Actor, publication: Publication) -> Publication:
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

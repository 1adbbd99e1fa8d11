"""Helpers shared by the publication services: locking, moves, events, side effects."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.publication_flow import (
    LIVE_STATUSES,
    Action,
    IllegalTransition,
    transition,
)
from gongkai.publishing.models import (
    ChannelDelivery,
    NormativeDocument,
    Publication,
    PublicationEvent,
)
from gongkai.publishing.reference import (
    Channel,
    Genre,
)
from gongkai.publishing.signals import outbox_filled

log = logging.getLogger("gongkai.publishing.services")


def _event(
    pub: Publication, actor: Actor, action: str, before: str, data: dict[str, Any]
) -> None:
    PublicationEvent.objects.create(
        publication=pub,
        action=action,
        from_status=before,
        to_status=pub.status,
        actor=stored_user(actor),
        data=data,
    )
    audit_record(
        action=f"publishing.publication.{action}",
        actor=actor,
        organisation=pub.organisation,
        obj=pub,
        details={"from": before, "to": pub.status, **data},
    )


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


def _sync_register(pub: Publication, actor: Actor) -> None:
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


def _outbox_filled() -> None:
    """After commit: tell whoever drains the outbox (``tasks``, connected in ready())."""
    outbox_filled.send(sender=ChannelDelivery)


def _queue_deliveries(pub: Publication) -> None:
    """Put the item in the outbox for each of its channels (again after a change)."""
    transaction.on_commit(_outbox_filled)
    revision = pub.revisions.aggregate(m=Max("number"))["m"] or 0
    now = timezone.now()
    existing = {d.channel: d for d in ChannelDelivery.objects.filter(publication=pub)}
    for channel in pub.channels:
        defaults: dict[str, object] = {
            "status": ChannelDelivery.State.READY,
            "attempts": 0,
            "last_error": "",
            "revision": revision,
            "next_attempt_at": now,
        }
        # A copy already on WeChat is replaced: it comes down after the new one is up.
        up = existing.get(channel)
        if (
            channel == Channel.WECHAT
            and up is not None
            and up.status == ChannelDelivery.State.SENT
            and up.external_id
        ):
            defaults["superseded_id"] = up.external_id
        ChannelDelivery.objects.update_or_create(
            publication=pub, channel=channel, defaults=defaults
        )


# Channels whose copy someone or something must remove after a withdrawal; the others
# (portal, feeds, hall screen) show live items only, so theirs is gone at once.
TAKEN_DOWN_BY_HAND_OR_API = (Channel.WECHAT, Channel.NOTICE_BOARD)


def _take_down_deliveries(pub: Publication) -> None:
    """After a withdrawal: queue the removal of every copy still on a channel."""
    transaction.on_commit(_outbox_filled)
    now = timezone.now()
    for delivery in ChannelDelivery.objects.select_for_update().filter(publication=pub):
        was_up = delivery.status == ChannelDelivery.State.SENT or bool(
            delivery.superseded_id
        )
        if was_up and delivery.channel in TAKEN_DOWN_BY_HAND_OR_API:
            delivery.status = ChannelDelivery.State.RETRACT
        else:
            delivery.status = ChannelDelivery.State.WITHDRAWN
        delivery.attempts = 0
        delivery.last_error = ""
        delivery.next_attempt_at = now
        delivery.save(
            update_fields=[
                "status",
                "attempts",
                "last_error",
                "next_attempt_at",
                "updated_at",
            ]
        )

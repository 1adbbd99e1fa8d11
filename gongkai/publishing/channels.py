"""Channel adapters and the outbox drain.

``ChannelDelivery`` rows are written by the publishing services (in the same
transaction as the publication); :func:`outbox_send` delivers them. Portal, feeds
and the hall screen read live items themselves, so their delivery just confirms the
item is live. WeChat goes through the official-account API (draft/add, then
freepublish/submit). The notice board needs a person: the row stays ready until
someone confirms the printed poster is up (``delivery_confirm``).

Withdrawal and updates take copies down again: a withdrawn item's WeChat article is
deleted (freepublish/get for its article_id, then freepublish/delete) and its poster
waits for a person to confirm it is gone; an updated item's previous WeChat article
is deleted once the new one is up (``superseded_id``).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.core.letters import chinese_date
from gongkai.orgs.permissions import Perm, require
from gongkai.publishing.content import plain_text
from gongkai.publishing.models import ChannelDelivery, Publication
from gongkai.publishing.reference import Channel

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class ChannelError(Exception):
    """A delivery failed; the message (Chinese) is stored as ``last_error``."""


class ChannelNotReady(Exception):
    """The channel cannot be tried now (not configured / needs a person).

    ``recheck_after``: how long the drain leaves the row alone before asking again.
    A row that waits for a person (the notice board) or for configuration would
    otherwise be locked and rewritten by every drain, minute after minute, until
    someone acts; a person's confirmation on the 同步 page does not need the drain.
    """

    def __init__(self, message: str, recheck_after: timedelta = timedelta(0)):
        super().__init__(message)
        self.recheck_after = recheck_after


# Rows waiting for a person are looked at again hourly; for configuration (which
# takes a restart to change), every ten minutes.
WAIT_FOR_PERSON = timedelta(hours=1)
WAIT_FOR_CONFIGURATION = timedelta(minutes=10)


# ------------------------------------------------------------------ WeChat


class WeChatClient:
    """The part of the 公众号 API we use: token, draft/add, freepublish/submit."""

    def __init__(self, base: str, appid: str, secret: str, timeout: float = 10):
        self.base = base.rstrip("/")
        self.appid = appid
        self.secret = secret
        self.timeout = timeout
        self._token: str | None = None
        self._token_expires = 0.0

    def _call(
        self, path: str, params: dict[str, str], body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        url = f"{self.base}{path}?{urllib.parse.urlencode(params)}"
        data = None
        headers = {}
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310  # base URL from settings (https in production)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:  # noqa: S310
                payload = json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ChannelError(f"无法连接微信接口：{exc}") from exc
        except json.JSONDecodeError as exc:
            raise ChannelError("微信接口返回了无法解析的数据。") from exc
        if payload.get("errcode", 0) not in (0, None):
            if payload.get("errcode") in (40001, 40014, 42001):
                self._token = None  # invalid or expired token: fetch anew next time
            raise ChannelError(
                f"微信接口返回错误 {payload.get('errcode')}：{payload.get('errmsg', '')}"
            )
        return dict(payload)

    def token(self) -> str:
        if self._token and time.monotonic() < self._token_expires:
            return self._token
        got = self._call(
            "/cgi-bin/token",
            {
                "grant_type": "client_credential",
                "appid": self.appid,
                "secret": self.secret,
            },
        )
        token = got.get("access_token")
        if not token:
            raise ChannelError("微信接口没有返回 access_token。")
        self._token = str(token)
        self._token_expires = time.monotonic() + int(got.get("expires_in", 7200)) - 300
        return self._token

    def publish_article(self, article: dict[str, Any]) -> str:
        """Add a draft and submit it for free publishing; returns the publish_id."""
        draft = self._call(
            "/cgi-bin/draft/add",
            {"access_token": self.token()},
            {"articles": [article]},
        )
        media_id = draft.get("media_id")
        if not media_id:
            raise ChannelError("微信接口没有返回草稿 media_id。")
        submitted = self._call(
            "/cgi-bin/freepublish/submit",
            {"access_token": self.token()},
            {"media_id": media_id},
        )
        return str(submitted.get("publish_id", media_id))

    def delete_published(self, publish_id: str) -> None:
        """Take a published article down (freepublish/get for its article_id, then
        freepublish/delete of the whole message). Nothing to do if it never went up
        or is already gone; ChannelNotReady while WeChat is still publishing it."""
        state = self._call(
            "/cgi-bin/freepublish/get",
            {"access_token": self.token()},
            {"publish_id": publish_id},
        )
        status = int(state.get("publish_status", -1))
        if status == WECHAT_PUBLISHING:
            raise ChannelNotReady("微信仍在发布该文章，稍后再撤下。")
        if status != WECHAT_PUBLISHED or not state.get("article_id"):
            return  # failed, rejected, banned or already deleted: nothing is up
        self._call(
            "/cgi-bin/freepublish/delete",
            {"access_token": self.token()},
            {"article_id": state["article_id"], "index": 0},
        )


_clients: dict[tuple[str, str, str], WeChatClient] = {}
# freepublish/get publish_status: 0 published, 1 publishing; the rest (failed,
# rejected, deleted, banned) mean nothing is up to take down.
WECHAT_PUBLISHED, WECHAT_PUBLISHING = 0, 1


def wechat_client() -> WeChatClient:
    """The configured client; reused so its access token serves many articles
    (WeChat limits token requests per day)."""
    appid = getattr(settings, "GONGKAI_WECHAT_APPID", "")
    secret = getattr(settings, "GONGKAI_WECHAT_SECRET", "")
    if not appid or not secret:
        raise ChannelNotReady(
            "未配置微信公众号：请系统管理员在部署配置中填写公众号的 AppID 和 AppSecret。",
            WAIT_FOR_CONFIGURATION,
        )
    base = getattr(settings, "GONGKAI_WECHAT_API_BASE", "https://api.weixin.qq.com")
    key = (base, appid, secret)
    if key not in _clients:
        _clients[key] = WeChatClient(base, appid, secret)
    return _clients[key]


def wechat_article(pub: Publication) -> dict[str, Any]:
    """The 图文消息 of a publication (content keeps the sanitised HTML)."""
    header = (
        f"<p>索引号：{pub.index_no}　发布机构：{pub.issuing_body}　"
        f"成文日期：{chinese_date(pub.formed_on)}</p>"
    )
    article: dict[str, Any] = {
        "title": pub.title[:64],
        "author": pub.issuing_body[:8],
        "digest": (pub.summary or plain_text(pub.body))[:120],
        "content": header + (pub.body or f"<p>{pub.title}</p>"),
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
    }
    thumb = getattr(settings, "GONGKAI_WECHAT_THUMB_MEDIA_ID", "")
    if thumb:
        article["thumb_media_id"] = thumb
    return article


# ------------------------------------------------------------------ dispatch


def _deliver(delivery: ChannelDelivery) -> str:
    """Send one row; returns the channel's id for it. Raises on failure."""
    pub = delivery.publication
    if not pub.is_live or pub.attribute != Publication.Attribute.PROACTIVE:
        raise ChannelError("信息已不在发布状态，未发送。")
    channel = delivery.channel
    if channel in (Channel.PORTAL, Channel.FEED, Channel.HALL_SCREEN):
        return pub.index_no  # these read live items themselves: live = delivered
    if channel == Channel.WECHAT:
        return wechat_client().publish_article(wechat_article(pub))
    if channel == Channel.NOTICE_BOARD:
        raise ChannelNotReady(
            "待打印张贴到信息公示栏（张贴后请在同步页确认）。", WAIT_FOR_PERSON
        )
    raise ChannelError(f"未知渠道：{channel}")


def outbox_send(*, limit: int = 200) -> dict[str, int]:
    """Drain ready (and retryable failed) rows; each row in its own transaction."""
    now = timezone.now()
    pending = list(
        ChannelDelivery.objects.filter(
            Q(
                status__in=[
                    ChannelDelivery.State.READY,
                    ChannelDelivery.State.FAILED,
                    ChannelDelivery.State.RETRACT,
                ]
            )
            | (Q(status=ChannelDelivery.State.SENT) & ~Q(superseded_id="")),
            attempts__lt=MAX_ATTEMPTS,
        )
        .exclude(next_attempt_at__gt=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "failed": 0, "waiting": 0}
    for pk in pending:
        counts[_send_one(pk)] += 1
    return counts


def _send_one(pk: int) -> str:
    with transaction.atomic():
        delivery = (
            ChannelDelivery.objects.select_for_update()
            .select_related("publication", "publication__organisation")
            .get(pk=pk)
        )
        if delivery.status == ChannelDelivery.State.RETRACT:
            return _take_down(delivery)
        if delivery.status == ChannelDelivery.State.SENT:
            return _remove_superseded(delivery) if delivery.superseded_id else "waiting"
        try:
            external_id = _deliver(delivery)
        except ChannelNotReady as exc:
            return _wait(delivery, exc)
        except ChannelError as exc:
            delivery.status = ChannelDelivery.State.FAILED
            _failed_attempt(delivery, str(exc))
            outcome = "failed"
        else:
            delivery.attempts += 1
            delivery.status = ChannelDelivery.State.SENT
            delivery.external_id = external_id[:100]
            delivery.last_error = ""
            delivery.sent_at = timezone.now()
            delivery.save(
                update_fields=[
                    "attempts",
                    "status",
                    "external_id",
                    "last_error",
                    "sent_at",
                    "updated_at",
                ]
            )
            outcome = "sent"
            if delivery.superseded_id:
                _remove_superseded(delivery)
        audit_record(
            action=f"publishing.delivery.{outcome}",
            organisation=delivery.publication.organisation,
            obj=delivery,
            details={"channel": delivery.channel, "error": delivery.last_error},
            username="system",
        )
        return outcome


def _wait(delivery: ChannelDelivery, exc: ChannelNotReady, prefix: str = "") -> str:
    """Not an error: the channel or a person is not ready yet; ask again after the
    wait the reason calls for (at the next drain when it calls for none)."""
    delivery.last_error = f"{prefix}{exc}"
    delivery.next_attempt_at = timezone.now() + exc.recheck_after
    delivery.save(update_fields=["last_error", "next_attempt_at", "updated_at"])
    return "waiting"


def _failed_attempt(delivery: ChannelDelivery, error: str) -> None:
    """Count a failed call and back off 2, 4, 8… minutes before the next one."""
    delivery.attempts += 1
    delivery.last_error = error
    delivery.next_attempt_at = timezone.now() + timedelta(minutes=2**delivery.attempts)
    delivery.save(
        update_fields=[
            "attempts",
            "status",
            "last_error",
            "next_attempt_at",
            "updated_at",
        ]
    )


def _take_down(delivery: ChannelDelivery) -> str:
    """A withdrawn item's copy comes off the channel (called inside the row's lock)."""
    try:
        if delivery.channel == Channel.NOTICE_BOARD:
            raise ChannelNotReady(
                "待从信息公示栏撤下（撤下后请在同步页确认）。", WAIT_FOR_PERSON
            )
        if delivery.channel == Channel.WECHAT:
            for publish_id in {delivery.external_id, delivery.superseded_id} - {""}:
                wechat_client().delete_published(publish_id)
    except ChannelNotReady as exc:
        return _wait(delivery, exc)
    except ChannelError as exc:
        _failed_attempt(delivery, f"撤下失败：{exc}")
        outcome = "failed"
    else:
        delivery.status = ChannelDelivery.State.WITHDRAWN
        delivery.superseded_id = ""
        delivery.last_error = ""
        delivery.save(
            update_fields=["status", "superseded_id", "last_error", "updated_at"]
        )
        outcome = "sent"
    audit_record(
        action=f"publishing.delivery.take_down.{outcome}",
        organisation=delivery.publication.organisation,
        obj=delivery,
        details={"channel": delivery.channel, "error": delivery.last_error},
        username="system",
    )
    return outcome


def _remove_superseded(delivery: ChannelDelivery) -> str:
    """The new version is up on WeChat: take the previous one down."""
    try:
        wechat_client().delete_published(delivery.superseded_id)
    except ChannelNotReady as exc:
        return _wait(delivery, exc, prefix="旧版本未撤下：")
    except ChannelError as exc:
        _failed_attempt(delivery, f"旧版本撤下失败：{exc}")
        return "failed"
    delivery.superseded_id = ""
    delivery.save(update_fields=["superseded_id", "updated_at"])
    return "sent"


@transaction.atomic
def delivery_confirm(*, actor: Actor, delivery: ChannelDelivery) -> ChannelDelivery:
    """A person confirms a manual channel (the notice board poster is up)."""
    delivery = (
        ChannelDelivery.objects.select_for_update()
        .select_related("publication__organisation")
        .get(pk=delivery.pk)
    )
    require(actor, Perm.EDIT, delivery.publication.organisation)
    if delivery.channel != Channel.NOTICE_BOARD:
        raise ValidationError("只有信息公示栏需要人工确认张贴。")
    if delivery.status == ChannelDelivery.State.RETRACT:
        # The poster of a withdrawn item has been taken down.
        delivery.status = ChannelDelivery.State.WITHDRAWN
        delivery.last_error = ""
        delivery.save(update_fields=["status", "last_error", "updated_at"])
        audit_record(
            action="publishing.delivery.confirm_take_down",
            actor=actor,
            organisation=delivery.publication.organisation,
            obj=delivery,
            details={"channel": delivery.channel},
        )
        return delivery
    delivery.status = ChannelDelivery.State.SENT
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    delivery.attempts += 1
    delivery.save(
        update_fields=["status", "sent_at", "last_error", "attempts", "updated_at"]
    )
    audit_record(
        action="publishing.delivery.confirm",
        actor=actor,
        organisation=delivery.publication.organisation,
        obj=delivery,
        details={"channel": delivery.channel},
    )
    return delivery


@transaction.atomic
def delivery_retry(*, actor: Actor, delivery: ChannelDelivery) -> ChannelDelivery:
    """Put a failed row back in the queue now (attempts start again)."""
    delivery = (
        ChannelDelivery.objects.select_for_update()
        .select_related("publication__organisation")
        .get(pk=delivery.pk)
    )
    require(actor, Perm.EDIT, delivery.publication.organisation)
    delivery.status = ChannelDelivery.State.READY
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    audit_record(
        action="publishing.delivery.retry",
        actor=actor,
        organisation=delivery.publication.organisation,
        obj=delivery,
        details={"channel": delivery.channel},
    )
    return delivery

"""Every channel: WeChat (against the local fake), feeds, poster PDF, hall screen,
notice board confirmation, the outbox command and task, and the sync view."""

from __future__ import annotations

import io
import json
import socket
from datetime import timedelta

import pdfplumber
import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from gongkai.backoffice.context import SESSION_KEY
from gongkai.publishing import services
from gongkai.publishing.channels import delivery_confirm, outbox_send
from gongkai.publishing.models import ChannelDelivery
from gongkai.publishing.tests.factories import make_live
from gongkai.publishing.tests.fake_wechat import APPID, SECRET, FakeWeChat

OFFICE = "/office/publishing"
ALL = ["portal", "feed", "wechat", "notice_board", "hall_screen"]


@pytest.fixture
def wechat(settings):
    with FakeWeChat() as fake:
        settings.GONGKAI_WECHAT_API_BASE = fake.base
        settings.GONGKAI_WECHAT_APPID = APPID
        settings.GONGKAI_WECHAT_SECRET = SECRET
        yield fake


def _delivery(pub, channel: str) -> ChannelDelivery:
    return ChannelDelivery.objects.get(publication=pub, channel=channel)


def test_the_fake_wechat_server_receives_the_article(tree, wechat) -> None:
    pub = make_live(
        tree.street,
        tree.officer,
        tree.head,
        "洛浦街道低保名单公示",
        channels=ALL,
        body="<p>名单如下</p>",
    )
    counts = outbox_send()
    # portal, feed, wechat, hall_screen sent; notice_board waits for a person.
    assert counts == {"sent": 4, "failed": 0, "waiting": 1}
    assert len(wechat.drafts) == 1
    article = wechat.drafts["MEDIA_1"]
    assert article["title"] == "洛浦街道低保名单公示"
    assert "名单如下" in article["content"] and pub.index_no in article["content"]
    assert wechat.published == ["MEDIA_1"]
    d = _delivery(pub, "wechat")
    assert d.status == "sent" and d.external_id == "PUB_1" and d.attempts == 1
    # Portal, feeds and the screen read live items: delivered on the first pass.
    assert _delivery(pub, "portal").status == "sent"
    assert _delivery(pub, "hall_screen").status == "sent"
    # The notice board waits for a person.
    board = _delivery(pub, "notice_board")
    assert board.status == "ready" and "待打印张贴" in board.last_error


def test_a_wechat_error_is_recorded_and_retried_later(tree, wechat, client) -> None:
    wechat.fail_draft_with = (45009, "reach max api daily quota limit")
    pub = make_live(tree.street, tree.officer, tree.head, channels=["portal", "wechat"])
    outbox_send()
    d = _delivery(pub, "wechat")
    assert d.status == "failed" and d.attempts == 1
    assert "45009" in d.last_error
    assert d.next_attempt_at > timezone.now()
    # Not retried before its time.
    outbox_send()
    assert _delivery(pub, "wechat").attempts == 1
    # The sync view says which channel and why.
    client.force_login(tree.officer)
    page = client.get(f"{OFFICE}/sync/").content.decode()
    assert "微信公众号" in page and "45009" in page
    # Retry from the sync view, after the quota is back.
    wechat.fail_draft_with = None
    client.post(f"{OFFICE}/sync/{d.pk}/retry/")
    outbox_send()
    assert _delivery(pub, "wechat").status == "sent"


def test_an_unreachable_wechat_server_fails_the_delivery(tree, settings) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.GONGKAI_WECHAT_API_BASE = f"http://127.0.0.1:{port}"
    settings.GONGKAI_WECHAT_APPID = APPID
    settings.GONGKAI_WECHAT_SECRET = SECRET
    pub = make_live(tree.street, tree.officer, tree.head, channels=["wechat"])
    outbox_send()
    d = _delivery(pub, "wechat")
    assert d.status == "failed" and "无法连接微信接口" in d.last_error


def test_wrong_credentials_are_reported(tree, wechat, settings) -> None:
    settings.GONGKAI_WECHAT_SECRET = "wrong"
    pub = make_live(tree.street, tree.officer, tree.head, channels=["wechat"])
    outbox_send()
    assert "40013" in _delivery(pub, "wechat").last_error
    assert wechat.drafts == {}


def test_unconfigured_wechat_waits_with_a_reason(tree, client) -> None:
    pub = make_live(
        tree.street,
        tree.officer,
        tree.head,
        "未配置公众号的信息",
        channels=["portal", "wechat"],
    )
    assert outbox_send() == {"sent": 1, "failed": 0, "waiting": 1}
    d = _delivery(pub, "wechat")
    assert d.status == "ready" and d.attempts == 0
    client.force_login(tree.officer)
    page = client.get(f"{OFFICE}/sync/").content.decode()
    assert "未配置公众号的信息" in page and "未配置微信公众号" in page


def test_rows_waiting_for_a_person_or_configuration_are_left_alone_a_while(
    tree,
) -> None:
    """Each drain used to lock and rewrite every waiting row again (minute after
    minute until someone posted the notice or configured WeChat)."""
    pub = make_live(
        tree.street, tree.officer, tree.head, channels=["notice_board", "wechat"]
    )
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox_send() == {"sent": 0, "failed": 0, "waiting": 2}
        assert outbox_send() == {"sent": 0, "failed": 0, "waiting": 0}
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        assert outbox_send() == {"sent": 0, "failed": 0, "waiting": 1}  # WeChat again
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        # the board again, with WeChat (last asked at minute 11)
        assert outbox_send() == {"sent": 0, "failed": 0, "waiting": 2}
    assert "张贴" in _delivery(pub, "notice_board").last_error
    # A person's confirmation needs no drain.
    delivery_confirm(actor=tree.officer, delivery=_delivery(pub, "notice_board"))
    assert _delivery(pub, "notice_board").status == "sent"


def test_the_notice_board_is_confirmed_by_a_person(tree, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, channels=["notice_board"])
    outbox_send()
    d = _delivery(pub, "notice_board")
    client.force_login(tree.liaison_a)
    assert client.post(f"{OFFICE}/sync/{d.pk}/confirm/").status_code == 404
    client.force_login(tree.officer)
    assert "待打印张贴到信息公示栏" in client.get(f"{OFFICE}/sync/").content.decode()
    client.post(f"{OFFICE}/sync/{d.pk}/confirm/")
    d.refresh_from_db()
    assert d.status == "sent" and d.sent_at is not None


def test_a_changed_item_goes_out_again(tree, wechat) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "初版", channels=["wechat"])
    outbox_send()
    services.publication_update(actor=tree.officer, publication=pub, title="更正版")
    assert _delivery(pub, "wechat").status == "ready"
    outbox_send()
    assert [a["title"] for a in wechat.drafts.values()] == ["初版", "更正版"]


def test_the_command_and_the_task_drain_the_outbox(tree) -> None:
    from gongkai.publishing.tasks import send_channel_outbox_task

    first = make_live(tree.street, tree.officer, tree.head, "一", channels=["portal"])
    out = io.StringIO()
    call_command("send_channel_outbox", stdout=out)
    assert "已送达 1 条" in out.getvalue()
    assert _delivery(first, "portal").status == "sent"
    second = make_live(tree.street, tree.officer, tree.head, "二", channels=["portal"])
    assert send_channel_outbox_task.call() == {"sent": 1, "failed": 0, "waiting": 0}
    assert _delivery(second, "portal").status == "sent"


def test_a_withdrawn_item_is_not_sent(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, channels=["portal"])
    services.publication_withdraw(actor=tree.head, publication=pub, reason="错误")
    assert outbox_send() == {"sent": 0, "failed": 0, "waiting": 0}
    d = _delivery(pub, "portal")
    assert d.status == "withdrawn" and d.sent_at is None


# ------------------------------------------------------------------ public outputs


def test_the_feeds_contain_live_items_only(tree, client) -> None:
    make_live(tree.street, tree.officer, tree.head, "公开的通知")
    withdrawn = make_live(tree.street, tree.officer, tree.head, "撤回的通知")
    services.publication_withdraw(actor=tree.head, publication=withdrawn, reason="错")
    services.publication_create(
        actor=tree.officer,
        organisation=tree.street,
        title="草稿通知",
        formed_on=timezone.localdate(),
    )
    rss = client.get(f"{OFFICE}/feeds/{tree.street.pk}/rss.xml")
    assert rss.status_code == 200 and rss["Content-Type"].startswith(
        "application/rss+xml"
    )
    text = rss.content.decode()
    assert "<title>公开的通知</title>" in text
    assert "撤回的通知" not in text and "草稿通知" not in text
    atom = client.get(f"{OFFICE}/feeds/{tree.street.pk}/atom.xml").content.decode()
    assert (
        "<title>公开的通知</title>" in atom
        and 'xmlns="http://www.w3.org/2005/Atom"' in atom
    )
    data = json.loads(client.get(f"{OFFICE}/feeds/{tree.street.pk}/feed.json").content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["title"] for i in data["items"]] == ["公开的通知"]
    assert data["items"][0]["_gongkai"]["index_no"].startswith(tree.street.credit_code)


def test_the_poster_pdf_contains_the_titles_and_dates(tree, client) -> None:
    pub = make_live(
        tree.street,
        tree.officer,
        tree.head,
        "关于低保名单的公示",
        body="<p>公示期七天</p>",
    )
    client.force_login(tree.officer)
    response = client.get(f"{OFFICE}/poster/{tree.street.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        page = pdf.pages[0]
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert round(page.width) == 595 and round(page.height) == 842  # A4 in points
    flat = text.replace(" ", "").replace("\n", "")
    assert "关于低保名单的公示" in flat
    assert "信息公示栏" in flat
    formed = pub.formed_on
    assert f"成文日期：{formed.year}年{formed.month}月{formed.day}日" in flat
    # Only staff of the organisation print it.
    client.force_login(tree.liaison_a)
    assert client.get(f"{OFFICE}/poster/{tree.street.pk}.pdf").status_code == 404


def test_the_hall_screen_rotates_current_items_without_external_scripts(
    tree, client
) -> None:
    make_live(tree.street, tree.officer, tree.head, "大厅屏信息一")
    make_live(tree.street, tree.officer, tree.head, "大厅屏信息二")
    page = client.get(f"{OFFICE}/screen/{tree.street.pk}/").content.decode()
    assert "大厅屏信息一" in page and "大厅屏信息二" in page
    assert page.count('<section class="pub-slide') == 2
    assert "<script src" not in page and "http://" not in page.replace(
        "http://www.w3.org", ""
    )
    # The inline rotation script carries this response's CSP nonce, so it may run.
    response = client.get(f"{OFFICE}/screen/{tree.street.pk}/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_the_sync_view_is_empty_when_everything_is_delivered(tree, client) -> None:
    make_live(tree.street, tree.officer, tree.head, channels=["portal", "feed"])
    outbox_send()
    client.force_login(tree.officer)
    session = client.session
    session[SESSION_KEY] = tree.street.pk
    session.save()
    response = client.get(f"{OFFICE}/sync/")
    assert response.context["rows"] == []
    assert "所有已发布信息均已同步到各渠道" in response.content.decode()


def test_the_access_token_is_fetched_once_for_several_articles(tree, wechat) -> None:
    make_live(tree.street, tree.officer, tree.head, "甲", channels=["wechat"])
    make_live(tree.street, tree.officer, tree.head, "乙", channels=["wechat"])
    outbox_send()
    assert len(wechat.published) == 2
    assert wechat.token_calls == 1


def test_publishing_asks_the_task_worker_to_drain_the_outbox(
    tree, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from gongkai.publishing import tasks

    calls: list[str] = []

    class Stub:
        def enqueue(self) -> None:
            calls.append("enqueued")

    monkeypatch.setattr(tasks, "send_channel_outbox_task", Stub())
    with django_capture_on_commit_callbacks(execute=True):
        make_live(tree.street, tree.officer, tree.head, channels=["portal"])
    assert calls == ["enqueued"]


def test_the_drain_task_is_queued_in_the_database_backend(
    tree, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        make_live(tree.street, tree.officer, tree.head, channels=["portal"])
    queued = DBTaskResult.objects.filter(task_path__endswith="send_channel_outbox_task")
    assert queued.count() == 1


def test_feed_items_link_to_their_portal_page(tree, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "有门户页面的信息")
    data = json.loads(client.get(f"{OFFICE}/feeds/{tree.street.pk}/feed.json").content)
    assert (
        data["items"][0]["url"]
        == f"http://testserver/gk/{tree.street.pk}/publications/{pub.pk}/"
    )
    assert (
        data["home_page_url"] == f"http://testserver/gk/{tree.street.pk}/publications/"
    )
    # The portal shows the item at that address.
    assert client.get(f"/gk/{tree.street.pk}/publications/{pub.pk}/").status_code == 200


# --- taking copies down again: withdrawal and updates ---------------------------


def test_withdrawing_deletes_the_wechat_article_and_asks_for_the_poster(
    tree, wechat, client
) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "误发信息", channels=ALL)
    outbox_send()
    delivery_confirm(actor=tree.officer, delivery=_delivery(pub, "notice_board"))
    services.publication_withdraw(actor=tree.head, publication=pub, reason="内容有误")
    assert _delivery(pub, "portal").status == "withdrawn"  # gone with the live item
    assert _delivery(pub, "wechat").status == "retract"
    outbox_send()
    assert wechat.deleted == ["ART_1"]
    assert _delivery(pub, "wechat").status == "withdrawn"
    board = _delivery(pub, "notice_board")
    assert board.status == "retract" and "撤下" in board.last_error
    delivery_confirm(actor=tree.officer, delivery=board)
    assert _delivery(pub, "notice_board").status == "withdrawn"


def test_a_withdrawal_waits_while_wechat_is_still_publishing(tree, wechat) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, channels=["wechat"])
    outbox_send()
    wechat.still_publishing.add("PUB_1")
    services.publication_withdraw(actor=tree.head, publication=pub, reason="撤回")
    assert outbox_send() == {"sent": 0, "failed": 0, "waiting": 1}
    d = _delivery(pub, "wechat")
    assert d.status == "retract" and "仍在发布" in d.last_error and wechat.deleted == []
    wechat.still_publishing.clear()
    outbox_send()
    assert wechat.deleted == ["ART_1"]
    assert _delivery(pub, "wechat").status == "withdrawn"


def test_an_unsent_item_withdrawn_has_nothing_to_take_down(tree, wechat) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, channels=["wechat"])
    services.publication_withdraw(actor=tree.head, publication=pub, reason="撤回")
    assert _delivery(pub, "wechat").status == "withdrawn"
    outbox_send()
    assert wechat.published == [] and wechat.deleted == []


def test_an_update_replaces_the_wechat_article(tree, wechat) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "通知", channels=["wechat"])
    outbox_send()
    services.publication_update(
        actor=tree.officer, publication=pub, title="通知（更新）"
    )
    assert _delivery(pub, "wechat").superseded_id == "PUB_1"
    outbox_send()
    d = _delivery(pub, "wechat")
    assert wechat.published == ["MEDIA_1", "MEDIA_2"] and wechat.deleted == ["ART_1"]
    assert (d.status, d.external_id, d.superseded_id) == ("sent", "PUB_2", "")


def test_the_sync_screen_lists_copies_still_to_come_down(tree, wechat, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "误发信息", channels=ALL)
    outbox_send()
    delivery_confirm(actor=tree.officer, delivery=_delivery(pub, "notice_board"))
    services.publication_withdraw(actor=tree.head, publication=pub, reason="内容有误")
    outbox_send()  # WeChat comes down; the poster needs a person
    client.force_login(tree.officer)
    session = client.session
    session[SESSION_KEY] = tree.street.pk
    session.save()
    page = client.get(f"{OFFICE}/sync/").content.decode()
    assert "误发信息" in page and "待撤下" in page and "确认已撤下" in page
    delivery_confirm(actor=tree.officer, delivery=_delivery(pub, "notice_board"))
    assert "误发信息" not in client.get(f"{OFFICE}/sync/").content.decode()

"""A 不予公开理由 belongs only to an item that is not disclosed proactively: a
主动公开 item keeps none, and its page shows none."""

from __future__ import annotations

from gongkai.publishing import services
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_publication
from gongkai.publishing.tests.test_views_and_api import login as _login

OFFICE = "/office/publishing"


def test_a_reason_typed_for_a_public_item_is_not_kept_nor_shown(tree, client) -> None:
    _login(client, tree.officer, tree.street)
    client.post(
        f"{OFFICE}/items/new/",
        {
            "title": "关于开展消防检查的通知",
            "formed_on": "2021-03-01",
            "genre": "notice",
            "attribute": "proactive",
            "withhold_reason": "涉及第三方",
        },
    )
    pub = Publication.objects.get(title="关于开展消防检查的通知")
    assert pub.attribute == "proactive" and pub.withhold_reason == ""
    page = client.get(f"{OFFICE}/items/{pub.pk}/").content.decode()
    assert "涉及第三方" not in page and "理由：" not in page


def test_a_withheld_item_keeps_its_reason_until_it_is_made_public(tree) -> None:
    pub = make_publication(
        tree.street,
        tree.officer,
        attribute="withheld",
        withhold_reason="属于国家秘密",
    )
    assert pub.withhold_reason == "属于国家秘密"
    services.publication_update(
        actor=tree.officer, publication=pub, attribute="proactive"
    )
    pub.refresh_from_db()
    assert pub.attribute == "proactive" and pub.withhold_reason == ""


def test_the_reviewer_making_an_item_public_drops_its_reason(tree) -> None:
    pub = make_publication(
        tree.street, tree.officer, attribute="on_request", withhold_reason="依申请"
    )
    services.publication_submit(actor=tree.officer, publication=pub)
    services.publication_approve(
        actor=tree.head,
        publication=pub,
        secrecy_checked=True,
        attribute="proactive",
        withhold_reason="依申请",
    )
    pub.refresh_from_db()
    assert pub.attribute == "proactive" and pub.withhold_reason == ""


def test_an_old_reason_on_a_public_item_is_not_shown(tree, client) -> None:
    pub = make_publication(tree.street, tree.officer)
    Publication.objects.filter(pk=pub.pk).update(withhold_reason="旧理由")
    _login(client, tree.officer, tree.street)
    page = client.get(f"{OFFICE}/items/{pub.pk}/").content.decode()
    assert "旧理由" not in page

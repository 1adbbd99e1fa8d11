"""Free text with a limit (issue 17, requirement 9): a reason, a note or a catalogue
item's text longer than its limit is refused in Chinese naming the field and both
counts — no 500, nothing changed."""

from __future__ import annotations

import pytest

from gongkai.publishing.models import CatalogueItem, Publication, PublicationRevision
from gongkai.publishing.tests.factories import make_live, make_publication
from gongkai.publishing.tests.test_views_and_api import OFFICE, login

pytestmark = pytest.mark.django_db


def _submitted(tree) -> Publication:
    pub = make_publication(tree.street, tree.officer)
    from gongkai.publishing import services

    services.publication_submit(actor=tree.officer, publication=pub)
    return pub


def test_a_too_long_withholding_reason_is_refused(tree, client) -> None:
    pub = _submitted(tree)
    login(client, tree.head, tree.street)
    response = client.post(
        f"{OFFICE}/items/{pub.pk}/do/approve/",
        {
            "secrecy_checked": "on",
            "attribute": "on_request",
            "withhold_reason": "理" * 1001,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "不予公开理由及依据最多1000个字，现有1001个字。" in response.content.decode()
    pub.refresh_from_db()
    assert (pub.status, pub.attribute, pub.withhold_reason) == (
        "in_review",
        "proactive",
        "",
    )


@pytest.mark.parametrize(
    ("action", "field", "message"),
    [
        ("reject", "note", "修改意见最多1000个字，现有1200个字。"),
        ("reject", "", "退回时请写明修改意见。"),
    ],
)
def test_a_rejection_note_is_checked_before_the_step(
    tree, client, action, field, message
) -> None:
    pub = _submitted(tree)
    login(client, tree.head, tree.street)
    data = {field: "改" * 1200} if field else {}
    response = client.post(f"{OFFICE}/items/{pub.pk}/do/{action}/", data, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    pub.refresh_from_db()
    assert pub.status == "in_review"


def test_a_too_long_withdrawal_reason_is_refused(tree, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "已发布的信息")
    login(client, tree.head, tree.street)
    response = client.post(
        f"{OFFICE}/items/{pub.pk}/do/withdraw/", {"reason": "撤" * 1001}, follow=True
    )
    assert "撤回理由最多1000个字，现有1001个字。" in response.content.decode()
    pub.refresh_from_db()
    assert pub.status == "published"


def test_a_too_long_change_note_keeps_the_form(tree, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "原标题")
    before = PublicationRevision.objects.filter(publication=pub).count()
    login(client, tree.officer, tree.street)
    response = client.post(
        f"{OFFICE}/items/{pub.pk}/edit/",
        {
            "title": "新标题",
            "formed_on": "2021-03-01",
            "genre": "notice",
            "attribute": "proactive",
            "body": pub.body,
            "change_note": "更" * 201,
            "channels": ["portal"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "修改说明最多200个字，现有201个字。" in page
    assert 'value="新标题"' in page and "更" * 201 in page  # nothing typed is lost
    pub.refresh_from_db()
    assert pub.title == "原标题"
    assert PublicationRevision.objects.filter(publication=pub).count() == before


def test_a_too_long_catalogue_text_is_refused(tree, client) -> None:
    login(client, tree.liaison_a, tree.community_a)
    client.post(f"{OFFICE}/catalogue/")  # the standard catalogue
    item = CatalogueItem.objects.filter(organisation=tree.community_a).first()
    assert item is not None
    page = client.get(f"{OFFICE}/catalogue/{item.pk}/edit/").content.decode()
    assert 'maxlength="2000"' in page
    response = client.post(
        f"{OFFICE}/catalogue/{item.pk}/edit/",
        {"item_l1": item.item_l1, "content": "容" * 2001, "basis": "依" * 10},
    )
    assert "公开内容最多2000个字，现有2001个字。" in response.content.decode()
    item.refresh_from_db()
    assert len(item.content) < 2001

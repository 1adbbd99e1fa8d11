"""The back office's publication page: a live item links to its page on the portal,
and an 应公开日期 counted over a year without its holiday schedule is marked 临时 (as
the case list marks a provisional 答复期限)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

from gongkai.publishing import services
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live, make_publication
from gongkai.publishing.tests.test_views_and_api import OFFICE, login

pytestmark = pytest.mark.django_db


def detail(client, pub: Publication) -> str:
    response = client.get(f"{OFFICE}/items/{pub.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def portal_link(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)"[^>]*>在门户查看</a>', html)
    return found.group(1) if found else None


def test_a_live_item_links_to_its_public_page(tree, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "2023年高龄津贴发放情况")
    login(client, tree.officer, tree.street)
    link = portal_link(detail(client, pub))
    assert link is not None
    assert 'target="_blank"' in detail(client, pub)
    public = Client().get(link)  # anonymous: the reader's view
    assert public.status_code == 200
    assert "2023年高龄津贴发放情况" in public.content.decode()


def test_a_draft_or_a_withdrawn_item_has_no_portal_link(tree, client) -> None:
    draft = make_publication(tree.street, tree.officer, "尚未发布的信息")
    withdrawn = services.publication_withdraw(
        actor=tree.head,
        publication=make_live(tree.street, tree.officer, tree.head, "已撤回的信息"),
        reason="内容有误",
    )
    login(client, tree.officer, tree.street)
    assert portal_link(detail(client, draft)) is None
    assert portal_link(detail(client, withdrawn)) is None


def due_line(html: str) -> str:
    return html.split("<dt>应公开日期</dt>", 1)[1].split("</dd>", 1)[0]


def test_a_due_date_in_a_year_without_its_schedule_is_marked_provisional(
    tree, client
) -> None:
    # 20 working days from 7 December 2026 run into 2027, whose official holiday
    # schedule is not entered in a fresh database.
    late = make_publication(
        tree.street, tree.officer, "年末形成的信息", formed_on=date(2026, 12, 7)
    )
    early = make_publication(
        tree.street, tree.officer, "年中形成的信息", formed_on=date(2026, 6, 1)
    )
    assert late.due_on.year == 2027 and early.due_on.year == 2026
    login(client, tree.officer, tree.street)
    assert "临时" in due_line(detail(client, late))
    assert "临时" not in due_line(detail(client, early))


def _row(html: str, title: str) -> str:
    """The table row of the publication titled ``title``."""
    return html.split(title, 1)[1].split("</tr>", 1)[0]


def test_the_list_and_the_late_list_mark_a_provisional_due_date_too(
    tree, client
) -> None:
    with time_machine.travel("2027-02-15 10:00 +0800", tick=False):
        late = make_publication(
            tree.street, tree.officer, "年末形成的信息", formed_on=date(2026, 12, 7)
        )
        early = make_publication(
            tree.street, tree.officer, "年中形成的信息", formed_on=date(2026, 6, 1)
        )
        login(client, tree.officer, tree.street)
        listed = client.get(f"{OFFICE}/items/").content.decode()
        overdue = client.get(f"{OFFICE}/late/").content.decode()
        detail_mark = due_line(detail(client, late)).split("临时", 1)[0]
    for page in (listed, overdue):  # both are past due, unpublished: on both lists
        assert "临时" in _row(page, late.title)
        assert "临时" not in _row(page, early.title)
    # the same mark as the detail page, not a look-alike
    mark = detail_mark.rsplit("<span", 1)[1]
    assert f"<span{mark}临时" in _row(listed, late.title)


def test_an_implausible_formed_on_is_refused_in_plain_words_on_the_form(
    tree, client
) -> None:
    login(client, tree.officer, tree.street)
    response = client.post(
        f"{OFFICE}/items/new/",
        {
            "title": "关于老旧小区改造的通知",
            "formed_on": "1900-01-01",
            "genre": "notice",
            "attribute": "proactive",
            "body": "<p>内容</p>",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "早于中华人民共和国成立之日（1949年10月1日）" in page
    # The calendar's own limits (its range starts in 1901) are not what is said; only
    # the errors are read, since 1901 may well be an organisation's id on the page.
    errors = " ".join(
        node.text()
        for node in LexborHTMLParser(page).css(".error-summary, .field-error")
    )
    assert "早于中华人民共和国成立之日" in errors
    assert "可计算范围" not in errors and "1901" not in errors
    assert not Publication.objects.exists()

"""The feedback box posts to the page it sits on; a fault brings the page back with
what was typed and the error beside its field, an answer no cache keeps."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.feedback.models import Feedback
from gongkai.portal.cache import CACHE_HEADER
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db

COMMENT = "希望补充<改造>范围，\n并公开进度"
BAD_CONTACT = "请打我电话"


@pytest.fixture
def page(tree) -> str:
    pub = make_live(tree.street, tree.officer, tree.head, title="老旧小区改造公示")
    return reverse("portal:publication", args=[tree.street.pk, pub.pk])


def _field(html: str, name: str) -> str:
    """The markup of the box's field ``name`` (its wrapper, label to errors)."""
    found = re.search(
        rf'<div class="field[^"]*" data-field="{name}">.*?\n</div>(?=\s*<(?:div class="field[ "]|button))',
        html,
        re.S,
    )
    assert found, name
    return found.group(0)


def _textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, name
    return unescape(found.group(1)).strip("\r\n")


def test_a_bad_contact_keeps_what_was_typed_and_is_told_beside_the_field(page):
    # A visitor without a CSRF token (the page is cached whole and holds none).
    response = Client(enforce_csrf_checks=True).post(
        page, {"comment": COMMENT, "contact": BAD_CONTACT}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _textarea(html, "comment") == COMMENT
    contact = _field(html, "contact")
    assert f'value="{BAD_CONTACT}"' in contact
    assert 'aria-invalid="true"' in contact
    assert "联系方式请填写电话号码" in contact  # beside the field, not only at the top
    assert 'id="fb-errors"' in html  # the summary links to the field
    assert 'href="#fb-contact"' in html
    assert "老旧小区改造公示" in html  # still the publication's page
    assert not Feedback.objects.exists()


def test_every_fault_of_the_box_is_told_at_once(page):
    html = (
        Client()
        .post(page, {"comment": "详见 http://example.com/a", "contact": BAD_CONTACT})
        .content.decode()
    )
    assert "不能包含网址或链接" in _field(html, "comment")
    assert "联系方式请填写电话号码" in _field(html, "contact")


def test_the_answer_to_a_post_is_kept_by_no_cache_and_shown_to_no_one_else(page):
    assert Client().get(page)[CACHE_HEADER] == "miss"  # the page is in the cache
    response = Client().post(page, {"comment": COMMENT, "contact": BAD_CONTACT})
    assert CACHE_HEADER not in response
    assert "no-store" in response["Cache-Control"]
    other = Client().get(page)
    assert other[CACHE_HEADER] == "hit"
    html = other.content.decode()
    assert BAD_CONTACT not in html and "并公开进度" not in html
    assert "field--invalid" not in html and 'id="fb-errors"' not in html


def test_feedback_taken_on_the_page_goes_back_to_it_with_thanks(tree, page):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(
        page, {"useful": "1", "comment": "很有用", "contact": "13811112222"}
    )
    assert response.status_code == 302 and response["Location"] == page
    item = Feedback.objects.get()
    assert (item.useful, item.comment, item.publication.title) == (
        True,
        "很有用",
        "老旧小区改造公示",
    )
    assert "感谢您的反馈" in visitor.get(page).content.decode()
    again = visitor.post(page, {"useful": "0"})  # one vote per visitor
    assert again.status_code == 200 and "您已评价过该信息" in _field(
        again.content.decode(), "useful"
    )


def test_the_column_s_box_keeps_its_text_too(tree):
    column = reverse("portal:column", args=[tree.street.pk])
    response = Client().post(
        column, {"comment": "栏目更新太慢。", "contact": BAD_CONTACT}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert _textarea(html, "comment") == "栏目更新太慢。"
    assert "联系方式请填写电话号码" in _field(html, "contact")
    assert 'name="useful"' not in html  # 有用/没用 is asked of an item only
    assert Client().post(column, {"comment": "栏目更新太慢。"}).status_code == 302
    assert Feedback.objects.get().publication is None


def test_every_post_of_the_box_counts_toward_the_address_limit(page):
    """The page takes the box's POST without a CSRF token: what bounds it is the
    address's 20 an hour, counted for a malformed POST too (an unknown vote, here),
    each of which costs the page rendered for it."""
    visitor = Client()
    for _ in range(20):
        bad = visitor.post(page, {"useful": "2", "comment": "好"})
        assert bad.status_code == 200 and "提交过于频繁" not in bad.content.decode()
    response = visitor.post(page, {"comment": "请公开改造资金明细"})
    html = response.content.decode()
    assert response.status_code == 200 and "提交过于频繁" in html
    assert _textarea(html, "comment") == "请公开改造资金明细"  # nothing typed is lost
    assert not Feedback.objects.exists()


def test_the_former_address_takes_an_odd_publication_number_without_a_fault(tree):
    """Pages still cached with the box's former address post there; a hand-made
    publication number that is no number (a superscript digit) is no publication."""
    response = Client().post(
        reverse("portal:feedback", args=[tree.street.pk]),
        {"publication": "²", "comment": "栏目更新太慢。"},
    )
    assert response.status_code == 302
    assert Feedback.objects.get().publication is None

"""The 法定主动公开内容 list's 文号 filter (/gk/<org>/publications/?number=…) finds a
文号 however its brackets and digits are typed, as the search does; a 文号 typed with
full-width digits in 新建信息 is saved with ASCII digits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live, make_publication

pytestmark = pytest.mark.django_db

WANTED = "关于做好2026年防汛工作的通知"
NEIGHBOUR = "关于印发社区网格化管理办法的通知"


@pytest.fixture
def listing(tree):
    make_live(
        tree.street, tree.officer, tree.head, WANTED, document_number="洛街〔2026〕21号"
    )
    make_live(
        tree.street,
        tree.officer,
        tree.head,
        NEIGHBOUR,
        document_number="洛街〔2026〕121号",
    )
    return reverse("portal:publications", args=[tree.street.pk])


@pytest.mark.parametrize(
    "typed",
    [
        "洛街〔2026〕21号",
        "洛街〔２０２６〕２１号",
        "洛街[2026]21号",
        "洛街［2026］21号",
        "洛街(2026)21号",
        "洛街【2026】21号",
        " 洛街（２０２６）２１号 ",
    ],
)
def test_the_number_filter_finds_a_number_however_it_is_typed(client, listing, typed):
    page = client.get(listing, {"number": typed}).content.decode()
    assert WANTED in page
    assert NEIGHBOUR not in page


def test_a_number_stored_with_full_width_digits_is_found_too(client, tree, listing):
    # Saved before 文号 digits were folded on save: the row keeps what was typed.
    Publication.objects.filter(title=WANTED).update(
        document_number="洛街[２０２６]２１号"
    )
    page = client.get(listing, {"number": "洛街〔2026〕21号"}).content.decode()
    assert WANTED in page
    assert NEIGHBOUR not in page


def test_a_full_width_number_is_saved_with_ascii_digits(tree):
    pub = make_publication(
        tree.street, tree.officer, document_number="洛街〔２０２６〕５号"
    )
    pub.refresh_from_db()
    assert pub.document_number == "洛街〔2026〕5号"

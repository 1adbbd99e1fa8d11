"""Moving an organisation under another parent (``orgs.services.organisation_move``)
changes what the portal shows — which column an item belongs to, the breadcrumb — so
it raises the content version like any other public change, although it rewrites
the paths with ``update()`` and saves no organisation."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.orgs.services import organisation_move
from gongkai.portal import cache as page_cache
from gongkai.portal.cache import memo
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _version_not_rechecked(monkeypatch):
    # The version is re-read every 2 s; a slow test run must not see a new one.
    monkeypatch.setattr(page_cache, "VERSION_RECHECK_SECONDS", 3600.0)
    cache.clear()
    memo.clear()


def _status(org, pub) -> int:
    url = reverse("portal:publication", args=[org.pk, pub.pk])
    return Client().get(url).status_code


def test_an_item_of_a_moved_organisation_is_shown_under_its_new_parent(
    tree, django_capture_on_commit_callbacks
) -> None:
    pub = make_live(tree.community_a, tree.officer, tree.head, title="社区的信息")
    # Both columns read (and keep) whose items they show.
    assert _status(tree.street, pub) == 200
    assert _status(tree.sibling_street, pub) == 404
    with django_capture_on_commit_callbacks(execute=True):
        organisation_move(
            actor=tree.sysadmin,
            organisation=tree.community_a,
            new_parent=tree.sibling_street,
        )
    assert _status(tree.sibling_street, pub) == 200
    assert _status(tree.street, pub) == 404

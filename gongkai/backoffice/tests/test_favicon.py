"""Issue 17: ``/favicon.ico`` answered 404 on every site visit; the pages linked no icon."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_site_icon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith("/static/gongkai/favicon")
    assert target.endswith(".ico")
    found = finders.find("gongkai/favicon.ico")
    assert found is not None
    with open(found, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO header


@pytest.mark.parametrize("url", ["/", "/gk/", "/login/"])
def test_pages_link_the_icon(client, url: str) -> None:
    page = client.get(url, follow=True).content.decode()
    assert 'rel="icon"' in page
    assert "gongkai/favicon.svg" in page

"""Issue 17 (4): the 正文 field is the rich-text editor on both the new and the edit
screen; its import map runs under the page's CSP nonce and every asset is ours."""

from __future__ import annotations

import re

import pytest

from gongkai.publishing.tests.factories import make_publication
from gongkai.publishing.tests.test_views_and_api import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("screen", ["new", "edit"])
def test_the_editor_loads_under_the_csp_from_our_static_files(client, tree, screen):
    login(client, tree.officer, tree.street)
    if screen == "new":
        url = "/office/publishing/items/new/"
    else:
        pub = make_publication(tree.street, tree.officer, body="<p>原文</p>")
        url = f"/office/publishing/items/{pub.pk}/edit/"
    response = client.get(url)
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    importmap = re.search(r'<script type="importmap"([^>]*)>', html)
    assert importmap and f'nonce="{nonce}"' in importmap.group(1)
    assert "data-django-prose-editor-configurable" in html
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    styles = re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert any("django_prose_editor/" in s for s in scripts)
    assert all(u.startswith("/static/") for u in scripts + styles), scripts + styles
    if screen == "edit":
        assert "&lt;p&gt;原文&lt;/p&gt;" in html  # the stored body, in the textarea

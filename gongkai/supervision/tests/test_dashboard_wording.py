"""The supervision dashboard speaks in the user's terms: no command names on screen."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_an_unscanned_body_is_pointed_to_the_scan_page_not_a_command(client, tree):
    client.force_login(tree.supervisor)
    html = client.get("/office/supervision/").content.decode()
    section = html.split('id="pii"', 1)[1].split("</section>", 1)[0]
    assert "尚未扫描" in section
    assert "manage.py" not in html and "scan_published_pii" not in html
    link = re.search(r'<a href="([^"]+)">个人信息扫描</a>', section)
    assert link is not None
    assert client.get(link.group(1)).status_code == 200

"""Back-office lists write dates as the portal does — 2026年10月20日 — from the one
format setting (gongkai/config/formats), not as 2026-10-20."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from gongkai.inforequests.tests.factories import register
from gongkai.publishing.tests.factories import make_publication
from gongkai.publishing.tests.test_views_and_api import OFFICE, login

pytestmark = pytest.mark.django_db

ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _visible(html: str) -> str:
    """The page's text without tags, attributes and scripts (machine values keep ISO)."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_case_list_writes_the_due_date_in_chinese(client: Any, tree: Any) -> None:
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        case = register(tree.officer, tree.street)
        client.force_login(tree.officer)
        page = client.get(reverse("inforequests:list")).content.decode()
    due = case.due_on
    assert f"{due.year}年{due.month}月{due.day}日" in page
    assert due.isoformat() not in _visible(page)


def test_the_publication_list_writes_its_dates_in_chinese(
    client: Any, tree: Any
) -> None:
    make_publication(tree.street, tree.officer, "日期格式", formed_on=date(2021, 3, 1))
    login(client, tree.officer, tree.street)
    page = client.get(f"{OFFICE}/items/").content.decode()
    row = page.split("日期格式", 1)[1].split("</tr>", 1)[0]
    assert "2021年3月1日" in row  # 成文日期, no leading zeros
    assert not ISO_DAY.search(_visible(row))

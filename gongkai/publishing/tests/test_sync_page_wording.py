"""The 渠道同步 screen says who sends, and how often, in plain Chinese — not the
name of the task in the code (no internal key on a screen)."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.backoffice.tests.crawl import visible_text

pytestmark = pytest.mark.django_db


def test_the_sync_page_says_how_sending_happens_without_the_task_name(
    tree: Any, client: Any
) -> None:
    client.force_login(tree.officer)
    text = visible_text(client.get("/office/publishing/sync/").content.decode())
    assert "由后台任务自动发送" in text and "每分钟" in text
    assert "outbox" not in text and "send_" not in text

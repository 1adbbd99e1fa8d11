"""Real-browser tests: Playwright drives Debian's /usr/bin/chromium (never a
downloaded browser build) against Django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"缺少 Chromium（{CHROMIUM}）：请运行 scripts/bootstrap.sh --dev 安装。"
        )
    from playwright.sync_api import sync_playwright

    # The sync Playwright API runs an event loop in the test thread; Django's ORM
    # calls from that thread are still synchronous and safe. Set only while the
    # browser lives, so no other test (or subprocess) inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright: Any) -> Iterator[Any]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    # Every context the test opened (a second user's, say) is closed before the
    # database is emptied: a page left open keeps polling the live server, and on
    # PostgreSQL its requests hold locks the emptying waits for.
    for opened in list(browser.contexts):
        opened.close()


def screenshot(page: Any, name: str) -> None:
    """Refresh a screenshot of a main page in docs/screenshots/ (README links them),
    only on request (GONGKAI_SCREENSHOTS=1), so a test run leaves the checkout clean."""
    if os.environ.get("GONGKAI_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page: Any, username: str, password: str) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()

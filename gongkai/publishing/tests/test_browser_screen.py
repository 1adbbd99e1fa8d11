"""The hall screen in a real browser (Debian's Chromium): the inline script runs
under the CSP and rotates the slides. Run with ``pytest -m browser``."""

from __future__ import annotations

import shutil

import pytest

from gongkai.publishing.tests.factories import make_live

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs /usr/bin/chromium"),
]


def test_the_hall_screen_rotates_its_slides(tree, live_server, monkeypatch) -> None:
    # Playwright's sync API runs an event loop in this thread; the rows are made first.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    make_live(tree.street, tree.officer, tree.head, "第一条信息")
    make_live(tree.street, tree.officer, tree.head, "第二条信息")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" else None
        )
        page.clock.install()
        page.goto(f"{live_server.url}/office/publishing/screen/{tree.street.pk}/")
        first = page.locator(".pub-slide.is-active h1").inner_text()
        page.clock.run_for(12_500)
        second = page.locator(".pub-slide.is-active h1").inner_text()
        counter = page.locator("#pub-n").inner_text()
        browser.close()
    # Newest first: the second item is shown first, then the first.
    assert (first, second, counter) == ("第二条信息", "第一条信息", "2")
    assert not [e for e in errors if "Content Security Policy" in e]

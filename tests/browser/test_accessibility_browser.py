"""Accessibility (issue 17, requirement 9), measured with axe-core in Chromium.

Every public page and every staff page of the demo, as each role sees it: the
pages listed per role below and the pages their links lead to (one page per URL
shape), scanned with axe-core (``axe-playwright-python`` ships it; the site never
loads it) for WCAG 2.0/2.1 A and AA rules: 0 violations.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.orgs.models import Organisation
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
}
# Not scanned: feeds (RSS/Atom/JSON are not pages) and the 大厅显示屏 (an unattended
# kiosk display that reloads itself by design; WCAG 2.2.1 concerns pages a person
# operates).
SKIP = re.compile(
    r"/feeds/|/publishing/screen/|/logout/|/static/|/media/|/admin/|/download/|/export"
    r"|\.(pdf|docx|xlsx|csv|zip|png|ico|json|xml|toml)(\?|$)"
    r"|/(pdf|docx|xlsx|csv|zip|json|txt|html)/?$|/elderly/|/sign-out/|format="
)
MAX_PAGES = 45  # per role: one page per URL shape


def _start_pages(street: int, community: int) -> dict[str, list[str]]:
    public = [
        "/",
        f"/gk/{street}/",
        f"/gk/{street}/guide/",
        f"/gk/{street}/rules/",
        f"/gk/{street}/publications/",
        f"/gk/{street}/reports/",
        f"/gk/{street}/reports/2021/",
        f"/gk/{street}/apply/",
        f"/gk/{street}/search/?q=低保",
        f"/gk/{community}/",
        "/gk/status/",
        "/gk/me/",
        "/login/",
    ]
    office = [
        "/office/",
        "/office/requests/",
        "/office/publishing/",
        "/office/reports/",
    ]
    return {
        "": public,
        "officer": office,
        "head": office,
        "supervisor": [*office, "/office/supervision/"],
        "liaison1": office,
    }


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def _scan(page: Any, axe: Axe, starts: list[str]) -> dict[str, list[str]]:
    base = page.base_url
    queue, seen, problems = list(starts), set(), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if _shape(url) in seen or SKIP.search(url):
            continue
        seen.add(_shape(url))
        response = page.goto(base + url)
        if response is None or response.status >= 400:
            continue
        result = axe.run(page, options=WCAG)
        found = [
            f"{v['id']}: {v['help']} — {n['target']}"
            for v in result.response["violations"]
            for n in v["nodes"][:3]
        ]
        if found:
            problems[url] = found
        links = page.eval_on_selector_all(
            "main a[href], header a[href], nav a[href]", "as => as.map(a => a.href)"
        )
        for href in links:
            parts = urlsplit(href)
            if parts.netloc == urlsplit(base).netloc:
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                if _shape(path) not in seen:
                    queue.append(path)
    return problems


@pytest.fixture
def demo_ids(db: Any) -> tuple[int, int]:
    call_command("load_demo", "--quiet-accounts")
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    community = Organisation.objects.get(name="洛浦街道洛浦社区居民委员会")
    return street.pk, community.pk


def test_every_public_and_staff_page_has_no_wcag_a_or_aa_violation(page, demo_ids):
    axe = Axe()
    problems: dict[str, list[str]] = {}
    for role, starts in _start_pages(*demo_ids).items():
        page.context.clear_cookies()
        if role:
            login(page, role, DEMO_PASSWORD)
            page.wait_for_url("**/office/**")
        for url, found in _scan(page, axe, starts).items():
            problems[f"{role or '访客'} {url}"] = found
    assert not problems, "\n".join(
        f"{where}\n  " + "\n  ".join(found) for where, found in problems.items()
    )


def test_a_failed_staff_form_moves_the_focus_to_its_error_summary(page, tree):
    """The summary of the failed form takes the focus (``autofocus``; the page's
    script where the address has a #fragment, which makes the browser skip it), and
    a link there moves the focus to its field."""
    from gongkai.inforequests import letters as L
    from gongkai.inforequests.tests.factories import registration
    from gongkai.orgs.tests.factories import PASSWORD

    case, _code, _receipt = L.register(
        actor=tree.officer, organisation=tree.street, registration=registration()
    )
    login(page, "t_officer", PASSWORD)
    page.wait_for_url("**/office/**")
    page.goto(f"{page.base_url}/office/requests/{case.pk}/")
    form = page.locator("#act-request_clarification")
    form.evaluate(
        "f => { f.noValidate = true; }"
    )  # the server's checks, not the browser's
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert urlsplit(page.url).path.endswith("/do/request_clarification/")
    summary = page.locator("#act-request_clarification-errors")
    expect(summary).to_be_focused()
    assert "请填写补正期限" in summary.inner_text()
    summary.get_by_role("link", name=re.compile("补正期限")).click()
    expect(page.locator("#request_clarification-deadline")).to_be_focused()
    result = Axe().run(page, options=WCAG)
    assert result.response["violations"] == [], [
        v["id"] for v in result.response["violations"]
    ]

"""Crawl the demo as each of its roles (and as a visitor): every page reachable by a
link and every URL pattern filled with the demo's ids answers below 500, every
form posted with boundary values (empty, 10^5 characters, 1900 and 2099 dates,
negative and 10^12 numbers) answers below 500, no form offered answers 403, no link
on a staff page answers 403, 404 or 500 when followed, and no page shows an
internal key.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from gongkai.accounts.models import User
from gongkai.backoffice.tests.crawl import Crawl, pattern_urls

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = (
    "",  # a visitor, not signed in
    "officer",
    "head",
    "leader",
    "liaison1",
    "zjofficer",
    "supervisor",
    "sysadmin",
    "secadmin",
    "auditor",
)
BUSINESS_APPS = {
    "inforequests",
    "publishing",
    "reports",
    "supervision",
    "orgs",
    "appeals",
    "feedback",
}


def _demo_ids() -> list[int]:
    """The first two primary keys of every business table (on PostgreSQL the
    sequences keep counting across rolled-back tests, so never 1, 2, 3)."""
    ids: set[int] = set()
    for model in apps.get_models():
        if model._meta.app_label in BUSINESS_APPS:
            ids.update(model.objects.order_by("pk").values_list("pk", flat=True)[:2])
    return sorted(i for i in ids if isinstance(i, int))


def _site(url: str) -> bool:
    return not url.startswith(("/admin/", "/api/"))


def _staff_page(url: str) -> bool:
    return url.startswith("/office/")


def _crawl(username: str, ids: list[int]) -> Crawl:
    client = Client(raise_request_exception=True)
    if username:
        client.force_login(User.objects.get(username=username))
    crawl = Crawl(client)
    # Links first (they reach the objects this role may see), then every pattern
    # with the demo's ids for the shapes no link led to.
    crawl.visit(["/office/", "/", "/gk/"], allow=_site)
    crawl.visit(pattern_urls(ids, [2018, 2021, 2026]), allow=_site)
    return crawl


@pytest.fixture(autouse=True)
def _quiet_request_log() -> Any:
    """Thousands of expected 403/404/405 would each print a warning."""
    loggers = [logging.getLogger(n) for n in ("django.request", "gongkai.api.errors")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_no_page_or_form_answers_500_and_no_page_shows_an_internal_key() -> None:
    """One crawl per role serves both checks: the crawl is the expensive part."""
    call_command("load_demo", "--quiet-accounts")
    ids = _demo_ids()
    internal_key = _internal_key_pattern()
    failures: list[str] = []
    forbidden: list[str] = []
    dead_links: list[str] = []
    keys_found: dict[str, str] = {}
    posted: set[str] = set()
    pages = sent = 0
    for username in ROLES:
        who = username or "访客"
        crawl = _crawl(username, ids)
        _find_internal_keys(crawl.pages, who, internal_key, keys_found)
        # Before any form is posted (a post may remove what a link leads to).
        dead_links += [f"[{who}] {d}" for d in crawl.dead_links(on=_staff_page)]
        sent += crawl.post_forms(posted)
        pages += len(crawl.pages)
        failures += [f"[{who}] {f}" for f in crawl.failures]
        forbidden += [f"[{who}] {f}" for f in crawl.forbidden]
    assert pages > 100 and sent > 100, (pages, sent)  # the crawl did reach the site
    assert not failures, "\n".join(failures[:40])
    # A form the user may not submit is not offered (issue 17, requirement 8).
    assert not forbidden, "\n".join(forbidden[:40])
    # Nor a link: no link on a staff page answers 403, 404 or 500 when followed.
    assert not dead_links, "\n".join(dead_links[:40])
    # No internal key on any page (issue 17, requirement 3).
    assert not keys_found, "\n".join(
        f"{k}: {v}" for k, v in list(keys_found.items())[:40]
    )


# Internal keys a reader must never see (issue 17, requirement 3): report cell keys,
# check codes, and the English values of the enumerations behind every status.
CELL_KEY = re.compile(r"\bs[1-7]\.[a-z_]+(?:\.[a-z_]+)*")
CHECK_CODE = re.compile(r"\b[A-Z]{2,}_[A-Z0-9_]+\b")


def _enum_words() -> set[str]:
    """Every stored choice value of every model field with choices ("in_review",
    "normative", "interpretation" …) of four letters or more."""
    words: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in BUSINESS_APPS | {"accounts"}:
            continue
        for f in model._meta.get_fields():
            for value, _ in getattr(f, "flatchoices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{3,}", value):
                    words.add(value)
    return words


def _internal_key_pattern() -> re.Pattern[str]:
    words = _enum_words()
    assert {"in_review", "normative", "interpretation"} <= words
    enum_word = re.compile(
        r"(?<![A-Za-z_./-])(" + "|".join(sorted(words)) + r")(?![A-Za-z_])"
    )
    return re.compile(f"{CELL_KEY.pattern}|{CHECK_CODE.pattern}|{enum_word.pattern}")


def _find_internal_keys(
    pages: dict[str, str], who: str, pattern: re.Pattern[str], found: dict[str, str]
) -> None:
    for url, text in pages.items():
        for match in pattern.finditer(text):
            if match.group(0) in found:
                continue
            start = max(match.start() - 30, 0)
            context = " ".join(text[start : match.end() + 30].split())
            found[match.group(0)] = f"{url} [{who}]: …{context}…"

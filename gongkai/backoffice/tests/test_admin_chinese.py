"""The admin speaks Chinese only: its users are a 系统管理员, a 安全管理员 and a
审计管理员, officials who read no English. Each signs in (on the demo) and opens
the admin's index, every changelist it may open, its add page and tools, and the
change, history and delete pages of a row it sees; no page's visible text holds
an English word outside a short list of names written in Latin letters in Chinese
too (PDF, URL, …). Django's own strings its zh_Hans catalogues leave untranslated
count (“Model name”, the add-user form's hint; checked for every string of the
admin's and auth's catalogues and the admin's scripts), as do field names without
a Chinese ``verbose_name`` and codes shown as stored.

The read-only workflow rows (publications, applications, letters, appeals …) are
shown to a staff account holding ``view``; an officer made staff walks them too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gongkai.accounts.models import User
from gongkai.backoffice.tests.crawl import visible_text

pytestmark = pytest.mark.django_db

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# Written in Latin letters in Chinese texts as well, or the product's name.
ALLOWED = frozenset(
    {
        "PDF",
        "DOCX",
        "XLSX",
        "CSV",
        "TXT",
        "JSON",
        "RSS",
        "Atom",
        "HTML",
        "URL",
        "API",
        "OIDC",
        "SMS",
        "TOTP",
        "SHA",
        "HMAC",
        "Excel",
        "Gongkai",
    }
)
ROLES = ("sysadmin", "secadmin", "auditor", "officer")
GONGKAI_MODELS = [
    model for model in admin.site._registry if model.__module__.startswith("gongkai.")
]


def _english(text: str, usernames: frozenset[str] = frozenset()) -> set[str]:
    # Sign-in names are written in Latin letters: data, not the admin's words (the
    # password page's title and the account list show them).
    for name in sorted(usernames, key=len, reverse=True):
        text = text.replace(name, " ")
    allowed = {name.lower() for name in ALLOWED}  # “.xlsx” as well as “XLSX”
    return {w for w in ENGLISH_WORD.findall(text) if w.lower() not in allowed}


def _page_text(html: str) -> str:
    """The visible text without what the rows hold: a read-only field's value, a
    form control's content, an object's name and a channel's own error message are
    the data's words. A list's cells are checked: a code stored in a row (an audit
    row's operation, a report's status) must be shown by its Chinese name."""
    tree = HTMLParser(html)
    for node in tree.css(
        "td.field-last_error, div.readonly, select option, textarea, bdi, "
        ".breadcrumbs, #content > h2, ul.messagelist, #recent-actions-module"
    ):
        node.decompose()
    return visible_text(tree.html or "")


def _first_change_url(html: str, changelist: str) -> str | None:
    for a in HTMLParser(html).css("#result_list tbody a[href]"):
        href = a.attributes.get("href") or ""
        path = urlsplit(href).path
        if path.startswith(changelist) and re.search(r"/\d+/change/$", path):
            return path
    return None


def _tool_urls(html: str, changelist: str) -> list[str]:
    """The page's own tools (导入机构 …) besides 增加."""
    paths = [
        urlsplit(a.attributes.get("href") or "").path
        for a in HTMLParser(html).css(".object-tools a[href]")
    ]
    return [p for p in paths if p.startswith(changelist) and not p.endswith("/add/")]


def _walk(client: Client) -> tuple[int, list[tuple[str, set[str]]]]:
    seen, faults = 0, []
    usernames = frozenset(User.objects.values_list("username", flat=True))

    def read(url: str) -> str | None:
        nonlocal seen
        response = client.get(url)
        if response.status_code != 200:
            return None
        seen += 1
        html = response.content.decode()
        if words := _english(_page_text(html), usernames):
            faults.append((url, words))
        return html

    read(reverse("admin:index"))
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"{info}_changelist")
        html = read(changelist)
        if html is None:
            continue
        read(reverse("admin:app_list", args=[model._meta.app_label]))
        read(reverse(f"{info}_add"))
        read(f"{changelist}?q=zzz")  # a search that finds nothing
        for tool in _tool_urls(html, changelist):
            read(tool)
        change = _first_change_url(html, changelist)
        if change is not None:
            read(change)
            read(change.replace("/change/", "/history/"))
            read(change.replace("/change/", "/delete/"))  # where the role may
            if model is User:
                read(change.replace("/change/", "/password/"))
    return seen, faults


@pytest.fixture
def demo() -> None:
    call_command("load_demo", verbosity=0)
    # The read-only workflow pages are for staff holding ``view``: make one.
    User.objects.filter(username="officer").update(is_staff=True)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_a_role_opens_is_in_chinese(demo: None, role: str) -> None:
    # A browser set to English still gets Chinese: the platform speaks only zh-hans.
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(User.objects.get(username=role))
    seen, faults = _walk(client)
    assert seen >= 3, f"{role} opened only {seen} admin pages"
    assert not faults, faults


def test_every_field_of_an_admin_model_is_named_in_chinese() -> None:
    """Also the rows no demo account reaches (a list column, a filter, a form label
    and a field's help all come from here)."""
    faults = []
    for model in GONGKAI_MODELS:
        meta = model._meta
        names = [str(meta.verbose_name), str(meta.verbose_name_plural)]
        for field in meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # a reverse relation: named by the model it comes from
            names.append(str(getattr(field, "verbose_name", "")))
            names.append(str(getattr(field, "help_text", "") or ""))
            names += [str(label) for _, label in getattr(field, "flatchoices", ())]
        for display in admin.site._registry[model].list_display:
            if callable(attr := getattr(admin.site._registry[model], display, None)):
                names.append(str(getattr(attr, "short_description", display)))
        faults += [(meta.label, n) for n in names if _english(n)]
    assert not faults, faults


def _django_strings(app: str, domain: str) -> set[str]:
    """The strings with words (without a context) of one of Django's catalogues;
    a plural one as singular + "\\x00" + plural."""
    import django

    po = Path(django.__file__).parent / f"contrib/{app}/locale/en/LC_MESSAGES"
    wanted = set()
    for entry in (po / f"{domain}.po").read_text().split("\n\n"):
        found = re.search(r'^msgid ((?:".*"\n)+)', entry + "\n", re.M)
        if found is None or "msgctxt" in entry:  # a context's key differs
            continue
        text = "".join(re.findall(r'"(.*)"', found.group(1)))
        plural = re.search(r'^msgid_plural ((?:".*"\n)+)', entry + "\n", re.M)
        if plural is not None:
            text += "\x00" + "".join(re.findall(r'"(.*)"', plural.group(1)))
        if ENGLISH_WORD.search(re.sub(r"%\(\w+\)[sdr]", "", text)):
            wanted.add(text.replace('\\"', '"'))
    assert wanted, f"no strings read from {po}"
    return wanted


def test_every_string_of_djangos_admin_is_translated() -> None:
    """Django's zh_Hans catalogues lack a few (“Model name”); gongkai/locale has them."""
    from django.utils import translation

    wanted = _django_strings("admin", "django") | _django_strings("auth", "django")

    def translated(text: str) -> bool:
        singular, _, plural = text.partition("\x00")
        if plural:
            return translation.ngettext(singular, plural, 1) != singular
        return translation.gettext(singular) != singular

    with translation.override("zh-hans"):
        missing = sorted(s for s in wanted if not translated(s))
    assert not missing, missing


def test_the_admins_script_strings_are_in_chinese(tree: Any, client: Client) -> None:
    """The admin's scripts (the two-list picker, the calendar) read their words from
    its jsi18n catalogue: every string of Django's admin scripts is translated."""
    wanted = _django_strings("admin", "djangojs")
    client.force_login(tree.sysadmin)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    block = re.search(r"const newcatalog = (\{.*?\});\n", script, re.S)
    assert block is not None
    catalogue = json.loads(block.group(1))
    missing = sorted(s for s in wanted if not catalogue.get(s.partition("\x00")[0]))
    assert not missing, missing

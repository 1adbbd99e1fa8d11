"""Staff forms for screen readers (issue 17, requirement 9): after a failed submit
each field points at its help and error texts (``aria-describedby``), says it is
invalid (``aria-invalid``), and an error summary at the top of the form links to
the fields and takes the focus — the same partials as the online application
(``templates/forms/``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from gongkai.publishing.models import Publication

pytestmark = pytest.mark.django_db


def _check_failed_form(html: str, name: str, error: str) -> LexborHTMLParser:
    """The field ``name`` is marked invalid, described by ``error``, and linked from
    the one error summary of the page."""
    page = LexborHTMLParser(html)
    field = page.css_first(f'[name="{name}"]')
    assert field.attributes.get("aria-invalid") == "true"
    described = []
    for i in (field.attributes.get("aria-describedby") or "").split():
        target = page.css_first(f'[id="{i}"]')
        assert target is not None, i
        described.append(target.text(strip=True))
    assert any(error in text for text in described), described
    summaries = page.css("[data-error-summary]")
    assert len(summaries) == 1
    summary = summaries[0]
    assert (
        summary.attributes.get("role") == "alert" and "autofocus" in summary.attributes
    )
    link = summary.css_first(f'a[href="#{field.attributes["id"]}"]')
    assert link is not None and error in link.text()
    return page


def test_the_login_form_links_its_errors(client: Any, tree: Any) -> None:
    response = client.post(reverse("login"), {"username": "", "password": "x"})
    _check_failed_form(response.content.decode(), "username", "请输入用户名")


def test_a_publication_form_links_its_errors_and_help(client: Any, tree: Any) -> None:
    client.force_login(tree.officer)
    response = client.post(
        reverse("publishing:create"),
        {"title": "", "formed_on": "2026-01-05", "genre": "notice"},
    )
    page = _check_failed_form(response.content.decode(), "title", "请填写标题")
    assert not Publication.objects.exists()
    # A field with help text points at it (here: 索引号 on a new item).
    index_no = page.css_first('[name="index_no"]')
    helptext = page.css_first(f'[id="{index_no.attributes["aria-describedby"]}"]')
    assert "留空则按本机构的索引号规则自动生成" in helptext.text()
    assert index_no.attributes.get("aria-invalid") is None


def test_the_appeal_form_links_its_errors(client: Any, tree: Any) -> None:
    client.force_login(tree.officer)
    response = client.post(reverse("appeals:new"), {"kind": "review"})
    _check_failed_form(response.content.decode(), "filed_on", "请填写")


def test_the_summary_names_a_field_once(client: Any, tree: Any) -> None:
    """A message that opens with the field's name is not prefixed with the name again
    ("标题：请填写标题" keeps the prefix; "联系方式（可选）：联系方式请填写…" would not)."""
    from gongkai.portal.templatetags.form_a11y import summary_line

    class Field:
        label = "联系方式（可选，不公开）"

    assert summary_line(Field(), "联系方式请填写手机号或电子邮箱。") == (
        "联系方式请填写手机号或电子邮箱。"
    )
    assert (
        summary_line(Field(), "格式不正确。")
        == "联系方式（可选，不公开）：格式不正确。"
    )
    client.force_login(tree.officer)
    response = client.post(
        reverse("publishing:create"),
        {"title": "标" * 300, "formed_on": "2026-01-05", "genre": "notice"},
    )
    summary = LexborHTMLParser(response.content.decode()).css_first(
        "[data-error-summary] a"
    )
    assert summary.text().startswith("标题最多"), summary.text()

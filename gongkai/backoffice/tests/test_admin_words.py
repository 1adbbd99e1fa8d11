"""The admin (系统管理员) shows no internal field (the tree's path and depth) and no
internal key in a label or a choice: field names in Chinese, letters by their
titles (文书措辞 → 添加 listed “…告知书（acknowledgement）” before)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from gongkai.backoffice.tests.crawl import visible_text

pytestmark = pytest.mark.django_db

# A key in brackets (“（acknowledgement）”, “(reply.granted)”), an English label
# before a colon (“Path:”), or the tree's bookkeeping.
KEY_IN_BRACKETS = re.compile(r"[（(][a-z][a-z0-9_]*(\.[a-z0-9_]+)*[）)]")
ENGLISH_LABEL = re.compile(r"\b[A-Z][a-z]+( [a-z]+)*\s*[:：]")
TREE_PATH = re.compile(r"\b\d{8}\.")
UNNAMED_FIELD = re.compile(r"\b(Created|Updated|Organisation|Digest|Service user)\b")


def _pages(model: Any) -> list[str]:
    info = (model._meta.app_label, model._meta.model_name)
    prefix = f"admin:{info[0]}_{info[1]}"
    urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
    return urls


def test_admin_pages_show_no_internal_field_or_key(tree: Any, client: Any) -> None:
    from gongkai.inforequests.models import LetterWording

    LetterWording.objects.create(organisation=tree.street, key="acknowledgement")
    client.force_login(tree.sysadmin)
    seen, faults = 0, []
    for model in admin.site._registry:
        for url in _pages(model):
            response = client.get(url)
            if response.status_code != 200:
                continue
            seen += 1
            text = visible_text(response.content.decode())
            for pattern in (KEY_IN_BRACKETS, ENGLISH_LABEL, TREE_PATH, UNNAMED_FIELD):
                faults += [(url, m.group()) for m in pattern.finditer(text)]
    assert seen > 10
    assert not faults, faults


def test_the_letter_wording_choices_are_titles(tree: Any, client: Any) -> None:
    from gongkai.inforequests.models import LetterWording

    LetterWording.objects.create(organisation=tree.street, key="reply.granted")
    client.force_login(tree.sysadmin)
    listed = visible_text(
        client.get(
            reverse("admin:inforequests_letterwording_changelist")
        ).content.decode()
    )
    assert "政府信息予以公开告知书（予以公开）" in listed
    assert "reply." not in listed
    page = client.get(reverse("admin:inforequests_letterwording_add")).content.decode()
    assert ">政府信息公开申请接收回执</option>" in page
    assert ">政府信息不予公开告知书（属于国家秘密）</option>" in page
    assert "acknowledgement）" not in page and "reply." not in visible_text(page)


def test_the_organisation_page_hides_the_trees_bookkeeping(
    tree: Any, client: Any
) -> None:
    client.force_login(tree.sysadmin)
    page = client.get(
        reverse("admin:orgs_organisation_change", args=[tree.street.pk])
    ).content.decode()
    text = visible_text(page)
    assert "测试街道办事处" in page and "上级机构" in text
    assert tree.street.path not in text
    assert "Path" not in text and "Depth" not in text

"""三员分立 in the admin: each administrator role (and a business role made staff)
opens exactly its own admin pages — any other list or add page answers 403 and is
not offered on the admin index. The allowed sets below are written from the roles'
duties, not read from the code."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db

BUSINESS_READ = {
    "publishing.Publication",
    "publishing.CatalogueItem",
    "publishing.NormativeDocument",
    "publishing.EnforcementDecision",
    "publishing.FeeRecord",
    "publishing.ChannelDelivery",
    "inforequests.InfoRequest",
    "inforequests.Letter",
    "appeals.Appeal",
    "appeals.AppealDocument",
    "reports.ReportEvent",
}
SYSADMIN_MANAGES = {
    "orgs.Organisation",
    "orgs.Membership",
    "orgs.ApiToken",
    "accounts.User",
    "inforequests.LetterSettings",
    "inforequests.LetterWording",
}

# role -> (models whose list opens, models whose add page opens)
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    # 系统管理员 of the top body: organisations, accounts, letters' settings, jobs.
    "sysadmin": (SYSADMIN_MANAGES | {"ops.ScheduledJob"}, SYSADMIN_MANAGES),
    # 安全管理员: failed sign-ins (unlocking), nothing else.
    "secadmin": ({"accounts.LoginFailure"}, set()),
    # 审计管理员: the audit log, read-only.
    "auditor": ({"audit.AuditEvent"}, set()),
    # 经办人 made staff: business rows read-only, not the wording dictionary.
    "officer": (BUSINESS_READ, set()),
    # 负责人 made staff: also the wording dictionary (审批 power) they maintain.
    "head": (
        BUSINESS_READ | {"inspection.WordingDictionary"},
        {"inspection.WordingDictionary"},
    ),
}


def _user(tree: Any, role: str) -> Any:
    user = getattr(tree, role)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def _url(model: Any, page: str) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}")
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("role", list(ALLOWED))
def test_each_role_opens_exactly_its_own_admin_pages(
    tree: Any, client: Any, role: str
) -> None:
    client.force_login(_user(tree, role))
    opened: dict[str, set[str]] = {"changelist": set(), "add": set()}
    for model in admin.site._registry:
        for page, found in opened.items():
            url = _url(model, page)
            if url is None:
                continue
            status = client.get(url).status_code
            assert status in (200, 403), (url, status)
            if status == 200:
                found.add(model._meta.label)
    lists, adds = ALLOWED[role]
    assert opened["changelist"] == lists
    assert opened["add"] == adds

    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    listed = {
        entry["model"]._meta.label
        for app in index.context["app_list"]
        for entry in app["models"]
    }
    assert listed == lists


def test_the_wording_dictionary_offers_a_head_only_their_own_bodies(
    tree: Any, client: Any
) -> None:
    from gongkai.inspection.models import WordingDictionary

    client.force_login(_user(tree, "head"))
    url = reverse("admin:inspection_wordingdictionary_add")
    page = client.get(url).content.decode()
    assert tree.community_a.name in page
    assert tree.sibling_street.name not in page
    typed = "政府信息公开 => 政务信息公开"
    response = client.post(
        url, {"organisation": tree.sibling_street.pk, "entries": typed}
    )
    assert response.status_code == 200  # the form again, with a message
    assert typed in unescape(response.content.decode())  # nothing typed is lost
    assert response.context["adminform"].form.errors["organisation"]
    assert not WordingDictionary.objects.exists()

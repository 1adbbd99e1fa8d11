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
    # 安全管理员: failed sign-ins (unlocking) and granting the administrator roles.
    "secadmin": ({"accounts.LoginFailure", "orgs.Membership"}, {"orgs.Membership"}),
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


# role -> {model: the bulk actions its list offers}, from the roles' duties. A bulk
# action offered is one the role may use on the rows it sees.
ACTIONS: dict[str, dict[str, set[str]]] = {
    "sysadmin": {
        "orgs.Organisation": {"close_selected", "reopen_selected"},
        "orgs.Membership": {"revoke_selected"},
        "orgs.ApiToken": {"revoke_selected"},
        "ops.ScheduledJob": {"run_now"},
    },
    "secadmin": {
        "accounts.LoginFailure": {"unlock"},
        "orgs.Membership": {"revoke_selected"},
    },
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
    offered: dict[str, set[str]] = {}
    for model in admin.site._registry:
        for page, found in opened.items():
            url = _url(model, page)
            if url is None:
                continue
            response = client.get(url)
            status = response.status_code
            assert status in (200, 403), (url, status)
            if status == 200:
                found.add(model._meta.label)
            if status == 200 and page == "changelist":
                offered[model._meta.label] = _offered_actions(client, url, response)
    lists, adds = ALLOWED[role]
    assert opened["changelist"] == lists
    assert opened["add"] == adds
    assert {label: names for label, names in offered.items() if names} == ACTIONS.get(
        role, {}
    )

    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    listed = {
        entry["model"]._meta.label
        for app in index.context["app_list"]
        for entry in app["models"]
    }
    assert listed == lists


def _offered_actions(client: Any, url: str, response: Any) -> set[str]:
    """The bulk actions a list offers; Django's 删除所选 is also tried on every row
    shown, and must not answer that the user lacks a permission."""
    form = response.context.get("action_form")
    if form is None:
        return set()
    names = {name for name, _ in form.fields["action"].choices if name}
    if "delete_selected" in names:
        rows = [obj.pk for obj in response.context["cl"].result_list]
        confirm = client.post(
            url, {"action": "delete_selected", "_selected_action": rows}
        )
        assert confirm.status_code == 200, url
        assert not confirm.context.get("perms_lacking"), (url, "删除所选无权")
    return names


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


def test_revoking_selected_roles_revokes_what_the_sysadmin_may_and_names_the_rest(
    tree: Any, client: Any
) -> None:
    from gongkai.orgs.models import Membership

    client.force_login(tree.sysadmin)
    officer = Membership.objects.get(user=tree.officer)
    auditor = Membership.objects.get(user=tree.auditor)
    own = Membership.objects.get(user=tree.sysadmin)
    response = client.post(
        reverse("admin:orgs_membership_changelist"),
        {
            "action": "revoke_selected",
            "_selected_action": [officer.pk, auditor.pk, own.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("已撤销 1 项" in m for m in shown)
    assert any("三员分立" in m and "t_auditor" in m for m in shown)
    assert not Membership.objects.filter(pk=officer.pk).exists()
    assert Membership.objects.filter(pk__in=[auditor.pk, own.pk]).count() == 2


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_a_change_page_links_only_to_pages_the_viewer_can_open(
    tree: Any, client: Any, role: str
) -> None:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    from gongkai.audit.services import audit_record
    from gongkai.orgs.models import ApiToken
    from gongkai.orgs.services import api_token_create

    api_token_create(
        actor=tree.sysadmin,
        organisation=tree.street,
        name="OA公文系统",
        scopes=[ApiToken.Scope.values[0]],
    )
    audit_record(action="org.update", actor=tree.sysadmin, organisation=tree.street)
    client.force_login(_user(tree, role))
    dead = []
    for model in admin.site._registry:
        if model._meta.app_label not in ("orgs", "accounts", "audit", "ops"):
            continue
        listing = client.get(_url(model, "changelist") or "/admin/")
        if listing.status_code != 200 or "cl" not in (listing.context or {}):
            continue
        for obj in list(listing.context["cl"].result_list)[:3]:
            page = client.get(_change_url(model, obj.pk))
            for link in HTMLParser(page.content.decode()).css("#content a[href]"):
                href = link.attributes["href"] or ""
                if not href.startswith("/admin/") or href.endswith(
                    ("/delete/", "/history/")
                ):
                    continue
                status = client.get(href).status_code
                if status != 200:
                    dead.append((href, status))
    assert not dead


def _change_url(model: Any, pk: Any) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])

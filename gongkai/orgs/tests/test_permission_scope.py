"""The one permission helper: who reaches which organisation, through views,
the admin site and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, organisations_for, require, scope
from gongkai.orgs.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(o.name for o in qs)


def test_a_liaison_reaches_only_their_own_community(tree):
    assert names(organisations_for(tree.liaison_a, Perm.VIEW)) == [
        tree.community_a.name
    ]
    assert not can(tree.liaison_a, Perm.VIEW, tree.community_b)
    assert not can(tree.liaison_a, Perm.EDIT, tree.community_b)
    assert not can(tree.liaison_a, Perm.VIEW, tree.street)


def test_the_street_officer_reaches_the_street_and_its_communities_but_no_sibling(tree):
    reach = names(organisations_for(tree.officer, Perm.EDIT))
    assert reach == sorted(
        [tree.street.name, tree.community_a.name, tree.community_b.name]
    )
    assert not can(tree.officer, Perm.VIEW, tree.sibling_street)
    assert not can(tree.officer, Perm.VIEW, tree.district)


def test_a_supervisor_sees_every_descendant_read_only(tree):
    every = Organisation.objects.filter(path__startswith=tree.district.path)
    assert names(organisations_for(tree.supervisor, Perm.VIEW)) == names(every)
    assert organisations_for(tree.supervisor, Perm.EDIT).count() == 0
    assert organisations_for(tree.supervisor, Perm.APPROVE).count() == 0


def test_a_street_supervisor_sees_no_sibling_and_no_parent(tree):
    assert not can(tree.street_supervisor, Perm.VIEW, tree.sibling_street)
    assert not can(tree.street_supervisor, Perm.VIEW, tree.district)
    assert can(tree.street_supervisor, Perm.VIEW, tree.community_b)


def test_scope_filters_rows_by_their_organisation(tree):
    from gongkai.orgs.models import Membership

    rows = scope(Membership.objects.all(), tree.liaison_a, Perm.VIEW)
    assert {m.organisation_id for m in rows} == {tree.community_a.pk}


def test_require_explains_in_chinese(tree):
    with pytest.raises(PermissionDenied, match="没有"):
        require(tree.liaison_a, Perm.EDIT, tree.community_b)


def test_only_the_head_and_leader_approve(tree):
    assert can(tree.head, Perm.APPROVE, tree.community_a)
    assert can(tree.leader, Perm.APPROVE, tree.street)
    assert not can(tree.officer, Perm.APPROVE, tree.street)
    assert not can(tree.leader, Perm.EDIT, tree.street)


def test_inactive_organisations_and_users_reach_nothing(tree):
    tree.community_a.is_active = False
    tree.community_a.save(update_fields=["is_active"])
    assert not can(tree.officer, Perm.VIEW, tree.community_a)
    tree.officer.is_active = False
    assert organisations_for(tree.officer, Perm.VIEW).count() == 0


# --- through views -----------------------------------------------------------


def test_a_liaison_cannot_open_another_communitys_page(client, tree):
    client.force_login(tree.liaison_a)
    own = client.get(
        reverse("backoffice:organisation_detail", args=[tree.community_a.pk])
    )
    other = client.get(
        reverse("backoffice:organisation_detail", args=[tree.community_b.pk])
    )
    assert own.status_code == 200
    assert tree.community_a.name in own.content.decode()
    assert other.status_code == 404
    assert tree.community_b.name not in other.content.decode()


def test_the_organisation_switcher_ignores_organisations_out_of_reach(client, tree):
    client.force_login(tree.liaison_a)
    client.post(
        reverse("backoffice:switch_organisation"), {"organisation": tree.community_b.pk}
    )
    page = client.get(reverse("backoffice:dashboard")).content.decode()
    assert f"当前机构：<strong>{tree.community_a.name}" in page
    assert tree.community_b.name not in page


def test_login_then_dashboard_lists_the_users_roles(client, tree):
    response = client.post(
        reverse("login"), {"username": "t_officer", "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "政务公开专员" in page and tree.street.name in page


# --- through the API -----------------------------------------------------------


def test_the_api_lists_only_reachable_organisations(client, tree):
    client.force_login(tree.liaison_a)
    listed = client.get("/api/orgs/").json()
    assert [o["name"] for o in listed] == [tree.community_a.name]
    assert client.get(f"/api/orgs/{tree.community_b.pk}").status_code == 404
    assert client.get(f"/api/orgs/{tree.community_a.pk}").status_code == 200


def test_the_api_pages_the_list_and_expands_one_level(client, tree):
    client.force_login(tree.supervisor)  # the district and everything below it
    everything = [o["id"] for o in client.get("/api/orgs/").json()]
    assert everything[0] == tree.district.pk and len(everything) == 5
    pages = [
        client.get("/api/orgs/", {"limit": 2, "offset": n}).json() for n in (0, 2, 4)
    ]
    assert [o["id"] for page in pages for o in page] == everything
    children = client.get("/api/orgs/", {"parent_id": tree.street.pk}).json()
    assert {o["id"] for o in children} == {tree.community_a.pk, tree.community_b.pk}
    refused = client.get("/api/orgs/", {"limit": 0})
    assert refused.status_code == 422


def test_the_api_requires_login_and_answers_in_chinese(client, db):
    response = client.get("/api/orgs/")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录。"


# --- through the admin site ----------------------------------------------------


def test_business_roles_cannot_use_the_admin_site(client, tree):
    client.force_login(tree.liaison_a)
    response = client.get("/admin/orgs/organisation/")
    assert response.status_code in (302, 403)


def test_the_sysadmin_admin_lists_only_their_subtree(client, tree):
    from gongkai.orgs.tests.factories import make_org

    elsewhere = make_org("别处区人民政府", kind="district")
    client.force_login(tree.sysadmin)
    page = client.get("/admin/orgs/organisation/").content.decode()
    assert tree.community_b.name in page
    assert elsewhere.name not in page
    assert client.get(
        f"/admin/orgs/organisation/{elsewhere.pk}/change/"
    ).status_code in (302, 403, 404)


def test_an_id_beyond_any_database_integer_is_simply_not_found(client, tree):
    client.force_login(tree.officer)
    huge = 2**70
    assert client.get(f"/api/orgs/{huge}").status_code in (404, 422)
    from django.http import Http404

    from gongkai.orgs.permissions import get_scoped_or_404

    with pytest.raises(Http404):
        get_scoped_or_404(
            Organisation.objects.all(), tree.officer, Perm.VIEW, via="self", pk=huge
        )


def test_a_large_tree_switcher_offers_the_active_organisations_neighbourhood(
    client, tree, monkeypatch
):
    from gongkai.orgs import selectors

    # The district supervisor reaches 5 organisations; pretend that is "large".
    monkeypatch.setattr(selectors, "SWITCHER_FULL_LIST_MAX", 3)
    client.force_login(tree.supervisor)

    def offered():
        page = client.get(reverse("backoffice:dashboard"))
        return {o.pk for o in page.context["user_orgs"]}, page.context["active_org"]

    choices, active = offered()
    assert active == tree.district
    assert choices == {tree.district.pk, tree.street.pk, tree.sibling_street.pk}
    # A grandchild is out of the list but within reach: switching to it works, and
    # the switcher then offers the way back up and its own children.
    client.post(
        reverse("backoffice:switch_organisation"), {"organisation": tree.community_a.pk}
    )
    choices, active = offered()
    assert active == tree.community_a
    assert {tree.district.pk, tree.street.pk, tree.community_a.pk} <= choices
    assert tree.sibling_street.pk not in choices and tree.community_b.pk not in choices

"""A 社区居民委员会 or 村民委员会 is not a disclosure body (条例第二条、第十条): the
property, its default from the kind, its editing in the admin, and the intake permission."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import can, can_register_intake, require_intake
from gongkai.orgs.services import organisation_update
from gongkai.orgs.tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_the_default_follows_the_kind(tree):
    assert tree.district.is_disclosure_body and tree.street.is_disclosure_body
    assert not tree.community_a.is_disclosure_body
    village = make_org("某村村民委员会", tree.street, kind="village")
    department = make_org("测试区财政局", tree.district, kind="department")
    assert (village.is_disclosure_body, department.is_disclosure_body) == (False, True)
    explicit = make_org(
        "某社区", tree.street, kind="community", is_disclosure_body=True
    )
    assert Organisation.objects.get(pk=explicit.pk).is_disclosure_body


def test_the_body_of_a_community_is_its_nearest_body_above(tree):
    assert tree.community_a.disclosure_body() == tree.street
    assert tree.street.disclosure_body() == tree.street
    group = make_org("某网格", tree.community_a, kind="other", is_disclosure_body=False)
    assert group.disclosure_body() == tree.street


def test_a_liaison_may_register_intake_at_their_community_but_not_handle_the_street(
    tree,
):
    assert can_register_intake(tree.liaison_a, tree.community_a)
    assert not can(tree.liaison_a, "edit", tree.street)
    assert not can(tree.liaison_a, "view", tree.street)
    assert not can_register_intake(tree.liaison_a, tree.community_b)
    assert not can_register_intake(tree.liaison_a, tree.street)
    assert can_register_intake(tree.officer, tree.community_b)
    assert not can_register_intake(tree.supervisor, tree.community_a)
    with pytest.raises(PermissionDenied, match=r"乙社区居民委员会.*登记"):
        require_intake(tree.liaison_a, tree.community_b)


def test_the_sysadmin_edits_the_property_in_the_admin_and_it_is_audited(client, tree):
    client.force_login(tree.sysadmin)
    url = reverse("admin:orgs_organisation_change", args=[tree.community_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "政府信息公开主体" in page.content.decode()
    data = {
        "name": tree.community_a.name,
        "short_name": "",
        "kind": "community",
        "is_disclosure_body": "on",
        "credit_code": tree.community_a.credit_code,
        "division_code": "",
        "office_name": "",
        "office_address": "",
        "office_hours": "",
        "office_phone": "",
        "office_email": "",
        "office_postcode": "",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    tree.community_a.refresh_from_db()
    assert tree.community_a.is_disclosure_body
    event = AuditEvent.objects.filter(action="org.update").latest("pk")
    assert event.details["changes"] == {"is_disclosure_body": [False, True]}
    del data["is_disclosure_body"]
    assert client.post(url, data).status_code == 302
    tree.community_a.refresh_from_db()
    assert not tree.community_a.is_disclosure_body


def test_a_liaison_cannot_change_the_property(client, tree):
    with pytest.raises(PermissionDenied):
        organisation_update(
            actor=tree.liaison_a,
            organisation=tree.community_a,
            is_disclosure_body=True,
        )
    client.force_login(tree.liaison_a)
    url = reverse("admin:orgs_organisation_change", args=[tree.community_a.pk])
    assert client.get(url).status_code in (302, 403, 404)


def test_a_body_with_applications_cannot_stop_being_one_and_the_admin_says_so(
    client, tree
):
    from gongkai.inforequests.tests.factories import register

    unit = make_org("测试街道某站所", tree.street, kind="other")
    register(tree.officer, unit)
    with pytest.raises(ValidationError, match="已有1件"):
        organisation_update(
            actor=tree.sysadmin, organisation=unit, is_disclosure_body=False
        )
    client.force_login(tree.sysadmin)
    url = reverse("admin:orgs_organisation_change", args=[unit.pk])
    response = client.post(
        url,
        {
            "name": unit.name,
            "kind": "other",
            "credit_code": unit.credit_code,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "已有1件政府信息公开申请" in response.content.decode()
    unit.refresh_from_db()
    assert unit.is_disclosure_body


def test_an_organisation_with_no_body_above_cannot_stop_being_one(tree):
    with pytest.raises(ValidationError, match="没有作为政府信息公开主体的上级"):
        organisation_update(
            actor=tree.sysadmin, organisation=tree.district, is_disclosure_body=False
        )


def test_the_data_migration_marks_existing_communities_and_villages(tree):
    Organisation.objects.update(is_disclosure_body=True)
    module = importlib.import_module(
        "gongkai.orgs.migrations.0003_fill_disclosure_bodies"
    )
    module.fill_disclosure_bodies(apps, None)
    bodies = dict(Organisation.objects.values_list("kind", "is_disclosure_body"))
    assert bodies == {"district": True, "subdistrict": True, "community": False}


def test_the_organisation_api_tells_bodies_from_hand_in_points(client, tree):
    client.force_login(tree.officer)
    listed = {o["id"]: o["is_disclosure_body"] for o in client.get("/api/orgs/").json()}
    assert listed[tree.street.pk] is True
    assert listed[tree.community_a.pk] is False

"""Issue 18, F1: the user admin is scoped by the permission helper and audited.

A 系统管理员 sees and manages only accounts whose memberships all lie within their
subtree, never an account holding the 安全管理员 or 审计管理员 role, never their own;
every account event done through the admin is written to the audit chain.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.audit.models import AuditEvent
from gongkai.orgs.tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Fresh-Secret-2027x"


def _admins(tree):
    return {
        "district": tree.sysadmin,
        "community": make_user(
            "t_community_sysadmin", tree.community_a, "sysadmin", is_staff=True
        ),
    }


def _change(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def _password(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def _change_data(user, **overrides):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "is_active": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("level", ["district", "community"])
@pytest.mark.parametrize("target", ["auditor", "secadmin"])
def test_the_sysadmin_cannot_see_open_change_or_reset_the_auditor_or_secadmin(
    client, tree, level, target
):
    client.force_login(_admins(tree)[level])
    victim = getattr(tree, target)
    listing = client.get(reverse("admin:accounts_user_changelist"))
    assert listing.status_code == 200
    assert victim.username not in listing.content.decode()
    assert client.get(_change(victim)).status_code in (403, 404)
    assert client.get(_password(victim)).status_code in (403, 404)
    response = client.post(
        _password(victim),
        {
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code in (403, 404)
    response = client.post(_change(victim), _change_data(victim, is_active=None))
    assert response.status_code in (403, 404)
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)
    assert victim.is_active


def test_a_community_sysadmin_cannot_change_accounts_outside_the_community(
    client, tree
):
    client.force_login(_admins(tree)["community"])
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert tree.liaison_a.username in listing
    for outsider in (tree.leader, tree.liaison_b, tree.officer):
        assert outsider.username not in listing
        response = client.post(
            _change(outsider), _change_data(outsider, is_active=None)
        )
        assert response.status_code in (403, 404)
        response = client.post(
            _password(outsider),
            {
                "usable_password": "true",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
        assert response.status_code in (403, 404)
        outsider.refresh_from_db()
        assert outsider.is_active
        assert outsider.check_password(PASSWORD)


def test_an_account_with_one_membership_outside_the_subtree_is_out_of_reach(
    client, tree
):
    from gongkai.orgs.tests.factories import grant

    grant(tree.liaison_a, tree.sibling_street, "officer")
    client.force_login(_admins(tree)["community"])
    assert client.get(_change(tree.liaison_a)).status_code in (403, 404)


@pytest.mark.parametrize("level", ["district", "community"])
def test_the_sysadmin_cannot_change_their_own_account_roles_or_flags(
    client, tree, level
):
    me = _admins(tree)[level]
    client.force_login(me)
    assert client.get(_change(me)).status_code in (403, 404)
    assert client.get(_password(me)).status_code in (403, 404)
    response = client.post(
        _change(me),
        _change_data(
            me, is_superuser="on", is_staff="on", groups=[], user_permissions=[]
        ),
    )
    assert response.status_code in (403, 404)
    me.refresh_from_db()
    assert not me.is_superuser
    assert list(me.memberships.values_list("role", flat=True)) == ["sysadmin"]


def test_a_superuser_account_is_out_of_reach(client, tree):
    root = User.objects.create_superuser("t_root", password=PASSWORD)
    client.force_login(tree.sysadmin)
    assert client.get(_change(root)).status_code in (403, 404)
    assert client.get(_password(root)).status_code in (403, 404)


def test_an_allowed_password_reset_is_audited_without_the_password(client, tree):
    client.force_login(_admins(tree)["community"])
    response = client.post(
        _password(tree.liaison_a),
        {
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    tree.liaison_a.refresh_from_db()
    assert tree.liaison_a.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="account.password_set")
    assert event.username == "t_community_sysadmin"
    assert event.object_id == str(tree.liaison_a.pk)
    assert NEW_PASSWORD not in str(event.details)
    assert tree.liaison_a.password not in str(event.details)


def test_creating_and_changing_an_account_in_the_admin_is_audited(client, tree):
    client.force_login(tree.sysadmin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "t_newcomer",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = User.objects.get(username="t_newcomer")
    created = AuditEvent.objects.get(action="account.create")
    assert created.object_id == str(newcomer.pk)
    assert created.username == "t_sysadmin"
    assert NEW_PASSWORD not in str(created.details)

    response = client.post(
        _change(tree.officer),
        _change_data(tree.officer, full_name="王专员", is_active=None),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tree.officer.refresh_from_db()
    assert not tree.officer.is_active
    changed = AuditEvent.objects.get(action="account.update")
    assert changed.object_id == str(tree.officer.pk)
    assert changed.details["is_active"] is False
    assert set(changed.details["changed"]) == {"full_name", "is_active"}

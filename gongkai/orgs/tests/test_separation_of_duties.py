"""三权分立: system, security and audit administrators cannot do each other's work,
and none of them can do the business roles' work."""

from __future__ import annotations

import pytest

from gongkai.orgs.permissions import ROLE_GRANTS, Perm, can

pytestmark = pytest.mark.django_db

ADMIN_PERMS = {
    "sysadmin": Perm.MANAGE_ORGS,
    "secadmin": Perm.MANAGE_SECURITY,
    "auditor": Perm.VIEW_AUDIT,
}


def test_the_three_administrator_roles_share_no_permission():
    grants = [ROLE_GRANTS[role].perms for role in ADMIN_PERMS]
    for i, a in enumerate(grants):
        for b in grants[i + 1 :]:
            assert not a & b


@pytest.mark.parametrize("role", list(ADMIN_PERMS))
def test_each_administrator_holds_only_their_own_power(tree, role):
    user = getattr(tree, "auditor" if role == "auditor" else role)
    for perm in Perm:
        expected = perm == ADMIN_PERMS[role]
        assert can(user, perm, tree.street) is expected, (role, perm)


def test_the_sysadmin_cannot_read_the_audit_log(client, tree):
    client.force_login(tree.sysadmin)
    assert client.get("/admin/audit/auditevent/").status_code == 403


def test_the_auditor_reads_the_audit_log_but_cannot_change_it(client, tree):
    client.force_login(tree.auditor)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    from gongkai.audit.models import AuditEvent

    event = AuditEvent.objects.first()
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    response = client.post(
        f"/admin/audit/auditevent/{event.pk}/change/", {"action": "x"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.action != "x"


def test_the_auditor_cannot_change_business_data_or_accounts(client, tree):
    client.force_login(tree.auditor)
    assert client.get("/admin/orgs/organisation/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 403
    assert not can(tree.auditor, Perm.EDIT, tree.street)


def test_the_security_admin_cannot_manage_organisations_or_read_audit(client, tree):
    client.force_login(tree.secadmin)
    assert client.get("/admin/orgs/organisation/").status_code == 403
    assert client.get("/admin/audit/auditevent/").status_code == 403


def test_the_navigation_offers_each_role_only_its_own_sections(client, tree):
    client.force_login(tree.auditor)
    page = client.get("/office/").content.decode()
    assert "依申请公开" not in page and "账号安全" not in page
    client.force_login(tree.secadmin)
    page = client.get("/office/").content.decode()
    assert "账号安全" in page and "依申请公开" not in page
    client.force_login(tree.officer)
    page = client.get("/office/").content.decode()
    assert "依申请公开" in page and "账号安全" not in page


# --- 三员分立 in granting roles: who grants an administrator role, and that an
# administrator holds no other role (orgs/services.py: check_membership_grant).

ADMIN_ROLES = ["sysadmin", "secadmin", "auditor"]
BUSINESS_ROLES = ["officer", "liaison", "head", "leader", "supervisor"]


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_sysadmin_grants_no_administrator_role(tree, role):
    from django.core.exceptions import ValidationError

    from gongkai.orgs.models import Membership
    from gongkai.orgs.services import membership_grant
    from gongkai.orgs.tests.factories import make_user

    newcomer = make_user("t_new_admin")
    with pytest.raises(ValidationError, match="三员分立") as refused:
        membership_grant(
            actor=tree.sysadmin, user=newcomer, organisation=tree.street, role=role
        )
    assert "安全管理员" in str(refused.value)
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_security_admin_grants_an_administrator_role_to_a_fresh_account(tree, role):
    from gongkai.orgs.models import Membership
    from gongkai.orgs.services import membership_grant
    from gongkai.orgs.tests.factories import make_user

    newcomer = make_user("t_new_admin")
    membership_grant(
        actor=tree.secadmin, user=newcomer, organisation=tree.street, role=role
    )
    assert Membership.objects.filter(user=newcomer, role=role).count() == 1


def test_nobody_grants_themselves_a_role(tree):
    from django.core.exceptions import ValidationError

    from gongkai.orgs.services import membership_grant

    with pytest.raises(ValidationError):
        membership_grant(
            actor=tree.secadmin,
            user=tree.secadmin,
            organisation=tree.street,
            role="auditor",
        )


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize("actor", ["secadmin", None])
def test_an_account_with_a_business_role_gets_no_administrator_role(tree, role, actor):
    from django.core.exceptions import ValidationError

    from gongkai.orgs.models import Membership
    from gongkai.orgs.services import membership_grant

    with pytest.raises(ValidationError, match="三员分立"):
        membership_grant(
            actor=actor and getattr(tree, actor),
            user=tree.liaison_a,
            organisation=tree.community_a,
            role=role,
        )
    assert not Membership.objects.filter(user=tree.liaison_a, role=role).exists()


@pytest.mark.parametrize("held", ADMIN_ROLES)
@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_an_administrator_gets_no_second_administrator_role(tree, held, role):
    from django.core.exceptions import ValidationError

    from gongkai.orgs.services import membership_grant
    from gongkai.orgs.tests.factories import make_user

    admin = make_user("t_admin2", tree.street, held)
    if role == held:
        return  # the same role on another body is not a second role
    with pytest.raises(ValidationError, match="三员分立"):
        membership_grant(
            actor=tree.secadmin, user=admin, organisation=tree.street, role=role
        )


@pytest.mark.parametrize("held", ADMIN_ROLES)
@pytest.mark.parametrize("role", BUSINESS_ROLES)
@pytest.mark.parametrize("actor", ["sysadmin", None])
def test_an_administrator_gets_no_business_role(tree, held, role, actor):
    from django.core.exceptions import ValidationError

    from gongkai.orgs.models import Membership
    from gongkai.orgs.services import membership_grant
    from gongkai.orgs.tests.factories import make_user

    admin = make_user("t_admin2", tree.street, held)
    with pytest.raises(ValidationError, match="三员分立"):
        membership_grant(
            actor=actor and getattr(tree, actor),
            user=admin,
            organisation=tree.street,
            role=role,
        )
    assert list(
        Membership.objects.filter(user=admin).values_list("role", flat=True)
    ) == [held]


def test_the_sysadmin_revokes_no_administrator_role(tree):
    from django.core.exceptions import PermissionDenied

    from gongkai.orgs.models import Membership
    from gongkai.orgs.services import membership_revoke
    from gongkai.orgs.tests.factories import make_user

    other = make_user("t_admin2", tree.street, "sysadmin")
    membership = Membership.objects.get(user=other)
    with pytest.raises(PermissionDenied):
        membership_revoke(actor=tree.sysadmin, membership=membership)
    membership_revoke(actor=tree.secadmin, membership=membership)
    assert not Membership.objects.filter(user=other).exists()


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize("who", ["liaison", "new"])
def test_the_grant_form_refuses_an_administrator_role_keeping_the_input(
    client, tree, role, who
):
    from gongkai.orgs.models import Membership
    from gongkai.orgs.tests.factories import make_user

    user = tree.liaison_a if who == "liaison" else make_user("t_sysadmin2")
    client.force_login(tree.sysadmin)
    response = client.post(
        "/admin/orgs/membership/add/",
        {"user": user.pk, "organisation": tree.community_a.pk, "role": role},
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "三员分立" in " ".join(form.errors["role"])
    page = response.content.decode()
    assert f'value="{role}" selected' in page
    assert f'value="{user.pk}" selected' in page
    assert not Membership.objects.filter(user=user, role=role).exists()


def test_the_grant_form_refuses_a_business_role_for_an_administrator(client, tree):
    from gongkai.orgs.models import Membership
    from gongkai.orgs.tests.factories import make_user

    other = make_user("t_sysadmin2", tree.street, "sysadmin")
    client.force_login(tree.sysadmin)
    response = client.post(
        "/admin/orgs/membership/add/",
        {"user": other.pk, "organisation": tree.street.pk, "role": "officer"},
    )
    assert response.status_code == 200
    assert "三员分立" in " ".join(response.context["adminform"].form.errors["role"])
    assert not Membership.objects.filter(user=other, role="officer").exists()


def test_the_security_admin_grants_and_revokes_administrator_roles_in_the_admin(
    client, tree
):
    from gongkai.orgs.models import Membership
    from gongkai.orgs.tests.factories import make_user

    newcomer = make_user("t_street_sysadmin")
    client.force_login(tree.secadmin)
    listed = client.get("/admin/orgs/membership/").content.decode()
    assert "t_auditor" in listed and "t_officer" not in listed  # admin roles only
    granted = client.post(
        "/admin/orgs/membership/add/",
        {"user": newcomer.pk, "organisation": tree.street.pk, "role": "sysadmin"},
    )
    assert granted.status_code == 302
    membership = Membership.objects.get(user=newcomer, role="sysadmin")
    # A business role is the 系统管理员's to grant, not the 安全管理员's.
    other = make_user("t_plain")
    refused = client.post(
        "/admin/orgs/membership/add/",
        {"user": other.pk, "organisation": tree.street.pk, "role": "officer"},
    )
    assert refused.status_code == 200
    assert not Membership.objects.filter(user=other).exists()
    revoked = client.post(
        f"/admin/orgs/membership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert revoked.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()

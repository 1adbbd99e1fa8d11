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

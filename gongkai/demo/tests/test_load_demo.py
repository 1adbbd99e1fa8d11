from __future__ import annotations

import pytest
from django.core.management import call_command

from gongkai.accounts.models import User
from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Membership, Organisation
from gongkai.orgs.permissions import Perm, can

pytestmark = pytest.mark.django_db


def counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def test_loading_the_demo_twice_duplicates_nothing():
    call_command("load_demo", "--quiet-accounts")
    first = counts()
    call_command("load_demo", "--quiet-accounts")
    assert counts() == first


def test_the_demo_has_the_street_its_eight_communities_and_every_role():
    call_command("load_demo", "--quiet-accounts")
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    assert street.children.filter(kind="community").count() == 8
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "officer",
        "head",
        "leader",
        "liaison",
        "supervisor",
        "sysadmin",
        "secadmin",
        "auditor",
    }
    liaison = User.objects.get(username="liaison1")
    other = Organisation.objects.get(short_name="南关社区")
    assert not can(liaison, Perm.VIEW, other)


def test_the_home_page_names_the_demo_street(client):
    call_command("load_demo", "--quiet-accounts")
    assert "老城区洛浦街道办事处" in client.get("/").content.decode()


def test_production_refuses_demo_accounts_unless_allowed(settings):
    from django.core.exceptions import ImproperlyConfigured

    from gongkai.accounts.safety import refuse_demo_accounts_in_production

    call_command("load_demo", "--quiet-accounts")
    settings.ALLOW_DEMO_ACCOUNTS = False
    with pytest.raises(ImproperlyConfigured, match="演示账号"):
        refuse_demo_accounts_in_production()
    call_command("remove_demo_accounts")
    refuse_demo_accounts_in_production()
    settings.ALLOW_DEMO_ACCOUNTS = True

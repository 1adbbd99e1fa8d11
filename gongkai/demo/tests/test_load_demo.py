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


def test_every_bodys_report_is_published_by_its_deadline_but_one_late_on_purpose():
    """条例第四十九条: a department's (and here a 街道's and a 镇's) report by 31
    January, the district government's by 31 March. The demo's bodies published
    2022–2025 on time; the 镇's 2025 report is the one left a draft, so the
    supervisor has an overdue report to see."""
    from datetime import date

    from django.utils import timezone

    from gongkai.reports.models import AnnualReport

    call_command("load_demo", "--quiet-accounts")
    by_hand = {
        "老城区": (3, 31),
        "洛浦街道": (1, 31),
        "老城区住建局": (1, 31),
        "邙山镇": (1, 31),
    }
    bodies = Organisation.objects.filter(is_disclosure_body=True, is_active=True)
    assert sorted(b.short_name for b in bodies) == sorted(by_hand)
    unpublished = []
    for body in bodies:
        month, day = by_hand[body.short_name]
        for year in (2022, 2023, 2024, 2025):
            report = AnnualReport.objects.get(organisation=body, year=year)
            if report.status != "published":
                unpublished.append((body.short_name, year, report.status))
                continue
            published_on = timezone.localtime(report.published_at).date()
            assert published_on <= date(year + 1, month, day), (body, year)
            assert published_on.year == year + 1, (body, year)
    assert unpublished == [("邙山镇", 2025, "draft")]
    # The 街道's 2021 report (the seed's) was published in January 2022 too.
    seed = AnnualReport.objects.get(organisation__short_name="洛浦街道", year=2021)
    assert timezone.localtime(seed.published_at).date() <= date(2022, 1, 31)


def test_the_demos_publications_are_dated_over_the_past_months_not_today():
    from datetime import timedelta

    from django.utils import timezone

    from gongkai.core.publication_flow import LIVE_STATUSES
    from gongkai.publishing.models import Publication

    call_command("load_demo", "--quiet-accounts")
    today = timezone.localdate()
    days = sorted(
        (
            timezone.localtime(p.published_at).date()
            for p in Publication.objects.filter(status__in=list(LIVE_STATUSES))
        ),
        reverse=True,
    )
    assert days[0] < today  # none published the day the demo was loaded
    # The newest twenty are spread over many days, not one.
    assert len(set(days[:20])) >= 10
    half_year = [d for d in days if today - d <= timedelta(days=183)]
    assert len({(d.year, d.month) for d in half_year}) >= 5

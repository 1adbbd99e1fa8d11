"""A read-only role (the district's supervisor) is offered no button that would
answer 403; the body's own officer still is."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from gongkai.inforequests.tests.factories import register
from gongkai.inspection.models import BodyStatus, Finding
from gongkai.publishing.tests.factories import make_publication
from gongkai.publishing.tests.test_views_and_api import login as _login
from gongkai.reports.tests.test_report_workflow import _published

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("/office/publishing/", "/office/publishing/items/new/"),
        ("/office/feedback/", "/office/feedback/surveys/new/"),
    ],
)
def test_the_supervisor_is_not_offered_what_it_may_not_do(
    client: Any, tree: Any, page: str, action: str
) -> None:
    _login(client, tree.supervisor, tree.street)
    assert f'"{action}"' not in client.get(page).content.decode()
    assert client.get(action).status_code in (403, 405)
    _login(client, tree.officer, tree.street)
    assert f'"{action}"' in client.get(page).content.decode()


def test_the_supervisor_reading_an_application_is_not_offered_to_register_an_appeal(
    client: Any, tree: Any
) -> None:
    case = register(tree.officer, tree.street)
    _login(client, tree.supervisor, tree.street)
    page = client.get(f"/office/requests/{case.pk}/").content.decode()
    assert "登记本申请的复议/诉讼案件" not in page
    _login(client, tree.officer, tree.street)
    page = client.get(f"/office/requests/{case.pk}/").content.decode()
    assert "登记本申请的复议/诉讼案件" in page


def test_the_supervisor_on_the_inspection_page_is_not_offered_to_publish(
    client: Any, tree: Any
) -> None:
    BodyStatus.objects.create(
        organisation=tree.street, checked_at=timezone.now(), passed=True
    )
    link = '"/office/publishing/items/new/"'
    _login(client, tree.supervisor, tree.street)
    assert link not in client.get("/office/inspection/").content.decode()
    _login(client, tree.officer, tree.street)
    assert link in client.get("/office/inspection/").content.decode()


def test_a_reader_of_the_inspection_findings_is_not_led_to_where_it_may_not_edit(
    client: Any, tree: Any
) -> None:
    """A finding's 整改入口 (the item's edit page, a new item) is a link only for
    whom may 办理; the 领导 reads the item itself, and a finding without an item
    is plain text for them."""
    pub = make_publication(tree.street, tree.officer, "逾期未更新的信息")
    now = timezone.now()
    BodyStatus.objects.create(organisation=tree.street, checked_at=now, passed=False)
    for subject, fix, publication in (
        ("item", f"/office/publishing/items/{pub.pk}/edit/", pub),
        ("column", "/office/publishing/items/new/", None),
    ):
        Finding.objects.create(
            organisation=tree.street,
            indicator="blank_column",
            subject=subject,
            subject_label=f"问题对象{subject}",
            detail="说明",
            fix_url=fix,
            publication=publication,
            first_seen_at=now,
            last_seen_at=now,
        )
    edit, new = (
        f'"/office/publishing/items/{pub.pk}/edit/"',
        '"/office/publishing/items/new/"',
    )
    _login(client, tree.leader, tree.street)
    page = client.get("/office/inspection/").content.decode()
    assert edit not in page and new not in page
    assert f'"/office/publishing/items/{pub.pk}/"' in page
    assert client.get(f"/office/publishing/items/{pub.pk}/").status_code == 200
    _login(client, tree.officer, tree.street)
    page = client.get("/office/inspection/").content.decode()
    assert edit in page and new in page


def test_the_supervisor_reading_a_published_report_is_not_offered_to_correct_it(
    client: Any, tree: Any
) -> None:
    report = _published(tree)
    correct = f'"/office/reports/{report.pk}/do/correct/"'
    _login(client, tree.supervisor, tree.street)
    assert correct not in client.get(f"/office/reports/{report.pk}/").content.decode()
    assert client.post(correct.strip('"'), {"reason": "漏报"}).status_code == 403
    _login(client, tree.officer, tree.street)
    assert correct in client.get(f"/office/reports/{report.pk}/").content.decode()

"""The 工作台's to-do list, per demo role: each line's count is what its link lists,
the nearest due date is right, and each role sees only its own work."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from gongkai.accounts.models import User
from gongkai.core.inforequest_flow import OPEN_STATUSES
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import Publication
from gongkai.supervision.models import NoticeRecipient, SupervisionNotice

pytestmark = pytest.mark.django_db

TODAY = "2026-12-07 10:00 +0800"
ROW = re.compile(
    r'<tr class="todo-row[^"]*">\s*<td><a href="([^"]+)">([^<]+)</a></td>\s*'
    r'<td class="num">(?:<strong>)?(\d+)(?:</strong>)?</td>\s*<td>([^<]*)',
)


@pytest.fixture
def demo() -> Any:
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", "--quiet-accounts")
        yield


def _todo(client: Client, username: str, org: str | None = None) -> dict[str, Any]:
    client.force_login(User.objects.get(username=username))
    if org is not None:
        session = client.session
        session["gongkai_active_org"] = Organisation.objects.get(name=org).pk
        session.save()
    page = client.get("/office/").content.decode()
    section = page[
        page.index('id="todo"') : page.index("</section>", page.index('id="todo"'))
    ]
    return {
        label.strip(): {"url": url.replace("&amp;", "&"), "n": int(n), "due": due}
        for url, label, n, due in ROW.findall(section)
    }


def _listed(client: Client, url: str, row_class: str) -> int:
    return client.get(url).content.decode().count(row_class)


def test_the_officer_sees_the_cases_to_handle_and_each_link_lists_that_many(
    demo: Any, client: Client
) -> None:
    todo = _todo(client, "officer")
    luopu = Organisation.objects.get(name="老城区洛浦街道办事处")
    mine = InfoRequest.objects.filter(organisation__path__startswith=luopu.path)
    open_ = mine.filter(status__in=OPEN_STATUSES)
    today = date(2026, 12, 7)
    assert todo["已超过答复期限"]["n"] == open_.filter(due_on__lt=today).count() > 0
    earliest = min(c.due_on for c in open_.filter(due_on__lt=today))
    assert (
        f"{earliest.year}年{earliest.month}月{earliest.day}日"
        in todo["已超过答复期限"]["due"]
    )
    assert todo["已登记，待审核"]["n"] == mine.filter(status="received").count() == 2
    assert todo["新收申请待指定承办人"]["n"] == 2
    assert todo["3个工作日内到期"]["n"] >= 1
    for label in (
        "已超过答复期限",
        "已登记，待审核",
        "3个工作日内到期",
        "新收申请待指定承办人",
    ):
        with time_machine.travel(TODAY, tick=False):
            assert (
                _listed(client, todo[label]["url"], 'class="ir-row ')
                == todo[label]["n"]
            )
    # The officer neither approves replies nor reviews items.
    assert "处理决定待我审批送达" not in todo and "待我审核的信息" not in todo
    assert (
        todo["已送审待审核的信息"]["n"]
        == Publication.objects.filter(status="in_review").count()
    )
    assert todo["定时发布的信息"]["n"] == 1
    assert todo["2026年度报告待编写、提交"]["n"] == 1
    assert "2027年1月31日" in todo["2026年度报告待编写、提交"]["due"]
    # The 街道 published its 2025 report in January 2026, on time: nothing overdue.
    assert todo["2025年度报告逾期未公开"]["n"] == 0


def test_the_head_sees_what_waits_for_approval(demo: Any, client: Client) -> None:
    with time_machine.travel(TODAY, tick=False):
        todo = _todo(client, "head")
    decided = InfoRequest.objects.filter(status="decided").count()
    assert todo["处理决定待我审批送达"]["n"] == decided > 0
    assert todo["待我审核的信息"]["n"] == 1 and "已送审待审核的信息" not in todo
    assert "年度报告待我审核" in todo
    with time_machine.travel(TODAY, tick=False):
        url = todo["处理决定待我审批送达"]["url"]
        assert _listed(client, url, 'class="ir-row ') == decided


def test_the_supervisor_oversees_without_the_officers_chores(
    demo: Any, client: Client
) -> None:
    with time_machine.travel(TODAY, tick=False):
        todo = _todo(client, "supervisor")
    assert "新收申请待指定承办人" not in todo and "督办通知待签收" not in todo
    assert todo["已超过答复期限"]["n"] >= 1
    # 条例第四十九条: the district government's report is due by 31 March, its
    # department's, 街道's and 镇's by 31 January — one line per deadline, and no
    # 社区 counted (not a disclosure body, so no annual report). Every body published
    # its 2025 report on time but the 镇, whose report is still a draft.
    overdue = {k: v for k, v in todo.items() if k.startswith("2025年度报告逾期未公开")}
    assert {k: v["n"] for k, v in overdue.items()} == {
        "2025年度报告逾期未公开（县（区）级人民政府）": 0,
        "2025年度报告逾期未公开（政府部门、街道办事处、乡镇人民政府）": 1,
    }
    late = overdue["2025年度报告逾期未公开（政府部门、街道办事处、乡镇人民政府）"]
    assert "2026年1月31日" in late["due"]
    assert not any("2024年度报告" in k for k in todo)  # all published on time


def test_each_body_is_overdue_from_its_own_deadline(demo: Any, client: Client) -> None:
    """On 15 February 2027 the department, 街道 and 镇 are late with their 2026
    reports (due 31 January); the district government is not yet (due 31 March) —
    only with its 2025 report, which it never published."""
    with time_machine.travel("2027-02-15 10:00 +0800", tick=False):
        todo = _todo(client, "supervisor")
    late_2026 = todo["2026年度报告逾期未公开（政府部门、街道办事处、乡镇人民政府）"]
    assert late_2026["n"] == 3 and "2027年1月31日" in late_2026["due"]
    assert todo["2025年度报告逾期未公开（县（区）级人民政府）"]["n"] == 0
    # The 镇's 2025 report is still overdue: an earlier year stays listed.
    late_2025 = todo["2025年度报告逾期未公开（政府部门、街道办事处、乡镇人民政府）"]
    assert late_2025["n"] == 1 and "2026年1月31日" in late_2025["due"]
    assert "2027年3月31日" not in str(todo)  # not overdue: not listed


def _grid_overdue(today: date) -> dict[int, int]:
    """Year → how many cells of the supervisor's grid (the dashboard of the year of
    ``today``) read 已超期未公开."""
    from gongkai.supervision.selectors import dashboard

    district = Organisation.objects.get(name="洛阳市老城区人民政府")
    board = dashboard(district, today.year)
    found: dict[int, int] = {}
    for row in board.report_grid:
        for cell in row["cells"]:
            if cell["state"] == "overdue":
                found[cell["year"]] = found.get(cell["year"], 0) + 1
    return found


def _todo_overdue(todo: dict[str, Any]) -> dict[int, int]:
    found: dict[int, int] = {}
    for label, line in todo.items():
        if "年度报告逾期未公开" in label and line["n"]:
            year = int(label[:4])
            found[year] = found.get(year, 0) + line["n"]
    return found


@pytest.mark.parametrize("when", ["2026-12-07 10:00 +0800", "2027-02-15 10:00 +0800"])
def test_the_workbench_and_the_grid_name_the_same_overdue_years(
    demo: Any, client: Client, when: str
) -> None:
    """The supervisor's 工作台 and the supervision grid name the same overdue years
    with the same bodies: a year earlier than the last is listed too."""
    from gongkai.reports.models import AnnualReport

    # The 住建局 never published its 2024 report (its deadline 31 January 2025).
    AnnualReport.objects.filter(
        organisation__short_name="老城区住建局", year=2024
    ).update(status="draft", published_at=None)
    with time_machine.travel(when, tick=False):
        today = date.fromisoformat(when[:10])
        grid = _grid_overdue(today)
        todo = _todo_overdue(_todo(client, "supervisor"))
    assert grid[2025] == 1  # the 镇's draft
    assert grid == todo
    if today.year == 2026:
        assert grid == {2024: 1, 2025: 1}
    else:  # 2027: the grid shows 2025–2027; the 2026 reports are late everywhere
        assert grid == {2025: 1, 2026: 3}


def _cell(client: Client, username: str, label: str) -> str:
    """The 期限 cell of the to-do line ``label``, as HTML."""
    client.force_login(User.objects.get(username=username))
    page = client.get("/office/").content.decode()
    row = page.split(f">{label}</a>", 1)[1].split("</tr>", 1)[0]
    return row.rsplit("<td>", 1)[1]


def test_a_provisional_due_date_is_marked_as_its_list_marks_it(
    demo: Any, client: Client
) -> None:
    """A date counted over 2027, whose holiday schedule is not entered (the demo's
    2 January 2027, a Saturday that may be 调休上班), carries 临时 as on the case
    and publication lists; a date within 2026 does not."""
    luopu = Organisation.objects.get(name="老城区洛浦街道办事处")
    received = InfoRequest.objects.filter(
        status="received", organisation__path__startswith=luopu.path
    )
    # Leave the street only its application due in 2027.
    received.filter(due_on__year=2026).delete()
    (case,) = received
    assert case.due_on == date(2027, 1, 2) and case.due_provisional  # as listed
    with time_machine.travel(TODAY, tick=False):
        waiting = _cell(client, "officer", "已登记，待审核")
        soon = _cell(client, "officer", "3个工作日内到期")
        review = _cell(client, "head", "待我审核的信息")
        listed = client.get("/office/publishing/items/?status=in_review").content
    assert "2027年1月2日" in waiting and "临时" in waiting
    assert "2026年12月" in soon and "临时" not in soon
    pub = Publication.objects.get(status="in_review")
    assert pub.due_on == date(2027, 1, 2)
    assert "临时" in listed.decode()  # the list marks it ...
    assert "2027年1月2日" in review and "临时" in review  # ... and so does the 工作台


# Why a 临时 date can be a Saturday or Sunday (holidays.md §2, the conservative rule
# of the code: the weekends that may be 调休上班 count as working days).
WEEKEND_WHY = "节日前后可能调休上班的周末暂计为工作日"


def test_a_provisional_date_on_a_weekend_says_why_wherever_it_is_shown(
    demo: Any, client: Client
) -> None:
    """2 January 2027 is a Saturday: each list and case page that shows it as a
    deadline says why; a provisional date on a weekday, and a confirmed one, do
    not."""
    luopu = Organisation.objects.get(name="老城区洛浦街道办事处")
    received = InfoRequest.objects.filter(
        status="received", organisation__path__startswith=luopu.path
    )
    received.filter(due_on__year=2026).delete()
    (case,) = received
    pub = Publication.objects.get(status="in_review")
    assert case.due_on == pub.due_on == date(2027, 1, 2)
    assert date(2027, 1, 2).weekday() == 5  # a Saturday
    with time_machine.travel(TODAY, tick=False):
        waiting = _cell(client, "officer", "已登记，待审核")
        soon = _cell(client, "officer", "3个工作日内到期")
        cases = client.get("/office/requests/?status=received").content.decode()
        case_page = client.get(f"/office/requests/{case.pk}/").content.decode()
        review = _cell(client, "head", "待我审核的信息")
        items = client.get("/office/publishing/items/?status=in_review")
        item_page = client.get(f"/office/publishing/items/{pub.pk}/")
    assert "临时日期（周六）" in waiting and WEEKEND_WHY in waiting
    assert WEEKEND_WHY not in soon  # a date of 2026, confirmed
    assert WEEKEND_WHY in review
    for page in (cases, case_page, items.content.decode(), item_page.content.decode()):
        assert "临时日期（周六）" in page and WEEKEND_WHY in page
    # A provisional date on a weekday (4 January 2027, a Monday) needs no note.
    InfoRequest.objects.filter(pk=case.pk).update(due_on=date(2027, 1, 4))
    with time_machine.travel(TODAY, tick=False):
        case_page = client.get(f"/office/requests/{case.pk}/").content.decode()
    assert "2027年1月4日" in case_page and WEEKEND_WHY not in case_page


def test_a_notice_to_the_street_waits_to_be_acknowledged(
    demo: Any, client: Client
) -> None:
    district = Organisation.objects.get(name="洛阳市老城区人民政府")
    luopu = Organisation.objects.get(name="老城区洛浦街道办事处")
    notice = SupervisionNotice.objects.create(
        sender=district,
        subject="请于月底前更新主动公开目录",
        body="见附件",
        due_on=date(2026, 12, 18),
    )
    NoticeRecipient.objects.create(notice=notice, organisation=luopu)
    waiting = NoticeRecipient.objects.filter(
        organisation=luopu, acknowledged_at__isnull=True
    )
    with time_machine.travel(TODAY, tick=False):
        todo = _todo(client, "officer")
    assert todo["督办通知待签收"]["n"] == waiting.count() == 2  # the demo's and this
    assert "2026年12月17日" in todo["督办通知待签收"]["due"]  # the demo's: today + 10
    assert todo["督办通知待签收"]["url"] == "/office/supervision/notices/"


def test_the_administrators_and_a_liaison_see_no_street_work(
    demo: Any, client: Client
) -> None:
    with time_machine.travel(TODAY, tick=False):
        assert _todo(client, "sysadmin") == {}
        liaison = _todo(client, "liaison1")
    assert all(
        item["n"] == 0 for k, item in liaison.items() if "申请" in k or "答复" in k
    )


def test_the_list_refreshes_alone_through_htmx_in_a_bounded_number_of_queries(
    demo: Any, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(User.objects.get(username="supervisor"))
    with django_assert_max_num_queries(40):
        response = client.get("/office/todo/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith(("{#", "<section")) and "<html" not in page
    assert 'hx-get="/office/todo/"' in page
    assert client.get("/office/todo/").status_code == 302  # no htmx: the whole 工作台


def test_a_notice_the_district_sent_is_not_the_district_heads_to_acknowledge(
    demo: Any, client: Client
) -> None:
    """The demo's notice was sent by the district to the 街道: the district's head
    (qhead) sees nothing to 签收, and the notices page lists nothing received; a
    notice addressed to the district itself counts, and its page offers 签收."""
    district = Organisation.objects.get(name="洛阳市老城区人民政府")
    assert NoticeRecipient.objects.filter(acknowledged_at__isnull=True).exists()
    with time_machine.travel(TODAY, tick=False):
        todo = _todo(client, "qhead")
        page = client.get(todo["督办通知待签收"]["url"]).content.decode()
    assert todo["督办通知待签收"]["n"] == 0
    assert page.count("/ack/") == 0
    city = Organisation.objects.create(name="洛阳市人民政府", kind="city")
    notice = SupervisionNotice.objects.create(
        sender=city, subject="请报送年度报告", body="见附件"
    )
    NoticeRecipient.objects.create(notice=notice, organisation=district)
    with time_machine.travel(TODAY, tick=False):
        todo = _todo(client, "qhead")
        page = client.get(todo["督办通知待签收"]["url"]).content.decode()
    assert todo["督办通知待签收"]["n"] == 1 == page.count("/ack/")


DEMO_ROLES = (
    "officer",
    "head",
    "leader",
    "liaison1",
    "zjofficer",
    "zjhead",
    "msofficer",
    "mshead",
    "qofficer",
    "qhead",
    "supervisor",
)


def _rows_listed(page: str, url: str, label: str = "") -> int | None:
    """How many rows the list behind ``url`` shows, each counted by its own mark
    (on the page shared by 转办 and 协办, by the line's ``label``)."""
    if label == "转来申请待接收":
        return len(re.findall(r'action="/office/requests/transfers/\d+/accept/"', page))
    if label == "协办请求待回复":
        return len(
            re.findall(r'action="/office/requests/assistance/\d+/answer/"', page)
        )
    if label == "答复期限变更待确认":
        return len(
            re.findall(r'action="/office/requests/\d+/[^"]*deadline[^"]*"', page)
        )
    if url.startswith("/office/requests/?"):
        return page.count('class="ir-row ')
    if url.startswith("/office/publishing/"):
        return len(re.findall(r'<td><a href="/office/publishing/items/\d+/">', page))
    if url.startswith("/office/reports/"):
        return page.count('class="report-todo-row"')
    if url == "/office/supervision/notices/":
        return len(re.findall(r'action="/office/supervision/notices/\d+/ack/"', page))
    return None


@pytest.mark.parametrize("when", ["2026-12-07 10:00 +0800", "2027-02-15 10:00 +0800"])
def test_each_line_of_each_demo_role_links_to_exactly_the_rows_it_counts(
    demo: Any, client: Client, when: str
) -> None:
    """The README's promise: a line's count is the number of rows its link shows —
    for the annual reports of the bodies below (the supervisor's 邙山镇 draft, the
    district head's bodies still to write), the notices to 签收, the cases and items."""
    read = 0
    with time_machine.travel(when, tick=False):
        for username in DEMO_ROLES:
            for label, line in _todo(client, username).items():
                page = client.get(line["url"])
                assert page.status_code == 200, (username, label)
                listed = _rows_listed(page.content.decode(), line["url"], label)
                assert listed is not None, (username, label, line["url"])
                read += 1
                assert listed == line["n"], (username, label, line["url"])
    assert read > 40


def test_the_supervisors_overdue_line_lists_the_township(
    demo: Any, client: Client
) -> None:
    with time_machine.travel(TODAY, tick=False):
        todo = _todo(client, "supervisor")
        label = "2025年度报告逾期未公开（政府部门、街道办事处、乡镇人民政府）"
        page = client.get(todo[label]["url"]).content.decode()
    assert todo[label]["n"] == 1
    (row,) = re.findall(r'<tr class="report-todo-row">.*?</tr>', page, re.S)
    assert "邙山镇人民政府" in row and "草稿" in row
    for junk in ("state=overdue&year=x&kind=zz&page=-1", "state=nope", "year=99999"):
        assert client.get(f"/office/reports/?{junk}").status_code == 200
    # The district head writes the reports of the bodies it heads (the district
    # government, and through it those below): the line lists each of them.
    with time_machine.travel(TODAY, tick=False):
        todo = _todo(client, "qhead")
        lines = [k for k in todo if k.startswith("2026年度报告待编写、提交")]
        pages = [client.get(todo[k]["url"]).content.decode() for k in lines]
    listed = [
        re.findall(r'<tr class="report-todo-row"><td>([^<]+)</td>', page)
        for page in pages
    ]
    assert [len(rows) for rows in listed] == [todo[k]["n"] for k in lines]
    assert sum(todo[k]["n"] for k in lines) > 0
    # Each body once, in the line of its own deadline.
    names = [name for rows in listed for name in rows]
    assert len(names) == len(set(names))

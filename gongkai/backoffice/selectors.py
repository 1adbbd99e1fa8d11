"""The 工作台's to-do list: what is waiting for this user in the active organisation.

Each item is a count, the nearest due date and a link to the list filtered the same
way, so the number on the 工作台 is the number of rows the link shows. Every count is
one aggregate query over an indexed, scoped queryset (the permission helper's
``scope`` and the organisation's path prefix); nothing here loads rows, so a
supervisor over 10^4 units costs the same dozen queries as an officer of one 街道.

"Due soon" is the one rule of :mod:`gongkai.core.workdays.urgency` (through the
list filter of :func:`gongkai.inforequests.selectors.inforequest_list_filtered`);
there is no second threshold here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse

from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import Status
from gongkai.core.publication_flow import Status as PubStatus
from gongkai.core.workdays.urgency import DUE_SOON_LABEL
from gongkai.inforequests.models import DeadlineChange
from gongkai.inforequests.selectors import (
    ListFilter,
    assistance_pending_for,
    inforequest_list_filtered,
    transfers_pending_for,
)
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, can, scope
from gongkai.publishing.models import Publication
from gongkai.publishing.services.deadlines import publication_due_is_provisional
from gongkai.reports.models import AnnualReport
from gongkai.reports.report_common import (
    report_deadline_for_kind,
    report_overdue,
    report_years_watched,
)
from gongkai.reports.selectors import (
    report_bodies_overdue,
    report_bodies_under,
    report_bodies_unwritten,
    reports_waiting,
)
from gongkai.supervision.models import NoticeRecipient


@dataclass(frozen=True)
class Todo:
    """One line of the to-do list."""

    label: str
    count: int
    url: str
    due: date | None = None  # the nearest due date among the items
    due_label: str = "最近期限"
    tone: str = ""  # "danger" for overdue, "warn" for due soon
    # The due date is 临时: counted over a year whose holiday schedule is not yet
    # entered, decided as the list behind the link decides it.
    provisional: bool = False

    @property
    def overdue(self) -> bool:
        return self.tone == "danger" and self.count > 0


@dataclass(frozen=True)
class TodoGroup:
    title: str
    items: list[Todo] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _url(name: str, **query: str) -> str:
    base = reverse(name)
    return f"{base}?{urlencode(query)}" if query else base


def _count_due(qs: QuerySet[Any], due: str) -> tuple[int, date | None]:
    row = qs.order_by().aggregate(n=Count("pk"), due=Min(due))
    return row["n"], row["due"]


def _count_cases_due(qs: QuerySet[Any]) -> tuple[int, date | None, bool]:
    """Count, nearest 答复期限, and whether that date is 临时 — the case's stored
    ``due_provisional``, which the case list marks (one aggregate)."""
    row = qs.order_by().aggregate(
        n=Count("pk"),
        due=Min("due_on"),
        provisional_due=Min("due_on", filter=Q(due_provisional=True)),
    )
    provisional = row["due"] is not None and row["provisional_due"] == row["due"]
    return row["n"], row["due"], provisional


# --------------------------------------------------------------------------- applications


def _application_items(user: Any, org: Organisation, today: date) -> list[Todo]:
    calendar = work_calendar()

    def filtered(**kwargs: Any) -> tuple[int, date | None, bool]:
        qs = inforequest_list_filtered(user, org, ListFilter(**kwargs), today, calendar)
        return _count_cases_due(qs)

    items: list[Todo] = []
    url = "inforequests:list"
    may_handle = can(user, Perm.EDIT, org)
    if may_handle:
        n, due, prov = filtered(status=Status.RECEIVED, handler="none")
        items.append(
            Todo(
                "新收申请待指定承办人",
                n,
                _url(url, status="received", handler="none"),
                due,
                provisional=prov,
            )
        )
        n, due, prov = filtered(status=Status.RECEIVED)
        items.append(
            Todo(
                "已登记，待审核",
                n,
                _url(url, status="received"),
                due,
                "答复期限",
                provisional=prov,
            )
        )
    n, due, prov = filtered(urgency="due_soon")
    items.append(
        Todo(
            DUE_SOON_LABEL,
            n,
            _url(url, urgency="due_soon"),
            due,
            "答复期限",
            "warn",
            prov,
        )
    )
    n, due, prov = filtered(urgency="overdue")
    items.append(
        Todo(
            "已超过答复期限",
            n,
            _url(url, urgency="overdue"),
            due,
            "答复期限",
            "danger",
            prov,
        )
    )
    # 答复送达 needs the office head's approval (GONGKAI_REPLY_NEEDS_APPROVAL).
    if can(user, Perm.APPROVE, org) and settings.REPLY_NEEDS_APPROVAL:
        n, due, prov = filtered(status=Status.DECIDED)
        items.append(
            Todo(
                "处理决定待我审批送达",
                n,
                _url(url, status="decided"),
                due,
                "答复期限",
                provisional=prov,
            )
        )
    if may_handle:
        n = (
            transfers_pending_for(user)
            .filter(path_prefix_q(org.path, "to_organisation__path"))
            .count()
        )
        items.append(Todo("转来申请待接收", n, reverse("inforequests:transfers")))
        n, due = _count_due(
            assistance_pending_for(user).filter(
                path_prefix_q(org.path, "organisation__path")
            ),
            "due_on",
        )
        items.append(
            Todo(
                "协办请求待回复", n, reverse("inforequests:transfers"), due, "回复期限"
            )
        )
    return items


# --------------------------------------------------------------------------- publications


def _publication_items(user: Any, org: Organisation) -> list[Todo]:
    under = scope(Publication.objects.all(), user, Perm.VIEW).filter(
        path_prefix_q(org.path, "organisation__path")
    )
    url = "publishing:list"
    items: list[Todo] = []
    may_approve = can(user, Perm.APPROVE, org)
    review = (
        scope(under.filter(status=PubStatus.IN_REVIEW), user, Perm.APPROVE)
        if may_approve
        else under.filter(status=PubStatus.IN_REVIEW)
    )
    n, due = _count_due(review, "due_on")
    # 临时 as the publication lists decide it, for the item the date is of.
    nearest = (
        review.filter(due_on=due).only("due_on", "formed_on", "changed_on").first()
        if due is not None
        else None
    )
    label = "待我审核的信息" if may_approve else "已送审待审核的信息"
    items.append(
        Todo(
            label,
            n,
            _url(url, status="in_review", below="1"),
            due,
            "应公开日期",
            provisional=(
                nearest is not None and publication_due_is_provisional(nearest)
            ),
        )
    )
    row = (
        under.filter(status=PubStatus.SCHEDULED)
        .order_by()
        .aggregate(n=Count("pk"), at=Min("go_live_at"))
    )
    at = row["at"]
    items.append(
        Todo(
            "定时发布的信息",
            row["n"],
            _url(url, status="scheduled", below="1"),
            at.date() if at is not None else None,
            "最早发布",
        )
    )
    return items


# --------------------------------------------------------------------------- reports


def _writing_year(kind: str, today: date) -> int:
    """The year whose report a body of ``kind`` is writing now: last year's until
    its statutory deadline has passed (条例第四十九条), then this year's. The year
    before it is the latest one whose deadline has passed."""
    last = today.year - 1
    return last if today <= report_deadline_for_kind(kind, last) else today.year


def _who(kinds: list[str], split: bool) -> str:
    """Which kinds of body a line counts, when the lines are split by deadline."""
    if not split:
        return ""
    names = dict(Organisation.Kind.choices)
    return "（" + "、".join(names.get(k, k) for k in kinds) + "）"


def _report_url(
    state: str, year: int | None = None, kinds: Collection[str] = ()
) -> str:
    """The reports page listing the rows of a line (``report_index``'s filter)."""
    query: list[tuple[str, str]] = [("state", state)]
    if year is not None:
        query.append(("year", str(year)))
    query += [("kind", k) for k in kinds]
    return f"{reverse('reports:index')}?{urlencode(query)}"


def _kind_groups(
    bodies: QuerySet[Organisation], year_of: Callable[[str], int]
) -> dict[tuple[int, date], list[str]]:
    """The kinds of ``bodies`` grouped by (year, deadline): the deadline differs by
    kind of body (条例第四十九条: a department's by 31 January, a government's by 31
    March), so each group is a line with its own date."""
    groups: dict[tuple[int, date], list[str]] = {}
    for kind in bodies.order_by("kind").values_list("kind", flat=True).distinct():
        year = year_of(kind)
        groups.setdefault((year, report_deadline_for_kind(kind, year)), []).append(kind)
    return groups


def _reports_unwritten(user: Any, org: Organisation, today: date) -> list[Todo]:
    """The bodies whose report on the year their kind is writing has not left the
    draft (``report_bodies_unwritten``), one line per deadline."""
    groups = _kind_groups(
        report_bodies_under(user, org, Perm.EDIT),
        lambda kind: _writing_year(kind, today),
    )
    items: list[Todo] = []
    for (year, deadline), kinds in sorted(groups.items()):
        n = report_bodies_unwritten(user, org, year, kinds).count()
        label = f"{year}年度报告待编写、提交{_who(kinds, len(groups) > 1)}"
        url = _report_url("unwritten", year, kinds)
        items.append(Todo(label, n, url, deadline, "法定公开期限"))
    return items


def _report_items(user: Any, org: Organisation, today: date) -> list[Todo]:
    items = _reports_unwritten(user, org, today)
    if report_bodies_under(user, org, Perm.APPROVE).exists():
        for status, label in (
            (AnnualReport.Status.SUBMITTED, "年度报告待我审核"),
            (AnnualReport.Status.APPROVED, "年度报告已审核待公开"),
        ):
            n, due = _count_due(reports_waiting(user, org, status), "deadline")
            url = _report_url(str(status))
            items.append(Todo(label, n, url, due, "法定公开期限"))
    items += _reports_overdue(user, org, today)
    return items


def _reports_overdue(user: Any, org: Organisation, today: date) -> list[Todo]:
    """逾期未公开: by the supervision grid's rule over the grid's years
    (``bodies_with_report_overdue``, ``report_years_watched``), one line per year and
    deadline (a government's differs from a department's, 条例第四十九条). The latest
    year whose deadline has passed for a kind is always listed (0 when every body
    has published it); an earlier year only while a body is overdue with it."""
    bodies = report_bodies_under(user, org, Perm.VIEW)
    all_kinds = list(bodies.order_by("kind").values_list("kind", flat=True).distinct())
    groups: dict[tuple[int, date], list[str]] = {}
    latest: dict[str, int] = {}
    for kind in all_kinds:
        for year in report_years_watched(today.year):
            deadline = report_deadline_for_kind(kind, year)
            if report_overdue(deadline=deadline, published=False, today=today):
                groups.setdefault((year, deadline), []).append(kind)
                latest[kind] = max(latest.get(kind, year), year)
    items: list[Todo] = []
    for (year, deadline), kinds in sorted(groups.items()):
        n = report_bodies_overdue(user, org, year, today, kinds).count()
        if n == 0 and all(latest[k] != year for k in kinds):
            continue
        label = f"{year}年度报告逾期未公开{_who(kinds, kinds != all_kinds)}"
        url = _report_url("overdue", year, kinds)
        items.append(Todo(label, n, url, deadline, "法定公开期限", "danger"))
    return items


# --------------------------------------------------------------------------- notices


def _notice_items(user: Any, org: Organisation) -> list[Todo]:
    items: list[Todo] = []
    # Only the notices addressed to the active organisation itself, as 收到的督办 of
    # the notices page lists them (each with its 签收 button): not those it sent to
    # the bodies below it, which they are to acknowledge.
    unread = scope(
        NoticeRecipient.objects.filter(acknowledged_at__isnull=True, organisation=org),
        user,
        Perm.EDIT,
    )
    n, due = _count_due(unread, "notice__due_on")
    items.append(
        Todo("督办通知待签收", n, reverse("supervision:notices"), due, "办理期限")
    )
    changes = scope(
        DeadlineChange.objects.filter(acknowledged=False),
        user,
        Perm.EDIT,
        via="request__organisation",
    ).filter(path_prefix_q(org.path, "request__organisation__path"))
    n, due = _count_due(changes, "new_due")
    items.append(
        Todo(
            "答复期限变更待确认",
            n,
            reverse("backoffice:dashboard") + "#dl-title",
            due,
            "最近新期限",
        )
    )
    return items


# --------------------------------------------------------------------------- the list


def todo_for(user: Any, org: Organisation | None, today: date) -> list[TodoGroup]:
    """The to-do groups of ``user`` in ``org`` (and below), for the roles they hold
    there; an empty list for a user with no business role (the administrators)."""
    if org is None or not can(user, Perm.VIEW, org):
        return []
    groups = [
        TodoGroup("依申请公开", _application_items(user, org, today)),
        TodoGroup("主动公开", _publication_items(user, org)),
        TodoGroup("年度报告", _report_items(user, org, today)),
    ]
    if can(user, Perm.EDIT, org):
        groups.append(TodoGroup("督办与提醒", _notice_items(user, org)))
    return [g for g in groups if g.items]


__all__ = ["Todo", "TodoGroup", "todo_for"]

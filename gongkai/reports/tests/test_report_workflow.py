"""The report services run the core/report_flow table: a refused move saves nothing,
an allowed move writes exactly one ReportEvent row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.core.report_flow import Action, Status
from gongkai.reports import services as r
from gongkai.reports.models import AnnualReport, ReportEvent
from gongkai.reports.outputs import report_file
from gongkai.reports.tests.factories import reporting_unit

pytestmark = pytest.mark.django_db


def _draft(tree: Any) -> AnnualReport:
    return r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)


def _submitted(tree: Any) -> AnnualReport:
    return r.report_submit(actor=tree.officer, report=_draft(tree))


def _approve(tree: Any, report: AnnualReport) -> AnnualReport:
    for finding in [f for f in report.findings if f["severity"] == "warning"]:
        report = r.report_note_warning(
            actor=tree.head, report=report, finding=finding["id"], note="已核实"
        )
    return r.report_approve(actor=tree.head, report=report)


def _approved(tree: Any) -> AnnualReport:
    return _approve(tree, _submitted(tree))


def _published(tree: Any) -> AnnualReport:
    return r.report_publish(actor=tree.head, report=_approved(tree))


def _superseded(tree: Any) -> AnnualReport:
    old = _published(tree)
    new = r.report_correct(actor=tree.officer, report=old, reason="漏报")
    new = _approve(tree, r.report_submit(actor=tree.officer, report=new))
    r.report_publish(actor=tree.head, report=new)
    old.refresh_from_db()
    return old


SETUPS: dict[str, Callable[[Any], AnnualReport]] = {
    "draft": _draft,
    "submitted": _submitted,
    "approved": _approved,
    "published": _published,
    "superseded": _superseded,
}

MOVES: dict[str, Callable[[Any, AnnualReport], AnnualReport]] = {
    "submit": lambda tree, rep: r.report_submit(actor=tree.officer, report=rep),
    "approve": lambda tree, rep: r.report_approve(actor=tree.head, report=rep),
    "return": lambda tree, rep: r.report_return(
        actor=tree.head, report=rep, reason="请修改"
    ),
    "publish": lambda tree, rep: r.report_publish(actor=tree.head, report=rep),
    "correct": lambda tree, rep: r.report_correct(
        actor=tree.officer, report=rep, reason="漏报"
    ),
}

ILLEGAL = [
    ("draft", "approve"),
    ("draft", "return"),
    ("draft", "publish"),
    ("draft", "correct"),
    ("submitted", "submit"),
    ("submitted", "publish"),
    ("submitted", "correct"),
    ("approved", "submit"),
    ("approved", "approve"),
    ("approved", "correct"),
    ("published", "submit"),
    ("published", "approve"),
    ("published", "return"),
    ("published", "publish"),
    ("superseded", "submit"),
    ("superseded", "approve"),
    ("superseded", "return"),
    ("superseded", "publish"),
    ("superseded", "correct"),
]


def _snapshot(report: AnnualReport) -> tuple[Any, ...]:
    report.refresh_from_db()
    return (
        report.status,
        report.updated_at,
        report.submitted_at,
        report.approved_at,
        report.published_at,
        AnnualReport.objects.count(),
        ReportEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_core_statuses_are_the_models() -> None:
    assert [(s.value, s.label) for s in Status] == list(
        zip(AnnualReport.Status.values, AnnualReport.Status.labels, strict=True)
    )


@pytest.mark.parametrize(("status", "move"), ILLEGAL)
def test_an_illegal_move_is_refused_in_chinese_and_saves_nothing(
    tree: Any, status: str, move: str
) -> None:
    report = SETUPS[status](tree)
    assert report.status == status
    before = _snapshot(report)
    with pytest.raises(ValidationError) as info:
        MOVES[move](tree, report)
    assert info.value.messages == [
        f"年度报告处于“{Status(status).label}”状态，"
        f"不能执行“{Action(move).label}”操作。"
    ]
    assert _snapshot(report) == before


def _events(report: AnnualReport) -> list[tuple[str, str, str]]:
    return list(
        report.events.order_by("at", "id").values_list(
            "action", "from_status", "to_status"
        )
    )


def test_each_allowed_move_writes_one_event_row(tree: Any) -> None:
    report = _draft(tree)
    assert _events(report) == [("generate", "", "draft")]
    report = r.report_submit(actor=tree.officer, report=report)
    report = r.report_return(actor=tree.head, report=report, reason="请补充")
    report = r.report_submit(actor=tree.officer, report=report)
    report = _approve(tree, report)
    report = r.report_return(actor=tree.head, report=report, reason="再看看")
    report = _approve(tree, r.report_submit(actor=tree.officer, report=report))
    count = ReportEvent.objects.count()
    report = r.report_publish(actor=tree.head, report=report)
    assert ReportEvent.objects.count() == count + 1
    assert _events(report) == [
        ("generate", "", "draft"),
        ("submit", "draft", "submitted"),
        ("return", "submitted", "draft"),
        ("submit", "draft", "submitted"),
        ("approve", "submitted", "approved"),
        ("return", "approved", "draft"),
        ("submit", "draft", "submitted"),
        ("approve", "submitted", "approved"),
        ("publish", "approved", "published"),
    ]
    returned = report.events.filter(action="return").order_by("id").first()
    assert returned is not None
    assert returned.data == {"reason": "请补充"} and returned.actor == tree.head
    # Notes on warnings change no status and write no event.
    assert not report.events.filter(action="note").exists()


def test_a_correction_and_its_publication_are_recorded_on_both_revisions(
    tree: Any,
) -> None:
    old = _published(tree)
    new = r.report_correct(actor=tree.officer, report=old, reason="漏报")
    assert _events(old)[-1] == ("correct", "published", "published")
    assert old.events.get(action="correct").data == {
        "reason": "漏报",
        "new_revision": 2,
    }
    assert _events(new) == [("start_correction", "", "draft")]
    new = _approve(tree, r.report_submit(actor=tree.officer, report=new))
    r.report_publish(actor=tree.head, report=new)
    old.refresh_from_db()
    assert old.status == "superseded"
    assert _events(old)[-1] == ("supersede", "published", "superseded")
    assert old.events.get(action="supersede").data == {"by_revision": 2}
    assert _events(new)[-1] == ("publish", "approved", "published")


def test_an_imported_report_starts_published_with_one_event(tree: Any) -> None:
    data, _, _ = report_file(_published(tree), "txt")
    report = r.report_import(
        actor=tree.officer,
        organisation=reporting_unit(tree),
        year=2025,
        filename="2025.txt",
        data=data,
    )
    assert _events(report) == [("import", "", "published")]
    assert report.events.get().data == {"file": "2025.txt"}


def test_the_screen_shows_the_refusal_and_the_timeline_in_chinese(
    client: Any, tree: Any
) -> None:
    report = _submitted(tree)
    client.force_login(tree.head)
    response = client.post(
        reverse("reports:action", args=[report.pk, "publish"]), follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "年度报告处于“已提交审核”状态，不能执行“公开”操作。" in page
    report.refresh_from_db()
    assert report.status == "submitted"
    assert "办理记录" in page
    assert "生成草稿" in page and "草稿 → 已提交审核" in page
    assert "start_correction" not in page and ">submit<" not in page


def test_the_events_are_read_only_in_the_admin() -> None:
    model_admin = admin.site._registry[ReportEvent]
    assert model_admin.has_add_permission(None) is False  # type: ignore[arg-type]
    assert model_admin.has_change_permission(None) is False  # type: ignore[arg-type]
    assert model_admin.has_delete_permission(None) is False  # type: ignore[arg-type]

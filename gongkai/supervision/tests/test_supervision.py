from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.core.inforequest_flow import Status
from gongkai.inforequests import services as req
from gongkai.inforequests.tests.factories import register
from gongkai.reports.models import AnnualReport
from gongkai.reports.tests.factories import reporting_unit
from gongkai.supervision import services as s
from gongkai.supervision.models import ImportItem
from gongkai.supervision.selectors import dashboard, percentile

pytestmark = pytest.mark.django_db

SEED = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "seeds"
    / "000_22ae0ba57f04688c.txt"
)


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def test_percentile_is_nearest_rank():
    assert percentile([5, 1, 3, 2, 4, 6, 7, 8, 9, 10], 90) == 9
    assert percentile([], 90) is None


def test_the_dashboard_counts_overdue_and_handling_time_from_records(tree):
    with at("2026-09-18"):
        answered = req.inforequest_accept(
            actor=tree.officer, request=register(tree.officer, tree.street)
        )
        # Handed in at 甲社区 (the 街道's case); stays open → overdue by November.
        register(tree.liaison_a, tree.community_a)
    with at("2026-09-25"):
        answered = req.inforequest_decide(
            actor=tree.officer, request=answered, outcome="granted", note=""
        )
        req.inforequest_send_reply(actor=tree.head, request=answered)
    with at("2026-11-02"):
        board = dashboard(tree.district, 2026)
    # Received Fri 09-18, answered Fri 09-25: 21, 22, 23, 24, 25 → 5 working days.
    assert (board.handling_avg, board.handling_p90) == (5.0, 5.0)
    assert [c.organisation_id for c in board.overdue] == [tree.street.pk]
    rows = {u.unit.pk: u for u in board.units}
    assert (rows[tree.street.pk].overdue, rows[tree.street.pk].received) == (1, 2)
    assert rows[tree.community_a.pk].received == 0
    assert board.outcome_mix == {"（一）予以公开": 1}


def test_timeliness_is_the_share_answered_within_the_period(tree):
    with at("2026-03-02"):
        on_time = req.inforequest_accept(
            actor=tree.officer,
            request=register(
                tree.liaison_a, tree.community_a, submitted_on=date(2026, 3, 2)
            ),
        )
        late = req.inforequest_accept(
            actor=tree.officer,
            request=register(
                tree.liaison_a, tree.community_a, submitted_on=date(2026, 3, 2)
            ),
        )
    with at("2026-03-10"):
        req.inforequest_send_reply(
            actor=tree.head,
            request=req.inforequest_decide(
                actor=tree.officer, request=on_time, outcome="granted", note=""
            ),
        )
    with at("2026-04-20"):  # due 2026-03-30 (hand count: 3–6, 9–13, 16–20, 23–27, 30)
        req.inforequest_send_reply(
            actor=tree.head,
            request=req.inforequest_decide(
                actor=tree.officer, request=late, outcome="granted", note=""
            ),
        )
        # Both handed in at 甲社区: the 街道's applications.
        indicators = s.unit_indicators(tree.street, 2026, date(2026, 4, 20))
    assert indicators["timeliness"] == 50.0
    assert indicators["report_quality"] == 0.0  # no 2025 report at all


def test_weights_must_add_up_to_a_hundred(tree):
    with pytest.raises(ValidationError, match="100"):
        s.scheme_save(
            actor=tree.supervisor,
            organisation=tree.district,
            year=2026,
            weights={
                "timeliness": "50",
                "report_quality": "50",
                "proactive": "10",
                "catalogue": "0",
            },
        )
    with pytest.raises(ValidationError):
        s.scheme_save(
            actor=tree.supervisor,
            organisation=tree.district,
            year=2026,
            weights={
                "timeliness": "abc",
                "report_quality": "50",
                "proactive": "50",
                "catalogue": "0",
            },
        )
    s.scheme_save(
        actor=tree.supervisor,
        organisation=tree.district,
        year=2026,
        weights={
            "timeliness": "100",
            "report_quality": "0",
            "proactive": "0",
            "catalogue": "0",
        },
    )
    assert s.scheme_weights(tree.district, 2026)["timeliness"] == 100


def test_scores_export_to_xlsx(client, tree):
    client.force_login(tree.supervisor)
    data = client.get(
        reverse("supervision:scores"), {"year": "2026", "format": "xlsx"}
    ).content
    sheet = load_workbook(io.BytesIO(data)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert tree.community_b.name in names and tree.district.name not in names


def test_a_notice_must_be_acknowledged_and_the_sender_sees_who_has_not(client, tree):
    notice = s.notice_send(
        actor=tree.supervisor,
        sender=tree.district,
        recipients=[tree.street, tree.sibling_street],
        subject="2025年度报告逾期",
        body="请于三日内公开。",
    )
    recipient = notice.recipients.get(organisation=tree.street)
    s.notice_acknowledge(actor=tree.officer, recipient=recipient, response="已公开")
    with pytest.raises(ValidationError):
        s.notice_acknowledge(actor=tree.officer, recipient=recipient)
    client.force_login(tree.supervisor)
    page = client.get(reverse("supervision:notices")).content.decode()
    assert "已签收" in page and "未签收" in page


def test_a_unit_cannot_be_sent_a_notice_by_a_sibling(tree):
    with pytest.raises(ValidationError, match="下级"):
        s.notice_send(
            actor=tree.officer,
            sender=tree.street,
            recipients=[tree.sibling_street],
            subject="x",
            body="y",
        )


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not present")
def test_a_fifty_file_import_gives_a_result_per_file(client, tree, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    seed = SEED.read_text(encoding="utf-8")
    # Two units that publish annual reports (a 社区 publishes none).
    communities = [reporting_unit(tree), tree.sibling_street]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(46):
            unit, year = communities[i % 2], 2021 + (i // 2) % 5
            text = seed.replace("老城区洛浦街道办事处", unit.name).replace(
                "洛浦街道办事处", unit.name
            )
            text = text.replace("2021", str(year))
            archive.writestr(f"{i:02d}-{unit.name}{year}.txt", text)
        archive.writestr("notes.xlsx", b"not a report")
        archive.writestr(
            "other-unit.txt", seed.replace("老城区洛浦街道办事处", "某某县某某局")
        )
        archive.writestr("garbage.pdf", b"%PDF-1.4 broken")
        archive.writestr(
            "duplicate.txt", seed.replace("老城区洛浦街道办事处", communities[0].name)
        )
    client.force_login(tree.supervisor)
    response = client.post(
        reverse("supervision:imports"),
        {"files": [_upload("reports.zip", buffer.getvalue())]},
        follow=True,
    )
    page = response.content.decode()
    items = list(ImportItem.objects.all())
    assert len(items) == 50 and "进度：50 / 50" in page
    imported = [i for i in items if i.state == "imported"]
    assert (
        len(imported) == 10
    )  # 2 units × 5 years; the other 36 of the 46 repeat a unit/year
    assert AnnualReport.objects.filter(organisation=communities[0], year=2023).exists()
    failed = {i.filename: i.message for i in items if i.state == "failed"}
    assert (
        "不是年报文件" in failed["notes.xlsx"]
        and "无法确定" in failed["other-unit.txt"]
    )
    assert "已存在" in failed["duplicate.txt"]


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not present")
def test_an_import_waits_in_the_storage_not_on_this_disk(tree, settings, tmp_path):
    """The uploaded files go through the storage API (the S3 bucket in a
    deployment), so a task worker on another host reads them and backups have them."""
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    text = SEED.read_text(encoding="utf-8").replace(
        "老城区洛浦街道办事处", reporting_unit(tree).name
    )
    batch = s.import_batch_create(
        actor=tree.supervisor,
        organisation=tree.street,
        uploads=[("a.txt", text.encode("utf-8"))],
    )
    [item] = batch.items.all()
    assert default_storage.exists(item.path)
    assert not (tmp_path / "imports").exists()
    s.import_batch_process(batch.pk)
    item.refresh_from_db()
    assert item.state == ImportItem.State.IMPORTED, item.message


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not present")
def test_a_bulk_import_parses_outside_a_transaction_once_per_file(tree, monkeypatch):
    """A scan's OCR takes seconds a page: no transaction (on SQLite, the write lock)
    may be open while it runs, and the file is not read twice."""
    from django.db import connection

    from gongkai.core.annual.parse import parse_bytes

    text = SEED.read_text(encoding="utf-8").replace(
        "老城区洛浦街道办事处", reporting_unit(tree).name
    )
    batch = s.import_batch_create(
        actor=tree.supervisor,
        organisation=tree.street,
        uploads=[("a.txt", text.encode("utf-8"))],
    )
    outside = len(connection.atomic_blocks)  # the test's own transaction
    depths: list[int] = []

    def parse(data, filename):
        depths.append(len(connection.atomic_blocks))
        return parse_bytes(data, filename)

    monkeypatch.setattr(s, "parse_bytes", parse)
    monkeypatch.setattr("gongkai.reports.report_import.parse_bytes", parse)
    s.import_batch_process(batch.pk)
    [item] = batch.items.all()
    assert item.state == ImportItem.State.IMPORTED, item.message
    assert depths == [outside]


def test_a_file_that_breaks_the_parser_fails_alone_in_chinese(tree, monkeypatch):
    batch = s.import_batch_create(
        actor=tree.supervisor,
        organisation=tree.street,
        uploads=[("a.txt", "年度报告".encode()), ("b.txt", "年度报告".encode())],
    )

    def broken(data, filename):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(s, "parse_bytes", broken)
    s.import_batch_process(batch.pk)
    messages = [item.message for item in batch.items.all()]
    assert len(messages) == 2
    for message in messages:
        assert "处理失败" in message
        assert "RuntimeError" not in message and "internal" not in message


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_overdue_cases_go_to_the_head_then_to_the_supervisor(tree, mailoutbox):
    tree.head.email, tree.supervisor.email = "head@example.gov.cn", "sup@example.gov.cn"
    tree.head.save()
    tree.supervisor.save()
    with at("2026-09-18"):
        request = register(tree.officer, tree.street)  # due 2026-10-22
    from gongkai.supervision.escalation import send_escalations

    with at("2026-10-23"):  # one working day late: the head only
        assert send_escalations()[0] == 1
    assert (
        mailoutbox[-1].to == ["head@example.gov.cn"]
        and request.tracking_number in mailoutbox[-1].body
    )
    with at(
        "2026-10-29"
    ):  # 23, 26, 27, 28, 29 → 5 working days late: the supervisor too
        send_escalations()
    assert {m.to[0] for m in mailoutbox[-2:]} == {
        "head@example.gov.cn",
        "sup@example.gov.cn",
    }


def test_the_dashboard_pages_the_unit_tables_but_totals_the_whole_subtree(
    client, tree, monkeypatch
):
    from gongkai.supervision import views

    with at("2026-03-02"):
        register(tree.officer, tree.community_b, submitted_on=date(2026, 3, 2))
    monkeypatch.setattr(views, "UNITS_PER_PAGE", 2)
    client.force_login(tree.supervisor)
    first = client.get(reverse("supervision:dashboard"), {"year": "2026"})
    units = [row.unit for row in first.context["units"]]
    last_page = first.context["page"].paginator.num_pages
    assert len(units) == 2 and last_page > 1
    assert "共 " in first.content.decode() and "下一页" in first.content.decode()
    pages = [
        client.get(reverse("supervision:dashboard"), {"year": "2026", "page": n})
        for n in range(1, last_page + 1)
    ]
    seen = [row.unit.pk for p in pages for row in p.context["units"]]
    grid = [row["unit"].pk for p in pages for row in p.context["grid"]]
    assert seen == grid and len(seen) == len(set(seen))
    assert tree.community_b.pk in seen
    # The state counts above the tables cover every unit, whichever page is shown.
    received = {Status.RECEIVED.label: 1}
    assert all(p.context["b"].states == received for p in pages)


def test_publications_count_in_the_local_year_they_were_published(tree):
    # 23:30 on 31 December in 北京时间 is 15:30 UTC; 00:10 on 1 January is 16:10 UTC
    # of the same UTC day. Each belongs to its own local year.
    from gongkai.publishing.tests.factories import make_live

    with time_machine.travel("2025-12-31 23:30 +0800", tick=False):
        make_live(
            tree.street, tree.officer, tree.head, "年末", formed_on=date(2025, 12, 30)
        )
    with time_machine.travel("2026-01-01 00:10 +0800", tick=False):
        make_live(
            tree.street, tree.officer, tree.head, "年初", formed_on=date(2025, 12, 30)
        )
        by_year = {
            year: next(
                u.publications
                for u in dashboard(tree.street, year).units
                if u.unit.pk == tree.street.pk
            )
            for year in (2025, 2026)
        }
    assert by_year == {2025: 1, 2026: 1}


def test_an_open_overdue_case_is_not_answered_on_time(tree):
    """Issue 17: with one case answered on time and one still open past its due date
    (2026-03-30), 依申请按期答复率 showed 100 %; it is one on time out of two."""
    with at("2026-03-02"):
        on_time = req.inforequest_accept(
            actor=tree.officer,
            request=register(tree.officer, tree.street, submitted_on=date(2026, 3, 2)),
        )
        req.inforequest_accept(
            actor=tree.officer,
            request=register(tree.officer, tree.street, submitted_on=date(2026, 3, 2)),
        )
    with at("2026-03-10"):
        req.inforequest_send_reply(
            actor=tree.head,
            request=req.inforequest_decide(
                actor=tree.officer, request=on_time, outcome="granted", note=""
            ),
        )
    with at("2026-03-30"):  # the due date itself: still in time
        assert (
            s.unit_indicators(tree.street, 2026, date(2026, 3, 30))["timeliness"]
            == 100.0
        )
    with at("2026-04-20"):
        assert (
            s.unit_indicators(tree.street, 2026, date(2026, 4, 20))["timeliness"]
            == 50.0
        )


def test_the_scores_page_says_how_timeliness_is_computed(client, tree):
    client.force_login(tree.supervisor)
    page = client.get(reverse("supervision:scores")).content.decode()
    assert "至今未办结且已超期" in page


def test_a_missing_report_is_overdue_after_its_own_deadline(tree):
    """条例第四十九条: a department's (and by default a 街道's) report is due by 31
    January, the government's own by 31 March — the same report_deadline the
    report gets when it is made, not 31 March for everyone."""
    from gongkai.supervision.metrics import annual_report_on_time
    from gongkai.supervision.selectors import report_state

    feb = date(2026, 2, 15)
    assert report_state(None, 2025, feb, unit=tree.street) == "overdue"
    assert report_state(None, 2025, feb, unit=tree.district) == "not_started"
    assert report_state(None, 2025, date(2026, 4, 1), unit=tree.district) == ("overdue")
    result = annual_report_on_time(tree.street, 2026, feb)
    assert result.value == 0.0
    assert "公开期限2026年1月31日" in result.figures

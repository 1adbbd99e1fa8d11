"""Issue 17 (6): the 台账 exported as XLSX and CSV with the list's filters, scope and
masking (CSV safe against formula injection), and each case's 卷宗 as one PDF
(application, events, letters, 送达 records), read back with pdfplumber; both audited."""

from __future__ import annotations

import csv
import io
from datetime import date

import pdfplumber
import pytest
import time_machine
from openpyxl import load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.backoffice.context import SESSION_KEY
from gongkai.inforequests import letters as L
from gongkai.inforequests import steps as S
from gongkai.inforequests.tests.factories import RESIDENT_ID, registration
from gongkai.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def login(client, user, org) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = org.pk
    session.save()


def case(tree, org=None, **overrides):
    request, _code, _receipt = L.register(
        actor=tree.officer if org is None else tree.liaison_a,
        organisation=org or tree.street,
        registration=registration(**overrides),
    )
    return request


@pytest.fixture
def cases(tree):
    with at("2026-09-18"):
        a = case(tree, applicant_name='=HYPERLINK("http://evil","点我")')
        b = case(tree, applicant_name="李四", phone="13800001111")
        c = case(tree, applicant_name="王五")
        S.perform(
            "request_clarification",
            actor=tree.officer,
            request=c,
            data={"deadline": date(2026, 10, 9), "what": "请说明所需文件的年份"},
        )
    return a, b, c


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_ledger_exports_as_csv_with_the_filters_and_masking(client, tree, cases):
    a, b, c = cases
    login(client, tree.officer, tree.street)
    with at("2026-09-21"):
        response = client.get(
            "/office/requests/export.csv", {"status": "awaiting_clarification"}
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    rows = csv_rows(response.content)
    header = rows[0]
    assert header[:3] == ["申请编号", "受理机构", "收到申请之日"]
    # Only the case the filter selects.
    assert [r[0] for r in rows[1:]] == [c.tracking_number]
    row = dict(zip(header, rows[1], strict=True))
    assert row["办理状态"] == "待申请人补正"
    assert row["申请人"] == "王五"
    # Masked as on screen: never the whole ID number or phone.
    assert RESIDENT_ID not in response.content.decode("utf-8-sig")
    assert row["证件号码"].startswith(RESIDENT_ID[:2]) and "*" in row["证件号码"]

    with at("2026-09-21"):
        everything = csv_rows(client.get("/office/requests/export.csv").content)
    names = {
        r[header.index("申请编号")]: r[header.index("申请人")] for r in everything[1:]
    }
    assert set(names) == {a.tracking_number, b.tracking_number, c.tracking_number}
    # A formula typed as a name stays text.
    assert names[a.tracking_number] == '\'=HYPERLINK("http://evil","点我")'
    assert "13800001111" not in client.get(
        "/office/requests/export.csv"
    ).content.decode("utf-8-sig")


def test_the_ledger_exports_as_xlsx_and_is_audited(client, tree, cases):
    login(client, tree.officer, tree.street)
    before = AuditEvent.objects.filter(action="inforequests.ledger.export").count()
    with at("2026-09-21"):
        response = client.get("/office/requests/export.xlsx", {"status": "all"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert (
        "办理状态：全部" in sheet["A1"].value and tree.street.name in sheet["A1"].value
    )
    assert [c.value for c in sheet[2]][:2] == ["申请编号", "受理机构"]
    numbers = {row[0].value for row in sheet.iter_rows(min_row=3)}
    assert numbers == {c.tracking_number for c in cases}
    formula = next(
        row[5]
        for row in sheet.iter_rows(min_row=3)
        if row[0].value == cases[0].tracking_number
    )
    assert formula.data_type == "s" and formula.value.startswith("'=")
    audit = AuditEvent.objects.filter(action="inforequests.ledger.export")
    assert audit.count() == before + 1
    assert (
        audit.last().details["rows"] == 3 and audit.last().details["format"] == "xlsx"
    )


def test_the_ledger_export_is_scoped_to_what_the_user_may_see(client, tree, cases):
    neighbour = make_user("t_neighbour_officer", tree.sibling_street, "officer")
    with at("2026-09-18"):
        theirs, _code, _receipt = L.register(
            actor=neighbour,
            organisation=tree.sibling_street,
            registration=registration(applicant_name="邻街申请人"),
        )
    login(client, neighbour, tree.sibling_street)
    with at("2026-09-21"):
        response = client.get("/office/requests/export.csv", {"status": "all"})
    assert [r[0] for r in csv_rows(response.content)[1:]] == [theirs.tracking_number]
    login(client, tree.officer, tree.street)
    with at("2026-09-21"):
        response = client.get("/office/requests/export.csv", {"status": "all"})
        assert client.get("/office/requests/export.exe").status_code == 404
    numbers = [r[0] for r in csv_rows(response.content)[1:]]
    assert len(numbers) == 3 and theirs.tracking_number not in numbers
    client.logout()
    assert client.get("/office/requests/export.csv").status_code == 302  # sign in


def pdf_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_the_dossier_is_one_pdf_with_the_application_events_letters_and_delivery(
    client, tree, cases
):
    c = cases[2]
    receipt = c.letters.get(kind="acknowledgement")
    notice = c.letters.get(kind="clarification")
    L.letter_record_delivery(
        actor=tree.officer,
        letter=notice,
        method="邮寄",
        delivered_on=date(2026, 9, 22),
        tracking="EMS1234567890",
    )
    login(client, tree.officer, tree.street)
    with at("2026-09-23"):
        response = client.get(f"/office/requests/{c.pk}/dossier.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    text = "\n".join(pages)
    # In order: the application with its history, the letters as issued, 送达.
    first = pages[0]
    assert "政府信息公开申请卷宗" in first and c.tracking_number in first
    assert "一、申请" in first and "王五" in first and c.description[:10] in first
    assert "二、办理过程" in text and "登记申请" in text and "待申请人补正" in text
    assert RESIDENT_ID not in text.replace(" ", "")
    # The letters follow the case part (whose contents also list their numbers).
    letters_from = next(i for i, p in enumerate(pages) if "三、文书" in p) + 1
    where = {
        name: next(i for i, p in enumerate(pages) if name in p and i >= letters_from)
        for name in (receipt.number, notice.number, "四、送达记录")
    }
    assert receipt.number in first and notice.number in first  # the contents
    assert where[receipt.number] < where[notice.number] < where["四、送达记录"]
    assert "请说明所需文件的年份" in pages[where[notice.number]]
    delivery = pages[where["四、送达记录"]]
    assert "EMS1234567890" in delivery and "2026-09-22" in delivery
    assert AuditEvent.objects.filter(
        action="inforequests.dossier.export", object_id=str(c.pk)
    ).exists()


def test_the_dossier_of_a_case_outside_ones_scope_is_not_found(client, tree, cases):
    login(client, tree.liaison_b, tree.community_b)
    assert client.get(f"/office/requests/{cases[0].pk}/dossier.pdf").status_code == 404
    assert not AuditEvent.objects.filter(action="inforequests.dossier.export").exists()

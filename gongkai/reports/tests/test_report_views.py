from __future__ import annotations

import io

import pdfplumber
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from gongkai.accounts.models import User
from gongkai.core.annual.parse import parse_bytes
from gongkai.orgs.models import Organisation
from gongkai.reports import services as r
from gongkai.reports.models import AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_2021(db):
    call_command("load_demo", "--quiet-accounts")
    luopu = Organisation.objects.get(name="老城区洛浦街道办事处")
    # The demo generates 2021 from the seeded records and publishes it (reports/demo.py).
    return AnnualReport.objects.get(organisation=luopu, year=2021, status="published")


def test_the_officer_generates_from_the_button(client, tree):
    client.force_login(tree.officer)
    response = client.post(reverse("reports:generate"), {"year": "2025"}, follow=True)
    assert response.status_code == 200
    report = AnnualReport.objects.get(organisation=tree.street, year=2025)
    assert report.title in response.content.decode()


def test_every_value_cell_links_to_its_records(client, published_2021):
    client.force_login(User.objects.get(username="officer"))
    page = client.get(
        reverse("reports:detail", args=[published_2021.pk])
    ).content.decode()
    link = reverse("reports:cell", args=[published_2021.pk, "s2.license.decisions"])
    assert f'href="{link}"' in page
    cell = client.get(link).content.decode()
    assert cell.count("<tr>") - 1 == 3  # three 行政许可 decisions behind the 3


def test_docx_and_pdf_read_back_with_the_numbers_of_the_html(client, published_2021):
    org = published_2021.organisation
    html = client.get(reverse("portal:report", args=[org.pk, 2021])).content.decode()
    assert "行政强制" in html
    docx = client.get(
        reverse("portal:report_download", args=[org.pk, 2021, "docx"])
    ).content
    pdf = client.get(
        reverse("portal:report_download", args=[org.pk, 2021, "pdf"])
    ).content
    from_docx = parse_bytes(docx, "r.docx")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "年度报告" in document.pages[0].extract_text()
    from_pdf = parse_bytes(pdf, "r.pdf")
    for key in (
        "s2.license.decisions",
        "s2.penalty.decisions",
        "s2.coercion.decisions",
        "s3.new.total",
    ):
        assert from_docx.cells[key] == from_pdf.cells[key] == published_2021.cells[key]
    assert any(
        "行政许可" in p.text
        for t in Document(io.BytesIO(docx)).tables
        for row in t.rows
        for p in row.cells
    )


def test_a_liaison_cannot_open_the_streets_report(client, tree):
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    client.force_login(tree.liaison_a)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert (
        client.get(reverse("reports:download", args=[report.pk, "docx"])).status_code
        == 404
    )


def test_unpublished_reports_are_not_on_the_portal(client, tree):
    r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    assert (
        client.get(reverse("portal:report", args=[tree.street.pk, 2025])).status_code
        == 404
    )

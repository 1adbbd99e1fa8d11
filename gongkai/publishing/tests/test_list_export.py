"""Issue 17 (6): the publication list exported as XLSX and CSV with the screen's
filters and scope; formula-like titles stay text; audited."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.publishing.tests.factories import make_live, make_publication
from gongkai.publishing.tests.test_views_and_api import login

pytestmark = pytest.mark.django_db
URL = "/office/publishing/items/export"


@pytest.fixture
def items(tree):
    return {
        "live": make_live(
            tree.street,
            tree.officer,
            tree.head,
            "道路维修公告",
            document_number="测街〔2026〕3号",
        ),
        "draft": make_publication(tree.street, tree.officer, "=1+2 草稿"),
        "below": make_live(tree.community_a, tree.liaison_a, tree.head, "甲社区公告"),
    }


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_the_filters_of_the_screen(client, tree, items) -> None:
    login(client, tree.officer, tree.street)
    everything = rows_of(client.get(f"{URL}.csv"))
    header = everything[0]
    titles = [r[header.index("标题")] for r in everything[1:]]
    assert sorted(titles) == sorted(["道路维修公告", "'=1+2 草稿"])
    published = rows_of(client.get(f"{URL}.csv", {"status": "published"}))
    assert [r[header.index("标题")] for r in published[1:]] == ["道路维修公告"]
    assert published[1][header.index("文号")] == "测街〔2026〕3号"
    assert published[1][header.index("状态")] == "已发布"
    below = rows_of(client.get(f"{URL}.csv", {"below": "1", "q": "公告"}))
    assert sorted(r[1] for r in below[1:]) == ["甲社区公告", "道路维修公告"]
    issuers = {r[1]: r[header.index("发布机构")] for r in below[1:]}
    assert issuers["甲社区公告"] == tree.community_a.name


def test_the_xlsx_is_scoped_and_audited(client, tree, items) -> None:
    login(client, tree.liaison_a, tree.community_a)
    response = client.get(f"{URL}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "仅本机构" in sheet["A1"].value
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == ["甲社区公告"]
    event = AuditEvent.objects.filter(action="publishing.list.export").last()
    assert event.details == {"format": "xlsx", "rows": 1, "filters": "仅本机构"}
    assert client.get(f"{URL}.pdf").status_code == 404

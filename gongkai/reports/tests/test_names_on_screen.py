"""The report's screens name cells and checks in Chinese (issue 17, requirement 3):
the findings, the drill-down title, the manual figures, the picker of 手工填报."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine

from gongkai.backoffice.tests.crawl import visible_text
from gongkai.reports import services as r

pytestmark = pytest.mark.django_db

KEYS = re.compile(r"\bs[1-7]\.[a-z_]+|\b[A-Z]{2,}_[A-Z0-9_]+\b")


@time_machine.travel("2026-12-07 10:00 +0800")
def test_an_unbalanced_table_three_is_named_not_coded(tree: Any, client: Any) -> None:
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    report = r.report_set_figure(
        actor=tree.officer,
        report=report,
        key="s3.new.natural",
        value="5",
        reason="平台上线前的纸质台账",
    )
    assert "T3_BALANCE" in {f["code"] for f in report.findings}
    client.force_login(tree.officer)
    page = client.get(f"/office/reports/{report.pk}/").content.decode()
    text = visible_text(page)
    assert "表三：各行合计与总计不符" in text
    assert "表三·一、本年新收政府信息公开申请数量·自然人" in text  # the manual figure
    assert not KEYS.search(text), KEYS.search(text)
    # 手工填报 offers every cell by its name.
    assert (
        '<option value="s2.license.decisions">表二·行政许可·本年处理决定数量</option>'
        in page
    )
    cell = client.get(f"/office/reports/{report.pk}/cells/s3.new.natural/")
    cell_text = visible_text(cell.content.decode())
    assert (
        "<title>表三·一、本年新收政府信息公开申请数量·自然人" in cell.content.decode()
    )
    assert "手工填报此数据项" in cell_text and not KEYS.search(cell_text)


@time_machine.travel("2026-12-07 10:00 +0800")
def test_a_figure_entered_on_the_cells_own_page_says_what_was_set(
    tree: Any, client: Any
) -> None:
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    client.force_login(tree.officer)
    response = client.post(
        f"/office/reports/{report.pk}/do/figure/",
        {"key": "s2.license.decisions", "value": "3", "reason": "纸质台账"},
        follow=True,
    )
    text = visible_text(response.content.decode())
    assert "已手工填报“表二·行政许可·本年处理决定数量”为 3" in text
    assert report.manual_figures.get().key == "s2.license.decisions"

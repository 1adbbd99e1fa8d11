"""The supervision dashboard's 年度报告 grid counts only the bodies that must publish
an annual report (条例第四十九条、第五十条): a 社区居委会 is not a disclosure body
(条例第二条、第十条), so it is never 已超期未公开, nor marked down for it in 绩效考评;
and each body's cell gives its own deadline (31 January for a department or 街道,
31 March for the government, 条例第四十九条)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from gongkai.supervision.metrics import annual_report_on_time
from gongkai.supervision.selectors import dashboard

pytestmark = pytest.mark.django_db


def _grid_row(html: str, name: str) -> list[str]:
    """The cells (as text) of the grid's row of the unit ``name``."""
    section = html.split("<h2>年度报告</h2>", 1)[1].split("</section>", 1)[0]
    row = section.split(name, 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="grid-[^"]+">(.*?)</td>', row)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_a_community_is_never_overdue_in_the_report_grid(tree) -> None:
    today = date(2026, 12, 7)  # the 2024 and 2025 reports are past every deadline
    board = dashboard(tree.district, 2026, today=today)
    states = {
        row["unit"].pk: [c["state"] for c in row["cells"]] for row in board.report_grid
    }
    assert "overdue" not in states[tree.community_a.pk]
    assert "overdue" not in states[tree.community_b.pk]
    # The bodies above them still are.
    assert states[tree.street.pk][:2] == ["overdue", "overdue"]
    assert states[tree.district.pk][:2] == ["overdue", "overdue"]


def test_the_grid_says_so_and_gives_each_body_its_own_deadline(client, tree) -> None:
    client.force_login(tree.supervisor)
    with time_machine.travel("2026-12-07 10:00 +0800", tick=False):
        html = client.get("/office/supervision/?year=2026").content.decode()
    community = _grid_row(html, tree.community_a.name)
    assert community and all("已超期" not in cell for cell in community)
    assert all("无需公开年报" in cell for cell in community)
    street = _grid_row(html, tree.street.name)
    assert "已超期未公开" in street[1] and "2026年1月31日" in street[1]
    district = _grid_row(html, tree.district.name)
    assert "已超期未公开" in district[1] and "2026年3月31日" in district[1]


def test_a_community_loses_no_assessment_points_for_a_report_it_need_not_publish(
    tree,
) -> None:
    result = annual_report_on_time(tree.community_a, 2026, date(2026, 12, 7))
    assert result.value == 100.0
    assert "无需公开" in result.figures
    assert annual_report_on_time(tree.street, 2026, date(2026, 12, 7)).value == 0.0

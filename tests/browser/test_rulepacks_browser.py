"""Assessment rulepacks in a real browser (issue 21, requirement 4): the supervisor
loads a second indicator set on the 绩效考评 page, the scores change, and a score
leads to its evidence."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongkai.core.assessment import DATA_DIR
from gongkai.orgs.tests.factories import PASSWORD
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_loading_a_second_indicator_set_changes_the_scores(page, tree) -> None:
    # No unit published its 2024 report (0 points); nothing else is late (100 each).
    # The default set weighs the report 25 %, the transparency-index set 10 %.
    login(page, "t_supervisor", PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/supervision/scores/?year=2025")
    row = page.locator("tr", has_text=tree.street.name)
    assert row.locator("td").last.inner_text() == "75.0"

    page.set_input_files("input[name=file]", str(DATA_DIR / "transparency_index.toml"))
    page.get_by_role("button", name="载入并按此计分").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("透明度指数式方案")
    row = page.locator("tr", has_text=tree.street.name)
    assert row.locator("td").last.inner_text() == "90.0"
    screenshot(page, "supervision-scores-rulepack")

    # The score of the report indicator leads to its evidence.
    # (the page has another table: the file format's list of metrics)
    scores = page.locator("table", has_text="总分")
    header = [h.inner_text() for h in scores.locator("thead th").all()]
    column = next(
        i for i, h in enumerate(header) if h.startswith("政府信息公开工作年度报告")
    )
    row.locator("td").nth(column).get_by_role("link").click()
    page.wait_for_url("**/scores/evidence/**")
    text = page.locator("main").inner_text()
    assert "2024年度报告" in text and "0.0" in text

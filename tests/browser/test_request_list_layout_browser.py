"""Issue 17 (6) in a real browser: the 依申请公开 list is readable at 1280 px and on a
phone (390 px) — status and handler each on one line, measured on the rendered text
— and offers the 台账 export with the filters on screen."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gongkai.demo.organisations import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The number of line boxes the text of a cell is laid out in.
LINES = """(cells) => cells.map((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return [cell.innerText.trim(), tops.size];
})"""


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--quiet-accounts")


@pytest.mark.parametrize("width", [1280, 390])
def test_status_and_handler_stay_on_one_line(page, demo, width) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "officer", DEMO_PASSWORD)
    page.goto(page.base_url + "/office/requests/?status=all")
    for column in ("办理状态", "承办人"):
        cells = page.locator(f'.ir-list td[data-label="{column}"]')
        measured = cells.evaluate_all(LINES)
        assert len(measured) >= 3, column  # the demo has cases in several states
        wrapped = [(text, lines) for text, lines in measured if lines != 1]
        assert wrapped == [], (width, column, wrapped)
    # The page itself never scrolls sideways on a phone (the table is cards).
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if width == 390:
        assert overflow <= 0
        label = page.locator('.ir-list td[data-label="办理状态"]').first
        assert "办理状态" in label.evaluate(
            "(td) => getComputedStyle(td, '::before').content"
        )


def test_the_export_link_carries_the_filters(page, demo) -> None:
    login(page, "officer", DEMO_PASSWORD)
    page.goto(page.base_url + "/office/requests/?status=all&year=2026")
    link = page.get_by_role("link", name="CSV")
    assert (
        link.get_attribute("href") == "/office/requests/export.csv?status=all&year=2026"
    )
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".csv")

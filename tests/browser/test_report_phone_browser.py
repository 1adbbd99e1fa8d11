"""The published report on a 390 px phone and on an A4-wide screen (issue 17, req. 5).

表三 and 表四 scroll sideways inside a scroll box that the keyboard reaches
(role=region, tabindex=0, a name), the page itself never scrolls sideways, and
every label of the 图解 charts is drawn at 12 px or more.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from gongkai.orgs.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_TEXT_SIZES = """() => [...document.querySelectorAll('.charts svg')].flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(
    t => parseFloat(t.getAttribute('font-size')) * scale);
})"""


@pytest.fixture
def report_url(db: Any, live_server: Any) -> str:
    call_command("load_demo", "--quiet-accounts")
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    return f"{live_server.url}/gk/{street.pk}/reports/2021/"


def _open(browser: Any, url: str, width: int) -> Any:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(url)
    return page


def test_tables_scroll_on_a_phone_and_the_keyboard_reaches_them(browser, report_url):
    page = _open(browser, report_url, 390)
    try:
        boxes = page.locator(".report-preview .table-scroll")
        assert boxes.count() == 3
        for i in range(3):
            box = boxes.nth(i)
            assert box.get_attribute("role") == "region"
            assert box.get_attribute("tabindex") == "0"
            assert "表" in (box.get_attribute("aria-label") or "")
        table4 = page.locator(".table-scroll:has(table.s4)")
        sizes = table4.evaluate("b => [b.scrollWidth, b.clientWidth]")
        assert sizes[0] > sizes[1]  # wider than the phone: it scrolls
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for _ in range(80):  # Tab through the page until the box has the focus
            page.keyboard.press("Tab")
            if table4.evaluate("b => b === document.activeElement"):
                break
        else:
            pytest.fail("表四的滚动区域无法用键盘到达")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("End")
        # Keyboard scrolling may be animated: wait for it rather than read at once.
        table4.evaluate(
            "b => new Promise(ok => { const t0 = Date.now(); (function poll() {"
            " if (b.scrollLeft > 0 || Date.now() - t0 > 3000) ok();"
            " else requestAnimationFrame(poll); })(); })"
        )
        assert table4.evaluate("b => b.scrollLeft") > 0
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [390, 794])  # a phone; an A4 page at 96 dpi
def test_chart_labels_are_at_least_12_px(browser, report_url, width):
    page = _open(browser, report_url, width)
    try:
        sizes = page.evaluate(CHART_TEXT_SIZES)
        assert len(sizes) >= 3 * 5
        assert min(sizes) >= 12, sorted(sizes)[:3]
    finally:
        page.context.close()

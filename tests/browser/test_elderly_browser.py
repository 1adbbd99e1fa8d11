"""适老化 mode and the contrast of focus and fields (issue 17, requirement 9).

The mode scales the page from its root, so everything grows together: main text
≥ 24 px (MIIT 适老化: 18 pt), headings stay larger than body text, and report
tables, help text, the footer and the charts grow too. The landing page ``/``
carries the switch. The focus ring and field borders reach 3:1 against white.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from gongkai.orgs.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = """() => {
  const px = sel => { const el = document.querySelector(sel);
    return el ? parseFloat(getComputedStyle(el).fontSize) : null; };
  const chart = document.querySelector('.charts svg text');
  return {
    root: px('html'), body: px('main p') || px('body'), h2: px('main h2'),
    cell: px('.report-preview td'), footer: px('.site-footer'),
    chart: chart ? chart.getBoundingClientRect().height : null,
  };
}"""

CONTRAST = """(pair) => {
  const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(Number).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = pair.map(lum).sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.fixture
def street(db: Any) -> Organisation:
    call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


def test_elderly_mode_scales_everything_from_the_root(page, street):
    page.goto(f"{page.base_url}/gk/{street.pk}/reports/2021/")
    normal = page.evaluate(SIZES)
    with page.expect_navigation():  # the switch posts and redirects back
        page.get_by_role("button", name=re.compile("适老化模式")).click()
    page.wait_for_load_state()
    big = page.evaluate(SIZES)
    assert big["root"] >= 24 and big["body"] >= 24
    assert big["h2"] > big["body"]
    for part in ("cell", "footer", "chart"):
        assert big[part] > normal[part] * 1.2, part


def test_the_landing_page_has_the_switch(page, street):
    page.goto(page.base_url + "/")
    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    # The URL does not change, so wait for the navigation itself.
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("适老化模式")).click()
    page.wait_for_load_state()
    after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert before == 16 and after >= 24


def test_focus_ring_and_field_borders_reach_3_to_1(page, street):
    page.goto(f"{page.base_url}/gk/{street.pk}/apply/")
    field = page.locator("main input[type=text]").first
    border = field.evaluate("e => getComputedStyle(e).borderTopColor")
    assert page.evaluate(CONTRAST, [border, "rgb(255, 255, 255)"]) >= 3
    field.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert page.evaluate(CONTRAST, [ring, "rgb(255, 255, 255)"]) >= 3

"""区分处理 (部分公开) in a real browser: the officer uploads a PDF to a case, marks a
phrase and drags a region on the page image, produces the redacted copy and
downloads it; the download has no text layer and the region is black."""

from __future__ import annotations

import re
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from weasyprint import HTML

from gongkai.core.redact_pdf import extract_text
from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.inforequests.models import InfoRequest, RedactionMark
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHRASE = "13800138000"
PDF = HTML(
    string=(
        "<html><head><meta charset=utf-8></head><body style='font-size:14pt'>"
        f"<p>申请人联系电话{PHRASE}。</p>"
        "<p style='margin-top:200px'>审核意见：拟提交会议研究。</p></body></html>"
    )
).write_pdf()


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet-accounts")


def test_mark_a_phrase_and_a_region_and_download_the_redacted_pdf(page, demo):
    case = (
        InfoRequest.objects.filter(
            status="in_progress", organisation__name="老城区洛浦街道办事处"
        )
        .order_by("pk")
        .first()
    )
    assert case is not None
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(f"{page.base_url}/office/requests/{case.pk}/")
    page.get_by_label("上传需区分处理的文件（PDF 或 docx）").set_input_files(
        {"name": "审核表.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="上传并标注").click()
    page.wait_for_url(re.compile(r"/redactions/\d+/$"))

    text_form = page.locator("#text-form")
    text_form.get_by_label("要删除的文字").fill(PHRASE)
    text_form.get_by_label("不予公开的依据").select_option(label="第十五条 个人隐私")
    text_form.get_by_role("button", name="添加文字标注").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("已添加标注")
    # Drag a rectangle over the lower paragraph on the page image.
    image = page.locator("#rd-page-1 img")
    image.scroll_into_view_if_needed()
    _wait_until_loaded(image)
    box = image.bounding_box()
    assert box is not None
    x0, y0 = box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.3
    x1, y1 = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()
    expect(page.locator("#region-status")).to_contain_text("已框选第1页")
    region_form = page.locator("#region-form")
    region_form.get_by_label("不予公开的依据").select_option(
        label="第十六条 过程性信息"
    )
    region_form.get_by_role("button", name="添加区域标注").click()
    page.wait_for_load_state()
    region = RedactionMark.objects.get(kind="region")
    assert region.page == 1
    assert abs(region.x0 - 0.1) < 0.02 and abs(region.y1 - 0.4) < 0.02

    page.wait_for_load_state("networkidle")  # the page images have loaded
    page.get_by_role("button", name="生成区分处理文件").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "第1页 区域1，依据《条例》第十六条第二款（过程性信息）" in main
    assert "依据《条例》第十五条（个人隐私）" in main
    screenshot(page, "redaction")
    with page.expect_download() as info:
        page.locator("#download-output").click()
    download = info.value
    assert download.suggested_filename == "审核表（区分处理）.pdf"
    with open(download.path(), "rb") as handle:
        data = handle.read()

    assert extract_text(data).strip() == ""  # image-only: nothing to copy out
    rendered = pdfium.PdfDocument(data)[0].render(scale=1).to_pil().convert("L")
    width, height = rendered.size
    assert rendered.getpixel((int(width * 0.12), int(height * 0.32))) < 40
    assert rendered.getpixel((int(width * 0.9), int(height * 0.9))) > 200


def _wait_until_loaded(image: Any) -> None:
    """Poll from the test (the page's CSP forbids the string predicate that
    ``wait_for_function`` would evaluate in it)."""
    for _ in range(300):
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            return
        image.page.wait_for_timeout(100)
    raise AssertionError("页面图像未能载入")

"""Issue 17 (4) in a real browser: the officer writes 正文 with paragraphs, a list, a
table and a link in the editor (django-prose-editor, served from our static files);
the body is kept as such (cleaned by nh3), reaches the portal page with the item's
attachment, which downloads with its type and name."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from weasyprint import HTML

from gongkai.accounts.models import User
from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.publishing import services
from gongkai.publishing.models import Publication
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "洛浦街道2026年老旧小区改造计划"


def a_pdf() -> bytes:
    """A PDF with a text layer (the personal-information check reads it)."""
    return HTML(string="<p>西工小区改造计划表：道路修缮、管网改造。</p>").write_pdf()


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--quiet-accounts")


def test_the_editor_keeps_a_list_a_table_and_a_link_up_to_the_portal(page, demo):
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(page.base_url) else outside.append(r.url),
    )
    csp: list[str] = []
    page.on(
        "console",
        lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    login(page, "officer", DEMO_PASSWORD)
    page.goto(page.base_url + "/office/publishing/items/new/")
    page.get_by_label("标题").fill(TITLE)
    # The menu speaks Chinese (our catalogue for the package's labels).
    assert page.get_by_role("button", name="项目符号列表").is_visible()

    editor = page.locator(".ProseMirror")
    editor.click()
    keys = page.keyboard
    keys.type("为改善居住条件，现将改造计划公布如下。")
    keys.press("Enter")
    keys.type("改造内容包括：")
    keys.press("Enter")
    page.get_by_role("button", name="项目符号列表").click()
    keys.type("道路修缮")
    keys.press("Enter")
    keys.type("管网改造")
    keys.press("Enter")
    keys.press("Enter")  # leaves the list
    page.get_by_role("button", name="插入表格").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.get_by_label("行数").fill("2")
    dialog.get_by_label("列数").fill("2")
    dialog.get_by_label("包含表头行").select_option(label="是")
    dialog.get_by_role("button", name="插入表格").click()
    for i, text in enumerate(("小区", "投资", "西工小区", "120万元")):
        if i:
            keys.press("Tab")  # the next cell
        keys.type(text)
    # After the table: a paragraph with a link.
    page.locator(".ProseMirror > p").last.click()
    keys.press("End")
    keys.type("详见通知")
    for _ in range(2):
        keys.press("Shift+ArrowLeft")
    page.get_by_role("button", name="插入链接").click()
    dialog.get_by_label("链接地址").fill("https://www.example.gov.cn/notice")
    dialog.get_by_role("button", name="更新").click()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/office/publishing/items/*/")

    pub = Publication.objects.get(title=TITLE)
    body = pub.body
    assert "<ul>" in body and body.count("<li>") == 2, body
    assert "<table>" in body and "<th" in body and "120万元" in body, body
    assert 'href="https://www.example.gov.cn/notice"' in body, body
    assert body.count("<p>") >= 2

    officer = User.objects.get(username="officer")
    head = User.objects.get(username="head")
    services.attachment_add(
        actor=officer,
        publication=pub,
        upload=SimpleUploadedFile("改造计划表.pdf", a_pdf(), "application/pdf"),
    )
    pub = services.publication_submit(actor=officer, publication=pub)
    pub = services.publication_approve(
        actor=head, publication=pub, secrecy_checked=True
    )
    pub = services.publication_publish(actor=officer, publication=pub)

    reader = page.context.browser.new_context(locale="zh-CN")
    public = reader.new_page()
    public.goto(f"{page.base_url}/gk/{pub.organisation_id}/publications/{pub.pk}/")
    text = public.locator(".publication-body")
    assert text.locator("ul > li").all_inner_texts() == ["道路修缮", "管网改造"]
    assert text.locator("table th").all_inner_texts() == ["小区", "投资"]
    assert text.locator("table td").all_inner_texts() == ["西工小区", "120万元"]
    link = text.get_by_role("link", name="通知")
    assert link.get_attribute("href") == "https://www.example.gov.cn/notice"
    assert (
        text.locator("p").first.inner_text() == "为改善居住条件，现将改造计划公布如下。"
    )

    with public.expect_download() as info:
        public.get_by_role("link", name="改造计划表.pdf").click()
    download = info.value
    assert download.suggested_filename == "改造计划表.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    href = public.get_by_role("link", name="改造计划表.pdf").get_attribute("href")
    answer = public.request.get(page.base_url + href)
    assert answer.headers["content-type"] == "application/pdf"
    reader.close()
    assert outside == [] and csp == []

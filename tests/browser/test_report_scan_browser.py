"""A scanned annual report imported on the 年度报告 screen (issue 20) in Chromium:
the upload answers at once with a waiting page, the task worker reads the scan by
OCR (the real engine, one page), and the waiting page goes on to the report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongkai.core.tests.annual_fixtures import requires_corpus
from gongkai.orgs.tests.factories import PASSWORD
from gongkai.reports.models import AnnualReport, ReportImportJob
from gongkai.reports.services import report_import_job_run
from tests.browser.conftest import login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@requires_corpus
def test_a_scan_waits_for_the_worker_then_opens_as_a_report(
    page, tree, tmp_path, settings
) -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    from gongkai.core.tests.test_annual_parse_ocr import _scan_of_hongze

    settings.MEDIA_ROOT = str(tmp_path / "media")
    scan = tmp_path / "洪泽区2024年年报扫描件.png"
    scan.write_bytes(_scan_of_hongze())
    login(page, "t_officer", PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/reports/")
    page.set_input_files("#imp-file", str(scan))
    page.fill("#imp-year", "2024")
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_url("**/office/reports/import/**")
    expect(page.get_by_role("status")).to_contain_text("正在识别扫描件")
    screenshot(page, "reports-scan-waiting")
    assert not AnnualReport.objects.exists()  # nothing read in the web request

    job = ReportImportJob.objects.get()
    report_import_job_run(job.pk)  # what the task worker does
    # The page refreshes itself every 5 s and goes on to the report.
    page.wait_for_url("**/office/reports/*/", timeout=15000)
    report = AnnualReport.objects.get()
    assert report.year == 2024 and report.organisation == tree.street
    expect(page.locator("main")).to_contain_text("2024")

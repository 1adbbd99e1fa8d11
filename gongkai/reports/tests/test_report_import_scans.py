"""Importing a scanned report (issue 20): image-only PDFs and PNG/JPEG/TIFF images
through the 导入 button, read by OCR in the task worker (not in the web request,
not inside a transaction), answered in Chinese when nothing can be read, never a 500."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.annual.parse import ocr
from gongkai.core.tests.annual_fixtures import requires_corpus, truth
from gongkai.core.tests.annual_layouts import text_report
from gongkai.reports.models import AnnualReport

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


FORMATS = {"PDF", "PNG", "JPEG", "TIFF", "OCR"}
TITLE = "某县2024年政府信息公开工作年度报告"


class _FakeEngine:
    """Stands in for the OCR models: the lines of a report for any page."""

    def __init__(self) -> None:
        cells = truth("pingtan_2024").cells
        self.lines = text_report(cells, title=TITLE).split("\n")

    def read(self, image: Any) -> list[Any]:
        return [
            ([[20, y], [900, y], [900, y + 30], [20, y + 30]], line, 0.99)
            for y, line in ((40 + 40 * i, line) for i, line in enumerate(self.lines))
            if line.strip()
        ]

    def recognise(self, crops: list[Any]) -> list[tuple[str, float]]:
        return [("", 0.0) for _ in crops]


def _page(marks: int = 40) -> Any:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    for i in range(marks):  # ink enough to look like text
        draw.rectangle((10 + 9 * i, 50, 14 + 9 * i, 60), fill="black")
    return page


def _image(fmt: str, marks: int = 40) -> bytes:
    out = io.BytesIO()
    _page(marks).save(out, fmt)
    return out.getvalue()


def _image_only_pdf() -> bytes:
    out = io.BytesIO()
    _page().save(out, "PDF", resolution=72.0)
    return out.getvalue()


def _upload(
    client: Any, name: str, data: bytes, year: str = ""
) -> tuple[int, list[str]]:
    """Status and what the user is told: the messages, or the waiting page's
    failure (a scan read in the worker)."""
    response = client.post(
        reverse("reports:import"),
        {"file": SimpleUploadedFile(name, data), "year": year},
        follow=True,
    )
    told = [str(m) for m in get_messages(response.wsgi_request)]
    page = response.content.decode()
    failure = re.search(r'<li class="message message-error">(.*?)</li>', page)
    if failure and failure.group(1) not in told:
        told.append(failure.group(1).replace("&ldquo;", "“").replace("&rdquo;", "”"))
    return response.status_code, told


@pytest.mark.parametrize(
    "name,data",
    [
        ("扫描件.png", _image("PNG")),
        ("扫描件.tif", _image("TIFF")),
        ("扫描件.jpg", _image("JPEG")),
        ("扫描件.pdf", _image_only_pdf()),
    ],
)
@requires_corpus
def test_a_scan_is_imported_through_ocr(
    client: Any,
    tree: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    name: str,
    data: bytes,
) -> None:
    settings.TASKS = IMMEDIATE  # the worker's run, at once
    monkeypatch.setattr(ocr, "_engine", _FakeEngine())
    client.force_login(tree.officer)
    status, messages = _upload(client, name, data)
    assert status == 200
    assert messages == ["已导入2024年年度报告。"]
    report = AnnualReport.objects.get(organisation=tree.street, year=2024)
    assert report.imported_filename == name
    assert report.title == TITLE
    assert report.cells["s3.new.total"] == truth("pingtan_2024").cells["s3.new.total"]
    assert "parse.ocr_used" in {f["code"] for f in report.findings}


@pytest.mark.parametrize(
    "name,data,words",
    [
        ("空白.png", _image("PNG", marks=0), "没有识别出文字"),
        ("空白.tiff", _image("TIFF", marks=0), "没有识别出文字"),
        ("损坏.tiff", b"II*\x00" + b"\x00" * 60, "无法打开或已损坏"),
        ("损坏.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 60, "无法打开或已损坏"),
        ("损坏.pdf", b"%PDF-1.4\n" + b"\x00" * 60, "无法打开或已损坏"),
    ],
)
def test_a_scan_with_nothing_to_read_is_refused_in_chinese(
    client: Any, tree: Any, settings: Any, name: str, data: bytes, words: str
) -> None:
    settings.TASKS = IMMEDIATE
    client.force_login(tree.officer)
    status, messages = _upload(client, name, data)
    assert status == 200
    assert len(messages) == 1 and words in messages[0], messages
    reason = messages[0].split("无法导入：", 1)[1]
    # no exception names or internal codes, only the names of file formats
    assert set(re.findall(r"[A-Za-z_.]{3,}", reason)) <= FORMATS, reason
    assert not AnnualReport.objects.filter(organisation=tree.street).exists()


@requires_corpus
def test_a_scan_is_queued_and_read_by_the_worker_not_in_the_request(
    client: Any, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.storage import default_storage
    from django_tasks_db.models import DBTaskResult

    from gongkai.reports.models import ReportImportJob
    from gongkai.reports.tasks import run_report_import

    class _NotHere(_FakeEngine):
        def read(self, image: Any) -> list[Any]:
            raise AssertionError("OCR ran in the web request")

    monkeypatch.setattr(ocr, "_engine", _NotHere())
    client.force_login(tree.officer)
    frames = [_page(), _page(), _page()]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    response = client.post(
        reverse("reports:import"),
        {"file": SimpleUploadedFile("扫描件.tif", out.getvalue()), "year": ""},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "正在识别扫描件，约需1分钟" in page and "共3页" in page
    assert 'http-equiv="refresh"' in page
    assert not AnnualReport.objects.exists()
    job = ReportImportJob.objects.get()
    assert job.state == ReportImportJob.State.WAITING and job.pages == 3
    assert job.organisation == tree.street and job.created_by == tree.officer
    assert default_storage.exists(job.path)  # kept privately for the worker
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [job.pk]

    # the worker reads it, as the user who uploaded it
    monkeypatch.setattr(ocr, "_engine", _FakeEngine())
    run_report_import.call(*queued.args_kwargs["args"])
    job.refresh_from_db()
    assert job.state == ReportImportJob.State.DONE
    assert not default_storage.exists(job.path)
    report = AnnualReport.objects.get(organisation=tree.street, year=2024)
    assert report.cells["s3.new.total"] == truth("pingtan_2024").cells["s3.new.total"]
    # the waiting page now goes on to the report
    response = client.get(reverse("reports:import_job", args=[job.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:detail", args=[report.pk])
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert told == ["已导入2024年年度报告。"]
    # a user of another body does not see the job
    client.force_login(tree.liaison_a)
    assert client.get(reverse("reports:import_job", args=[job.pk])).status_code == 404


@requires_corpus
def test_a_scan_the_worker_cannot_import_says_why_on_the_waiting_page(
    client: Any, tree: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(ocr, "_engine", _FakeEngine())
    client.force_login(tree.officer)
    status, told = _upload(client, "扫描件.png", _image("PNG"), year="2023")
    assert status == 200
    assert told == ["未能导入。文件是2024年的报告，与所填年度2023不一致。"], told
    assert not AnnualReport.objects.exists()


@requires_corpus
def test_the_file_is_parsed_outside_any_transaction(
    tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    from gongkai.reports import report_import as module
    from gongkai.reports.services import report_import

    depth: list[int] = []
    real = module.parse_bytes

    def parse(data: bytes, filename: str | None = None) -> Any:
        depth.append(len(connection.atomic_blocks))
        return real(data, filename)

    monkeypatch.setattr(module, "parse_bytes", parse)
    outside = len(connection.atomic_blocks)  # the test's own transaction
    text = text_report(truth("pingtan_2024").cells, title=TITLE)
    report_import(
        actor=tree.officer,
        organisation=tree.street,
        year=None,
        filename="a.txt",
        data=text.encode(),
    )
    assert depth == [outside]
    assert AnnualReport.objects.filter(organisation=tree.street, year=2024).exists()


def _giant_page_pdf() -> bytes:
    from gongkai.core.tests.test_annual_parse_ocr import _pdf_of_size

    return _pdf_of_size(14_400, 14_400)


def _huge_frames_tiff() -> bytes:
    from gongkai.core.tests.test_annual_parse_ocr import _tiff_declaring

    return _tiff_declaring([(10_000, 10_000)] * 60)


@pytest.mark.parametrize(
    "name,make,words",
    [
        ("巨幅.pdf", _giant_page_pdf, "第1页的页面为508×508厘米"),
        ("多页.tif", _huge_frames_tiff, "超过每页40百万像素的上限"),
    ],
)
def test_an_oversized_scan_is_refused_at_once_in_chinese(
    client: Any,
    tree: Any,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    make: Any,
    words: str,
) -> None:
    from gongkai.reports.models import ReportImportJob

    def never(*args: Any) -> Any:
        raise AssertionError("a page was decoded or rendered")

    monkeypatch.setattr(ocr, "_image_pages", never)
    monkeypatch.setattr(ocr, "_pdf_pages", never)
    data = make()
    assert len(data) < 20_000  # a small file declaring a huge size
    client.force_login(tree.officer)
    status, told = _upload(client, name, data)
    assert status == 200
    assert len(told) == 1 and "扫描件过大" in told[0] and words in told[0], told
    assert not ReportImportJob.objects.exists()  # refused at once, not queued
    assert not AnnualReport.objects.exists()


@pytest.mark.slow
@requires_corpus
def test_a_real_scan_is_imported_with_its_table(
    client: Any, tree: Any, settings: Any
) -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    settings.TASKS = IMMEDIATE
    from gongkai.core.tests.test_annual_parse_ocr import _scan_of_hongze

    client.force_login(tree.officer)
    status, messages = _upload(client, "洪泽区2024年报.png", _scan_of_hongze())
    assert status == 200 and messages == ["已导入2024年年度报告。"], messages
    report = AnnualReport.objects.get(organisation=tree.street, year=2024)
    expected = truth("hongze_2024").cells
    for key in ("s3.new.natural", "s3.new.total", "s3.granted.total"):
        assert report.cells[key] == expected[key]

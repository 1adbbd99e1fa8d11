"""Importing a scanned report (issue 20): image-only PDFs and PNG/JPEG/TIFF images
through the 导入 button, answered in Chinese when nothing can be read, never a 500."""

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


def _upload(client: Any, name: str, data: bytes) -> tuple[int, list[str]]:
    response = client.post(
        reverse("reports:import"),
        {"file": SimpleUploadedFile(name, data), "year": ""},
        follow=True,
    )
    return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]


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
    client: Any, tree: Any, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes
) -> None:
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
    client: Any, tree: Any, name: str, data: bytes, words: str
) -> None:
    client.force_login(tree.officer)
    status, messages = _upload(client, name, data)
    assert status == 200
    assert len(messages) == 1 and words in messages[0], messages
    reason = messages[0].split("无法导入：", 1)[1]
    # no exception names or internal codes, only the names of file formats
    assert set(re.findall(r"[A-Za-z_.]{3,}", reason)) <= FORMATS, reason
    assert not AnnualReport.objects.filter(organisation=tree.street).exists()


@pytest.mark.slow
@requires_corpus
def test_a_real_scan_is_imported_with_its_table(client: Any, tree: Any) -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    from gongkai.core.tests.test_annual_parse_ocr import _scan_of_hongze

    client.force_login(tree.officer)
    status, messages = _upload(client, "洪泽区2024年报.png", _scan_of_hongze())
    assert status == 200 and messages == ["已导入2024年年度报告。"], messages
    report = AnnualReport.objects.get(organisation=tree.street, year=2024)
    expected = truth("hongze_2024").cells
    for key in ("s3.new.natural", "s3.new.total", "s3.granted.total"):
        assert report.cells[key] == expected[key]

"""`gongkai report audit DIR --html FILE`: a sortable, filterable summary page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.core.tests.annual_fixtures import CORPUS

RAW = CORPUS / "raw"
pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason="shared corpus not available")


def test_the_html_summary_lists_each_file_with_its_findings_in_chinese(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "reports"
    directory.mkdir()
    for name in ("pingtan_2020_oldformat.txt", "pingtan_2022.txt"):
        shutil.copy(RAW / name, directory / name)
    (directory / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    page_path = tmp_path / "summary.html"
    code = main(
        [
            "report",
            "audit",
            str(directory),
            "-o",
            str(tmp_path / "s.csv"),
            "--html",
            str(page_path),
        ]
    )
    assert code == 0
    page = page_path.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    bodies = re.findall(r"<tbody ([^>]*)>(.*?)</tbody>", page, re.S)
    assert len(bodies) == 3
    by_file = {
        re.search(r'data-value="([^"]+)"', body).group(1): (flags, body)
        for flags, body in bodies
    }  # type: ignore[union-attr]
    flags, body = by_file["pingtan_2020_oldformat.txt"]
    # the 2020 report's result rows add up to 27 where its total says 21 (corpus README)
    assert 'data-error="1"' in flags
    assert "［错误］" in body and "（七）总计" in body
    assert 'data-unreadable="1"' in by_file["notes.txt"][0]
    assert "无法读取" in by_file["notes.txt"][1]
    # people read names, never internal codes or keys
    text = re.sub(r"<[^>]+>", "", page.split("<script>")[0])
    assert not re.search(r"parse\.|T3_|s3\.\w", text)
    assert "<script src" not in page and "http" not in page  # self-contained


def test_an_html_summary_needs_an_html_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "report",
            "audit",
            str(tmp_path),
            "-o",
            str(tmp_path / "s.csv"),
            "--html",
            str(tmp_path / "s.txt"),
        ]
    )
    assert code == 2
    assert ".html" in capsys.readouterr().err

"""Fuzzing every parser entry point: any input gives a Report, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.annual.model import Report
from gongkai.core.annual.parse import CODES, parse_bytes, parse_text
from gongkai.core.tests.annual_fixtures import CORPUS

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
CORPUS_FILES = sorted((CORPUS / "raw").glob("*")) if (CORPUS / "raw").is_dir() else []
NAMES = st.sampled_from([None, "a.txt", "a.html", "a.pdf", "a.docx", "a.doc", "a"])
# Text made of the characters reports are made of, so the fuzzer reaches the
# table readers instead of stopping at "not a report".
REPORT_ALPHABET = st.sampled_from(
    [
        *"0123456789 \t\n.-/（）()、一二三四五六七总计本年无",
        "一、本年新收政府信息公开申请数量",
        "（七）总计",
        "四、结转下年度继续办理",
        "三、收到和处理政府信息公开申请情况",
        "第二十条第（一）项",
        "规章",
        "行政许可",
        "1.属于国家秘密",
        "（六）其他处理",
        "结果维持",
        "2021年政府信息公开工作年度报告",
        "∅",
        "\u3000",
        "１２",
        "“",
        "（其中1件）",
    ]
)


def assert_well_formed(report: Report) -> None:
    assert isinstance(report, Report)
    assert {d.code for d in report.diagnostics} <= set(CODES)
    assert "parse.internal_error" not in {d.code for d in report.diagnostics}
    assert set(report.provenance) == set(report.cells)
    for key, value in report.cells.items():
        confidence = report.provenance[key].confidence
        assert confidence in ("certain", "inferred", "unknown")
        if value is None:
            assert confidence != "inferred"
        else:
            assert confidence != "unknown"


@FUZZ
@given(data=st.binary(max_size=4096), name=NAMES)
def test_random_bytes(data: bytes, name: str | None) -> None:
    assert_well_formed(parse_bytes(data, name))


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_text(text: str) -> None:
    assert_well_formed(parse_text(text))


@FUZZ
@given(parts=st.lists(REPORT_ALPHABET, max_size=300))
def test_report_shaped_text(parts: list[str]) -> None:
    assert_well_formed(parse_text("".join(parts)))


@pytest.mark.skipif(not CORPUS_FILES, reason="corpus not present")
@FUZZ
@given(index=st.integers(0, 100), cut=st.floats(0, 1))
def test_truncated_corpus_files(index: int, cut: float) -> None:
    path = CORPUS_FILES[index % len(CORPUS_FILES)]
    data = path.read_bytes()
    assert_well_formed(parse_bytes(data[: int(len(data) * cut)], path.name))


@pytest.mark.skipif(not CORPUS_FILES, reason="corpus not present")
@FUZZ
@given(
    index=st.integers(0, 100),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=8)), max_size=12
    ),
)
def test_mutated_corpus_files(index: int, edits: list[tuple[float, bytes]]) -> None:
    path = CORPUS_FILES[index % len(CORPUS_FILES)]
    data = bytearray(path.read_bytes())
    for where, replacement in edits:
        at = int(len(data) * where)
        data[at : at + len(replacement)] = replacement
    assert_well_formed(parse_bytes(bytes(data), path.name))


@pytest.mark.skipif(not CORPUS_FILES, reason="corpus not present")
@FUZZ
@given(index=st.integers(0, 100), drops=st.lists(st.floats(0, 1), max_size=30))
def test_corpus_text_with_characters_deleted(index: int, drops: list[float]) -> None:
    texts = [p for p in CORPUS_FILES if p.suffix in (".txt", ".html")]
    text = texts[index % len(texts)].read_text(encoding="utf-8")
    for where in drops:
        at = int(len(text) * where)
        text = text[:at] + text[at + 1 :]
    assert_well_formed(parse_text(text))


def test_garbled_folder_is_next_to_this_file() -> None:
    assert (Path(__file__).parent / "garbled").is_dir()


@pytest.mark.skipif(not CORPUS_FILES, reason="corpus not present")
def test_very_long_digit_runs_end_quickly_as_unknown() -> None:
    """A 50-digit run for the 15 cells of section 四 has ~10^12 cuts."""
    import time

    from gongkai.core.tests.annual_fixtures import truth
    from gongkai.core.tests.annual_layouts import text_report

    cells = truth("pingtan_2024").cells
    text = text_report(cells, title="某局2023年政府信息公开工作年度报告", sep="")
    run = "".join(str(cells[k]) for k in cells if k.startswith("s4."))
    text = text.replace(run, "98765432109876543210987654321098765432109876543210", 1)
    started = time.perf_counter()
    report = parse_text(text)
    assert time.perf_counter() - started < 20
    assert report.cells["s4.review.total"] is None
    assert "parse.digits_ambiguous" in {d.code for d in report.diagnostics}


def test_a_zip_asking_for_an_unsupported_zip_version_is_unreadable_not_a_crash():
    # Found by the mutation fuzzer: zipfile raises NotImplementedError("zip file
    # version 6.4") when a central-directory header asks for a newer zip version.
    import io
    import struct
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    at = data.find(b"PK\x01\x02")
    data[at + 6 : at + 8] = struct.pack("<H", 64)
    report = parse_bytes(bytes(data), "report.docx")
    assert_well_formed(report)
    assert "parse.docx_unreadable" in {d.code for d in report.diagnostics}

"""Benchmark: producing a redacted copy for 部分公开 (issue 25, 区分处理).

Measures the engines in ``gongkai/core`` (no database): the time to produce a checked
redacted copy of

* a PDF of N pages (each with a phrase marked everywhere and one region): pages per
  second of render + boxes + image-only PDF + the extraction check, and the output size;
* a DOCX of N paragraphs and a table of N/10 rows (phrase marked everywhere):
  paragraphs per second of clean + cut + the check of every part.

    .venv/bin/python bench/bench_redaction.py              # 100 pages, 2,000 paragraphs
    .venv/bin/python bench/bench_redaction.py --small      # smoke test (5 pages, 100)
    .venv/bin/python bench/bench_redaction.py --pages 300 --paragraphs 10000

Goal (set here; issue 25 names what to measure, not a figure): the engine's
largest PDF (300 pages) redacted within 60 s of CPU — at least 5 pages per
CPU-second — and a DOCX at least 500 paragraphs per CPU-second. Checked at every
size: the output has every page, the phrase is in no part of either output
(independent readers: pypdfium2 text, the DOCX's XML parts) and the unmarked text of
the DOCX is still there. Times are one run each (totals), not percentiles. Exit 0
met, 1 missed or wrong; --small does not enforce the speed goal.

Numbers go to docs/benchmarks.md ("Redaction for 部分公开").
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
import pypdfium2  # noqa: E402
from _goals import Goals  # noqa: E402
from weasyprint import HTML  # noqa: E402

from gongkai.core.redact_docx import redact_docx  # noqa: E402
from gongkai.core.redact_pdf import redact_pdf  # noqa: E402
from gongkai.core.redaction import region_mark, text_mark  # noqa: E402

PHRASE = "13912345678"
LINE = f"申请人张某某，联系电话{PHRASE}，住址洛阳市老城区某路8号。"


def make_pdf(pages: int) -> bytes:
    body = "".join(
        f"<section style='page-break-after:always'><h2>第{n}页</h2>"
        + f"<p>{LINE * 12}</p>" * 2
        + "</section>"
        for n in range(1, pages + 1)
    )
    html = f"<html><head><meta charset=utf-8></head><body>{body}</body></html>"
    return HTML(string=html).write_pdf()


def make_docx(paragraphs: int) -> bytes:
    d = docx.Document()
    for n in range(paragraphs):
        d.add_paragraph(f"第{n + 1}段。{LINE}")
    table = d.add_table(rows=max(paragraphs // 10, 1), cols=3)
    for row in table.rows:
        row.cells[0].text, row.cells[1].text = "张某某", PHRASE
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


GOAL_PAGES_PER_CPU_S = 5.0
GOAL_PARAGRAPHS_PER_CPU_S = 500.0


def pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(
            z.read(n).decode("utf-8", "replace")
            for n in z.namelist()
            if n.endswith((".xml", ".rels"))
        )


def timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="PDF pages (100)")
    parser.add_argument(
        "--paragraphs", type=int, default=2000, help="DOCX paragraphs (2000)"
    )
    parser.add_argument(
        "--small", action="store_true", help="smoke test: 5 pages, 100 paragraphs"
    )
    args = parser.parse_args()
    pages, paragraphs = (5, 100) if args.small else (args.pages, args.paragraphs)
    goals = Goals(
        f"PDF ≥ {GOAL_PAGES_PER_CPU_S:g} pages/CPU-s (300 pages in 60 s), DOCX ≥ "
        f"{GOAL_PARAGRAPHS_PER_CPU_S:g} paragraphs/CPU-s; the phrase in no output",
        enforce=not args.small,
    )

    print(f"# Redaction benchmark — {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"load average at start: {os.getloadavg()[0]:.1f}\n")
    print("| What | Size | Wall | CPU | Rate (wall) | Output |")
    print("|---|---|---|---|---|---|")

    pdf = make_pdf(pages)
    marks = [
        text_mark(PHRASE, "privacy"),
        region_mark(1, 0.1, 0.1, 0.5, 0.2, "privacy"),
    ]
    result, wall, cpu = timed(lambda: redact_pdf(pdf, marks))
    print(
        f"| PDF: rasterise, box, write, check | {result.pages} pages | {wall:.2f} s |"
        f" {cpu:.2f} s | {result.pages / wall:.1f} pages/s |"
        f" {len(result.data) / 1048576:.1f} MB |"
    )

    goals.check(result.pages == pages, f"PDF output has {result.pages}/{pages} pages")
    goals.check(PHRASE not in pdf_text(result.data), "the phrase is in no PDF page")
    goals.target(
        result.pages / cpu >= GOAL_PAGES_PER_CPU_S,
        f"PDF {result.pages / cpu:.1f} pages/CPU-s",
    )

    source = make_docx(paragraphs)
    produced, wall, cpu = timed(
        lambda: redact_docx(source, [text_mark(PHRASE, "privacy")])
    )
    print(
        f"| DOCX: clean, cut, check every part | {paragraphs} paragraphs +"
        f" {max(paragraphs // 10, 1)} table rows | {wall:.2f} s | {cpu:.2f} s |"
        f" {paragraphs / wall:.0f} paragraphs/s | {len(produced.data) / 1024:.0f} KB |"
    )
    text = docx_text(produced.data)
    goals.check(PHRASE not in text, "the phrase is in no DOCX part")
    goals.check(
        text.count("申请人张某某") == paragraphs,
        f"unmarked text kept in {text.count('申请人张某某')}/{paragraphs} paragraphs",
    )
    goals.target(
        paragraphs / cpu >= GOAL_PARAGRAPHS_PER_CPU_S,
        f"DOCX {paragraphs / cpu:,.0f} paragraphs/CPU-s",
    )
    sys.exit(goals.verdict())


if __name__ == "__main__":
    main()

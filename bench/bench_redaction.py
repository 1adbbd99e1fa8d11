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

Numbers go to docs/benchmarks.md ("Redaction for 部分公开").
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
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

    source = make_docx(paragraphs)
    produced, wall, cpu = timed(
        lambda: redact_docx(source, [text_mark(PHRASE, "privacy")])
    )
    print(
        f"| DOCX: clean, cut, check every part | {paragraphs} paragraphs +"
        f" {max(paragraphs // 10, 1)} table rows | {wall:.2f} s | {cpu:.2f} s |"
        f" {paragraphs / wall:.0f} paragraphs/s | {len(produced.data) / 1024:.0f} KB |"
    )


if __name__ == "__main__":
    main()

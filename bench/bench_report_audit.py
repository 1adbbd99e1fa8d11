"""Benchmark: ``gongkai report audit`` over 10^4 mixed report files (issue 20).

A directory like a crawl of a province's published reports: the corpus's raw files
(text dumps, saved HTML pages, a text-layer PDF, the DOCX template) copied round-robin
into one folder per body (``body0001/…``), 10^4 files in all. The command runs as a
user would run it (a subprocess, ``--jobs 2``, a CSV summary and the HTML summary);
the script times it and checks that the summary has one row per file.

Goal: at least 50 reports/s with ``--jobs 2`` on this 2-core machine (the slowest
per-format target of issue 20 is the text-layer PDF, ≥ 50 a core); checked at full
size only, the exit code says whether it held.

    .venv/bin/python bench/bench_report_audit.py              # 10^4 files
    .venv/bin/python bench/bench_report_audit.py --small      # 200 files (smoke test)
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _goals import finish  # noqa: E402
from _synthdb import machine  # noqa: E402

CORPUS_RAW = ROOT.parent / "shared" / "corpus" / "raw"
GOAL_REPORTS_PER_SECOND = 50.0
FILES_PER_BODY = 10


def make_directory(target: Path, count: int) -> dict[str, int]:
    """``count`` files copied round-robin from the corpus; the files per format."""
    sources = sorted(p for p in CORPUS_RAW.iterdir() if p.is_file())
    per_format: dict[str, int] = {}
    for i in range(count):
        source = sources[i % len(sources)]
        folder = target / f"body{i // FILES_PER_BODY:04d}"
        folder.mkdir(exist_ok=True)
        shutil.copyfile(source, folder / f"{i:05d}_{source.name}")
        per_format[source.suffix] = per_format.get(source.suffix, 0) + 1
    return per_format


def summary_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="200 files, no goal")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    count = 200 if args.small else args.files
    if not CORPUS_RAW.is_dir():
        print(f"corpus not found: {CORPUS_RAW}")
        return 2
    with tempfile.TemporaryDirectory(prefix="gk-audit-") as tmp:
        reports = Path(tmp) / "reports"
        reports.mkdir()
        per_format = make_directory(reports, count)
        summary = Path(tmp) / "summary.csv"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
        command = [
            str(Path(sys.executable).parent / "gongkai"),
            "report",
            "audit",
            str(reports),
            "-o",
            str(summary),
            "--jobs",
            str(args.jobs),
            "--html",
            str(Path(tmp) / "summary.html"),
        ]
        started, cpu_before = time.perf_counter(), os.times()
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - started
        cpu_after = os.times()
        cpu = (cpu_after.children_user - cpu_before.children_user) + (
            cpu_after.children_system - cpu_before.children_system
        )
        if result.returncode != 0:
            print(result.stdout[-2000:], result.stderr[-2000:])
            print("FAIL: the command did not finish")
            return 1
        rows = summary_rows(summary)
    rate = count / wall
    print(f"machine: {machine()}")
    print(
        "files: "
        + ", ".join(f"{n:,} {suffix}" for suffix, n in sorted(per_format.items()))
    )
    print(
        "| files | jobs | wall s | reports/s | CPU s (all processes) | summary rows |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {count:,} | {args.jobs} | {wall:.1f} | {rate:.1f} | {cpu:.1f} | {rows:,} |"
    )
    if rows != count:
        print(f"WRONG: {rows} summary rows for {count} files")
        print("FAIL: the benchmark did not measure what it says")
        return 1
    if rate < GOAL_REPORTS_PER_SECOND and not args.small:
        print(f"FAIL: goal missed: {rate:.1f} < {GOAL_REPORTS_PER_SECOND} reports/s")
        return 1
    print(
        f"PASS: {rate:.1f} reports/s"
        + (
            " (goal not enforced at --small)"
            if args.small
            else f" ≥ {GOAL_REPORTS_PER_SECOND}"
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(
        finish(
            main(),
            goal=f"gongkai report audit ≥ {GOAL_REPORTS_PER_SECOND:g} reports/s "
            "over 10^4 mixed files (issue 20)",
        )
    )

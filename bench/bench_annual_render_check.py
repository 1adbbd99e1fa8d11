"""Benchmark: annual-report checks and renderers, operations per second.

Usage::

    .venv/bin/python bench/bench_annual_render_check.py [--seconds 2]

Runs ``validate`` and ``render`` for each format on two fixed reports (the
all-zero seed-like report and a dense one with every cell non-zero) and
prints a Markdown table for ``docs/benchmarks.md``. Single process, one core.

Goal: issue 3 asks for "exact to the cell, fast" without a figure; the figures
checked here are the ones docs/benchmarks.md has stated since: ``validate`` under
1 ms and each render under 100 ms per report, in CPU time of this process (steady
on a shared machine). Checked at every size: each format read back gives every
cell of the report it was rendered from. Rates are means over repeated runs of the
same two reports, not percentiles. Exit 0 met, 1 missed or wrong. ``--small``
(0.05 s per measurement) does not enforce the speed goals.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from _goals import Goals

from gongkai.core.annual import schema
from gongkai.core.annual.checks import validate
from gongkai.core.annual.model import Report
from gongkai.core.annual.render import FORMATS, render
from gongkai.core.annual.render.readback import read_report

APPLICANTS = ("natural", "commercial", "research", "social", "legal", "other")


def _sections() -> dict[str, str]:
    return {
        "一": "（一）主动公开\n全年主动公开政府信息。\n（五）监督保障\n纳入绩效考核。",
        "二": "",
        "三": "",
        "四": "",
        "五": "（一）存在的主要问题\n公开内容不够丰富。\n（二）改进情况\n加强培训。",
        "六": "本年度未收取信息处理费。",
    }


def zero_report() -> Report:
    cells = dict.fromkeys(schema.cell_keys("2021"), 0)
    return Report(
        version="2021",
        year=2021,
        agency="老城区洛浦街道办事处",
        cells=dict(cells),
        sections=_sections(),
    )


def dense_report() -> Report:
    """Every result row 1 per applicant column; balance holds with new = results."""
    report = zero_report()
    report.agency = "示例市示例区人民政府"
    results = list(schema.s3_result_rows("2021"))
    for col in APPLICANTS:
        for stem in results:
            report.cells[f"s3.{stem}.{col}"] = 1
        report.cells[f"s3.total.{col}"] = len(results)
        report.cells[f"s3.new.{col}"] = len(results)
    for stem in [*results, "total", "new", "carried", "carry_forward"]:
        report.cells[f"s3.{stem}.total"] = sum(
            int(report.cells[f"s3.{stem}.{c}"] or 0) for c in APPLICANTS
        )
    for key in schema.s2_cell_keys("2021"):
        report.cells[key] = 123
    report.cells["s2.fees.amount_wan"] = Decimal("24252.3110")
    return report


GOAL_VALIDATE_MS = 1.0
GOAL_RENDER_MS = 100.0


def per_second(action: Callable[[], object], seconds: float) -> tuple[float, float]:
    """(runs per wall-second, runs per CPU-second of this process)."""
    action()  # warm-up (imports, caches)
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        action()
        count += 1
    return count / elapsed, count / max(time.process_time() - cpu, 1e-9)


def cells_read_back(report: Report, fmt: str) -> list[str]:
    """Cells that do not survive render → read back (must be none)."""
    back = read_report(render(report, fmt), f"r.{fmt}")
    return [
        key
        for key, value in report.cells.items()
        if value is not None
        and (
            back.cells.get(key) is None
            or Decimal(str(back.cells[key])) != Decimal(str(value))
        )
    ]


def machine() -> str:
    cpus = subprocess.run(
        ["nproc"], capture_output=True, text=True, check=False
    ).stdout.strip()
    model = ""
    lscpu = subprocess.run(
        ["lscpu"], capture_output=True, text=True, check=False
    ).stdout
    for line in lscpu.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    return f"{model or platform.processor()}, nproc={cpus}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="time per measurement"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="smoke test: 0.05 s per measurement, read-back checked, no speed goal",
    )
    args = parser.parse_args()
    seconds = min(args.seconds, 0.05) if args.small else args.seconds
    goals = Goals(
        f"validate < {GOAL_VALIDATE_MS:g} ms and each render < {GOAL_RENDER_MS:g} ms "
        "per report (CPU); every format reads back to the same cells",
        enforce=not args.small,
    )
    load = os.getloadavg()  # other work on a shared machine slows every number
    reports = {"zero": zero_report(), "dense": dense_report()}
    errors = [f for f in validate(reports["dense"]) if f.severity == "error"]
    goals.check(not errors, f"the dense report validates ({len(errors)} errors)")
    for name, report in reports.items():
        for fmt in FORMATS:
            lost = cells_read_back(report, fmt)
            goals.check(
                not lost,
                f"{name} → {fmt} → read back: {len(lost)} cells differ {lost[:3]}",
            )

    rows = []
    for name, report in reports.items():
        rows.append(
            ("validate", name, per_second(lambda r=report: validate(r), seconds))
        )
        for fmt in FORMATS:
            rate = per_second(lambda r=report, f=fmt: render(r, f), seconds)
            rows.append((f"render {fmt}", name, rate))
        for fmt in FORMATS:
            data = render(report, fmt)
            rate = per_second(lambda d=data, f=fmt: read_report(d, f"r.{f}"), seconds)
            rows.append((f"read back {fmt}", name, rate))

    print(f"Machine: {machine()}")
    print(f"Load average at start (1/5/15 min): {' / '.join(f'{x:.1f}' for x in load)}")
    print(f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        "Command: .venv/bin/python bench/bench_annual_render_check.py "
        + ("--small" if args.small else f"--seconds {seconds:g}")
    )
    print()
    print("| operation | report | per second | ms each | ms each (CPU) |")
    print("|---|---|---:|---:|---:|")
    for operation, name, (rate, cpu_rate) in rows:
        print(
            f"| {operation} | {name} | {rate:,.0f} | {1000 / rate:.2f} "
            f"| {1000 / cpu_rate:.2f} |"
        )
        limit = (
            GOAL_VALIDATE_MS
            if operation == "validate"
            else GOAL_RENDER_MS
            if operation.startswith("render")
            else None
        )
        if limit is not None:
            goals.target(
                1000 / cpu_rate < limit,
                f"{operation} {name} {1000 / cpu_rate:.2f} ms CPU (< {limit:g})",
            )
    sys.exit(goals.verdict())


if __name__ == "__main__":
    main()

"""docs/benchmarks.md is regenerated from the benchmarks' records (issue 24,
requirement 3): bench/_results.py (the records), bench/make_report.py (the page)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import make_report  # noqa: E402
from _results import RECORDED, parse_figures, size_label  # noqa: E402


def _record(**over):
    record = {
        "benchmark": "bench_demo",
        "goal": "p95 ≤ 50 ms",
        "verdict": "FAIL",
        "exit_code": 1,
        "verdict_line": "FAIL: goal missed (1 of 4)",
        "missed": ["missed: long p95 69.0 ms (goal ≤ 50 ms)"],
        "goals_enforced": True,
        "profile": "postgres",
        "size": "publications1000000",
        "dataset": {"orgs": 1000, "applications": 0, "publications": 1000000},
        "command": ".venv/bin/python bench/bench_demo.py --profile postgres",
        "started_utc": "2026-12-08T01:02:03Z",
        "finished_utc": "2026-12-08T01:09:00Z",
        "machine": {"cpu": "Some CPU", "cores": 2, "ram_gib": 8.0, "python": "3.11"},
        "load_before": [0.5, 0.25, 0.125],
        "load_after": [1.5, 1.0, 0.75],
        "figures": [
            {"text": ["## postgres", "baseline p95 0.2 ms"]},
            {"table": {"header": ["class", "p95"], "rows": [["long", "69.0"]]}},
        ],
        "source": RECORDED,
    }
    record.update(over)
    return record


def test_printed_tables_become_rows_and_the_rest_stays_text_in_order():
    printed = (
        "GOAL: fast\n\n| class | p95 ms |\n|---|---:|\n| pair | 3.1 |\n| long | 69 |\n"
        "load 0.5\nPASS: all\n"
    )
    assert parse_figures(printed) == [
        {"text": ["GOAL: fast"]},
        {
            "table": {
                "header": ["class", "p95 ms"],
                "rows": [["pair", "3.1"], ["long", "69"]],
            }
        },
        {"text": ["load 0.5", "PASS: all"]},
    ]


@pytest.mark.parametrize(
    ("argv", "label"),
    [
        ([], "default"),
        (["--small", "--profile", "sqlite"], "small"),
        (["--profile", "postgres", "--publications", "1000000"], "publications1000000"),
        (["--n", "100000", "--fresh"], "n100000"),
        (["--seconds=5"], "seconds5"),
    ],
)
def test_a_record_is_named_by_the_size_options_of_its_run(argv, label):
    assert size_label(argv) == label


def test_the_table_has_a_row_per_record_and_says_which_benchmarks_have_none():
    lines = make_report.render_table([_record()], ["bench_demo", "bench_other"])
    demo = next(line for line in lines if line.startswith("| `bench_demo.py`"))
    assert "postgres, publications1000000" in demo
    assert "**FAIL**" in demo and "2026-12-08 01:02" in demo
    assert "| `--profile postgres` |" in demo
    assert "| missed: long p95 69.0 ms (goal ≤ 50 ms) |" in demo
    assert "0.50 / 0.25 / 0.12 → 1.50 / 1.00 / 0.75" in demo
    assert "Some CPU, 2 cores, 8 GiB RAM" in demo and demo.endswith("| run |")
    other = next(line for line in lines if line.startswith("| `bench_other.py`"))
    assert "no record yet" in other


def test_a_failed_run_that_names_no_checks_shows_its_verdict_line():
    record = _record(missed=None, verdict_line="FAIL: goal missed: list 0.47 < 0.5")
    lines = make_report.render_table([record], ["bench_demo"])
    assert "| FAIL: goal missed: list 0.47 < 0.5 |" in lines[2]


def test_a_small_run_is_shown_as_checking_answers_only():
    lines = make_report.render_table(
        [_record(verdict="PASS", goals_enforced=False, size="small")], ["bench_demo"]
    )
    assert "PASS (answers only: speed goals not enforced at this size)" in lines[2]


def test_a_transcribed_record_is_marked_so_in_the_table_and_its_section():
    source = "transcribed from benchmarks.md of 2026-12-07"
    old = {
        "benchmark": "bench_demo",
        "goal": "p95 ≤ 50 ms",
        "verdict": "PASS",
        "command": ".venv/bin/python bench/bench_demo.py",
        "source": source,
    }
    block = make_report.render([old], ["bench_demo"])
    assert "| **transcribed** |" in block
    assert f"**Not a recorded run: {source}.**" in block
    assert "1 transcribed" in block and "0 recorded by a run" in block


def test_each_record_has_a_section_with_command_machine_load_date_and_figures():
    block = make_report.render([_record()], ["bench_demo"])
    section = block[
        block.index("### `bench_demo.py` — postgres, publications1000000") :
    ]
    for expected in (
        "`FAIL: goal missed (1 of 4)`",
        "- What failed: missed: long p95 69.0 ms (goal ≤ 50 ms)",
        "- Command: `.venv/bin/python bench/bench_demo.py --profile postgres`",
        "- Dataset: 1,000 organisations, 0 applications, 1,000,000 publications",
        "- Date: 2026-12-08 01:02 UTC to 01:09 UTC",
        "before 0.50 / 0.25 / 0.12, after 1.50 / 1.00 / 0.75",
        "```text\n## postgres\nbaseline p95 0.2 ms\n```",
        "| class | p95 |\n|---|---|\n| long | 69.0 |",
    ):
        assert expected in section


def test_rebuild_replaces_the_generated_part_only():
    doc = (
        "# Benchmarks\nopening\n"
        f"{make_report.BEGIN}\nold table\n{make_report.END}\n"
        "# History\nhand-written\n"
    )
    out = make_report.rebuild(doc, f"{make_report.BEGIN}\nnew\n{make_report.END}")
    assert out == (
        "# Benchmarks\nopening\n"
        f"{make_report.BEGIN}\nnew\n{make_report.END}\n"
        "# History\nhand-written\n"
    )
    with pytest.raises(make_report.ReportError):
        make_report.rebuild("# no markers\n", "x")


def test_check_finds_the_page_stale_when_a_record_changes(tmp_path):
    results, bench = tmp_path / "results", tmp_path / "bench"
    results.mkdir()
    bench.mkdir()
    (bench / "bench_demo.py").write_text("")
    doc = tmp_path / "benchmarks.md"
    (results / "bench_demo.json").write_text(json.dumps(_record()))
    block = make_report.render([_record()], ["bench_demo"])
    doc.write_text(f"# Benchmarks\n\n{block}\n\n# History\n")
    assert make_report.is_current(doc, results, bench)
    (results / "bench_demo.json").write_text(json.dumps(_record(verdict="PASS")))
    assert not make_report.is_current(doc, results, bench)


def test_the_committed_page_is_current_with_the_committed_records():
    assert make_report.is_current(), (
        "docs/benchmarks.md is out of date: run .venv/bin/python bench/make_report.py"
    )


def test_a_benchmark_run_with_bench_record_writes_its_record(tmp_path):
    env = {**os.environ, "BENCH_RECORD": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "bench/bench_deadline_recompute.py", "--small"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    record = json.loads(
        (tmp_path / "bench_deadline_recompute-small.json").read_text("utf-8")
    )
    assert record["verdict"] == "PASS" and record["exit_code"] == 0
    assert record["goals_enforced"] is False
    assert (
        record["command"]
        == ".venv/bin/python bench/bench_deadline_recompute.py --small"
    )
    assert record["goal"].startswith("recompute after the calendar change")
    assert record["verdict_line"].startswith("PASS:")
    assert len(record["load_before"]) == 3 and record["machine"]["cores"]
    printed = [line for b in record["figures"] for line in b.get("text", [])]
    assert printed[0] == "GOAL: " + record["goal"]
    assert record["source"] == RECORDED


def test_a_benchmark_that_returns_no_exit_status_is_stopped_not_passed():
    # bench_status_page.py's measure() once dropped its verdict: sys.exit(None) is 0,
    # so a missed goal passed.
    from _goals import finish

    with pytest.raises(TypeError):
        finish(None, goal="anything")  # type: ignore[arg-type]
    assert finish(1, goal="anything") == 1

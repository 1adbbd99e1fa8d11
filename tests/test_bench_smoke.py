"""Every scale benchmark runs at its --small size (no timing goals), so none rots.

Each runs in its own process against its own database (var/bench/, and
PostgreSQL gkbench_* when 127.0.0.1:5432 answers); see docs/benchmarks.md.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

BENCHMARKS = [
    "bench_annual_tables.py",
    "bench_dashboard_queries.py",
    "bench_search.py",
    "bench_portal_throughput.py",
    "bench_deadline_recompute_db.py",
    "bench_notifications.py",
    "bench_summary_upkeep.py",
    "bench_status_page.py",
]
# Those that print a GOAL: line and a verdict (bench/_goals.py).
STATES_ITS_GOAL = {
    "bench_annual_tables.py",
    "bench_dashboard_queries.py",
    "bench_deadline_recompute_db.py",
    "bench_notifications.py",
}
# On SQLite only (a copy of the shared dataset; a local link farm; or no database
# at all): they print a verdict line of their own.
SQLITE_ONLY_BENCHMARKS = [
    "bench_inspection.py",
    "bench_deadline_recompute.py",
    "bench_annual_render_check.py",
    "bench_redaction.py",
    "bench_pii.py",
]


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def _run(script: str, option: str) -> subprocess.CompletedProcess[str]:
    """``bench/<script> <option>`` in its own process; it must exit 0."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), option],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600 if option == "--small" else 60,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result


@pytest.mark.slow
@pytest.mark.parametrize("script", BENCHMARKS)
def test_benchmark_runs_at_small_size(script: str) -> None:
    result = _run(script, "--small")
    assert "## sqlite" in result.stdout
    if script in STATES_ITS_GOAL:
        assert "GOAL:" in result.stdout and "PASS:" in result.stdout
    # These runs are the benchmarks' only PostgreSQL check (CI's PostgreSQL pass
    # leaves out slow tests): when the server answers, its half must have run (the
    # notifications benchmark runs one database a call, SQLite by default).
    if _postgres_answers() and script != "bench_notifications.py":
        assert "## postgres" in result.stdout, result.stderr[-2000:]


# Too slow for the smoke at any size (a throw-away deployment with the demo data,
# minutes on 2 cores): only its help is checked here.
HELP_ONLY_BENCHMARKS = ["bench_load.py"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "script", BENCHMARKS + SQLITE_ONLY_BENCHMARKS + HELP_ONLY_BENCHMARKS
)
def test_benchmark_explains_itself(script: str) -> None:
    result = _run(script, "--help")
    assert "--small" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("script", SQLITE_ONLY_BENCHMARKS)
def test_sqlite_benchmark_runs_at_small_size(script: str) -> None:
    result = _run(script, "--small")
    assert "PASS:" in result.stdout


# Benchmarks over the shared corpus (no database): --small checks no goal.
CORPUS_BENCHMARKS = ["bench_ocr.py"]
CORPUS_VERDICT_BENCHMARKS = ["bench_report_audit.py", "bench_annual_parse.py"]


@pytest.mark.slow
@pytest.mark.skipif(
    not (ROOT.parent / "shared" / "corpus" / "raw").is_dir(),
    reason="corpus ../shared/corpus not present",
)
@pytest.mark.parametrize("script", CORPUS_VERDICT_BENCHMARKS)
def test_corpus_benchmark_with_a_verdict_runs_at_small_size(script: str) -> None:
    result = _run(script, "--small")
    assert "PASS:" in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(
    not (ROOT.parent / "shared" / "corpus" / "truth").is_dir(),
    reason="corpus ../shared/corpus not present",
)
@pytest.mark.parametrize("script", CORPUS_BENCHMARKS)
def test_corpus_benchmark_runs_at_small_size(script: str) -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    result = _run(script, "--small")
    assert "0 wrong certain" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("script", CORPUS_BENCHMARKS + CORPUS_VERDICT_BENCHMARKS)
def test_corpus_benchmark_explains_itself(script: str) -> None:
    result = _run(script, "--help")
    assert "--small" in result.stdout

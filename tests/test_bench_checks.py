"""The benchmarks' own checks can fail (issue 24, requirement 3); no database, fast."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _goals import Goals, cpu_says_busy  # noqa: E402
from _synthdb import percentiles  # noqa: E402
from bench_search import check_answer  # noqa: E402


def test_percentiles_are_nearest_rank_not_the_slowest_sample():
    samples = [ms / 1000 for ms in range(100, 0, -1)]  # 1..100 ms, shuffled order
    p = percentiles(samples)
    assert (p["n"], p["p50"], p["p95"], p["p99"], p["max"]) == (100, 50, 95, 99, 100)


def _result(*docs):
    return SimpleNamespace(
        error="",
        hits=[
            SimpleNamespace(
                document=SimpleNamespace(
                    id=i, title=title, body=body, organisation_id=org
                )
            )
            for i, title, body, org in docs
        ],
    )


PATHS = {1: "00000001.", 2: "00000001.00000002.", 3: "00000003."}
SCOPE = SimpleNamespace(path="00000001.")


def test_a_right_answer_passes():
    result = _result((9, "关于垃圾分类的通知", "", 2), (4, "通知", "垃圾分类", 1))
    assert check_answer(result, "垃圾分类", SCOPE, PATHS) == ""


def test_wrong_answers_are_caught():
    out_of_scope = _result((9, "垃圾分类", "", 3))
    assert "outside" in check_answer(out_of_scope, "垃圾分类", SCOPE, PATHS)
    missing_text = _result((9, "垃圾", "分类", 1))
    assert "does not contain" in check_answer(missing_text, "垃圾分类", SCOPE, PATHS)
    oldest_first = _result((4, "垃圾分类", "", 1), (9, "垃圾分类", "", 1))
    assert "newest-first" in check_answer(oldest_first, "垃圾分类", SCOPE, PATHS)


def test_a_wrong_answer_fails_at_every_size(capsys):
    goals = Goals("x", enforce=False)
    goals.check(False, "2 of 3 rows")
    goals.target(False, "slow")
    assert goals.verdict() == 1
    assert "FAIL" in capsys.readouterr().out


def test_a_missed_goal_fails_only_where_enforced():
    small = Goals("x", enforce=False)
    small.target(False, "slow")
    assert small.verdict() == 0
    full = Goals("x")
    full.target(False, "slow")
    assert full.verdict() == 1


def test_a_missed_goal_on_a_busy_machine_says_so():
    goals = Goals("x")
    goals.target(False, "slow", busy=cpu_says_busy(wall=12.0, cpu=4.0, limit=10.0))
    assert goals.verdict() == 2
    goals = Goals("x")  # CPU time over the limit too: the code is slow
    goals.target(False, "slow", busy=cpu_says_busy(wall=12.0, cpu=11.0, limit=10.0))
    assert goals.verdict() == 1

"""Goals and verdicts shared by the benchmarks (issue 24, requirement 3).

Each benchmark states its goal first, then records two kinds of checks:

* ``check`` — what it measured is right (values equal the truth, row counts add
  up, every message delivered). Enforced at every size, ``--small`` included:
  a fast wrong answer is not a result.
* ``target`` — a goal of the issue: a speed, or an accuracy the issue asks for
  beyond what must always hold. Enforced only at the size the goal is stated for
  (``enforce=False`` at ``--small``). When the goal is missed but a baseline
  measured alongside says the machine was too busy to tell (``busy``), the
  verdict is "too busy" rather than "missed".

``verdict()`` prints one ``PASS:``/``FAIL:``/``BUSY:`` line and returns the exit
status: 0 met, 1 missed (or a wrong answer), 2 a speed goal missed on a machine
too busy to tell (as bench_search.py and bench_status_page.py do).

``finish()`` is where every benchmark's exit status passes (``verdict()`` calls it;
the benchmarks with a verdict of their own call it with theirs): with
``BENCH_RECORD=1`` it writes the run's record — goal, verdict, the figures printed,
command, machine, load before and after — for ``bench/make_report.py``
(``bench/_results.py``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import _results

MET, MISSED, TOO_BUSY = 0, 1, 2

# Taken when the benchmark starts (its first import), before it loads or measures.
_STARTED = datetime.now(UTC)
_LOAD_BEFORE = _results.load_average()
_TEE = _results.Tee(sys.stdout) if _results.recording() else None
if _TEE is not None:
    sys.stdout = _TEE
_RUN: dict[str, Any] = {"profile": "", "dataset": None}


def note(*, profile: str = "", dataset: Any = None) -> None:
    """What the run measures on (``_synthdb.open_dataset`` tells it), for the record."""
    if profile:
        _RUN["profile"] = profile
    if dataset is not None:
        _RUN["dataset"] = {
            "orgs": dataset.orgs,
            "applications": dataset.applications,
            "publications": dataset.publications,
        }


def finish(
    status: int,
    *,
    goal: str,
    profile: str = "",
    enforced: bool | None = None,
    missed: list[str] | None = None,
) -> int:
    """Returns ``status``; records the run first when ``BENCH_RECORD`` asks for it."""
    if status not in (MET, MISSED, TOO_BUSY):
        # A measure() that forgets to return its verdict would exit 0 on a miss.
        raise TypeError(f"a benchmark's exit status is 0, 1 or 2, not {status!r}")
    if _TEE is None:
        return status
    sys.stdout.flush()
    # The checkout's own path is no figure (databases under var/bench/).
    printed = _TEE.copy.getvalue().replace(str(_results.ROOT) + "/", "")
    argv = sys.argv[1:]
    profile = profile or _RUN["profile"]
    _results.write_record(
        {
            "benchmark": Path(sys.argv[0]).stem,
            "goal": goal,
            "verdict": _results.VERDICTS.get(status, "FAIL"),
            "exit_code": status,
            "verdict_line": _results.verdict_line(printed),
            # What failed (or was missed where not enforced); None when not told.
            "missed": missed,
            "goals_enforced": "--small" not in argv if enforced is None else enforced,
            "profile": profile,
            "size": _results.size_label(argv),
            "dataset": _RUN["dataset"],
            "command": _results.command_line(sys.argv[0], argv),
            "started_utc": _STARTED.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finished_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "machine": _results.machine_info(),
            "load_before": _LOAD_BEFORE,
            "load_after": _results.load_average(),
            "figures": _results.parse_figures(printed),
            "source": _results.RECORDED,
        }
    )
    return status


@dataclass
class Goals:
    statement: str
    enforce: bool = True
    profile: str = ""
    wrong: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)
    busy_reasons: list[str] = field(default_factory=list)
    met: list[str] = field(default_factory=list)
    unenforced: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        print(f"GOAL: {self.statement}", flush=True)
        if not self.enforce:
            print("(speed goals not enforced at this size; answers still checked)")

    def check(self, ok: bool, what: str) -> bool:
        """A correctness check: enforced at every size."""
        (self.met if ok else self.wrong).append(what)
        return ok

    def target(self, ok: bool, what: str, *, busy: str = "") -> bool:
        """A goal of the issue (speed, or an accuracy target), enforced only at the
        size it is stated for; ``busy`` names the evidence that the machine was too
        busy to tell."""
        if ok or not self.enforce:
            (self.met if ok else self.unenforced).append(what)
            return ok
        self.slow.append(what)
        if busy:
            self.busy_reasons.append(busy)
        return False

    def verdict(self) -> int:
        return finish(
            self._verdict(),
            goal=self.statement,
            profile=self.profile,
            enforced=self.enforce,
            missed=[f"wrong: {w}" for w in self.wrong]
            + [f"missed: {w}" for w in self.slow]
            + [f"missed, not enforced at this size: {w}" for w in self.unenforced],
        )

    def _verdict(self) -> int:
        for what in self.unenforced:
            print(f"  missed, not enforced at this size: {what}")
        for what in self.wrong:
            print(f"  wrong: {what}")
        if self.wrong or self.slow:
            print(f"  ({len(self.met)} others met)")
        for what in self.slow:
            print(f"  missed: {what}")
        if self.wrong:
            print(f"FAIL: {len(self.wrong)} wrong answer(s)")
            return MISSED
        if self.slow and len(self.busy_reasons) == len(self.slow):
            print(
                "BUSY: speed goal missed on a machine too busy to tell: "
                + "; ".join(self.busy_reasons)
            )
            return TOO_BUSY
        if self.slow:
            print(
                f"FAIL: goal missed ({len(self.slow)} of {len(self.slow) + len(self.met)})"
            )
            return MISSED
        for what in self.met:
            print(f"  met: {what}")
        print(f"PASS: {len(self.met)} checks and goals met")
        return MET


def cpu_says_busy(wall: float, cpu: float, limit: float) -> str:
    """Evidence that a wall-time miss is the machine's, not the code's.

    CPU time of this process, measured over the same run, is what the code cost;
    when it is within the limit while the wall time is not, the rest was waiting
    for a CPU that other work held."""
    if cpu <= limit < wall:
        return f"CPU time {cpu:.2f} s within {limit:g} s, wall {wall:.2f} s"
    return ""

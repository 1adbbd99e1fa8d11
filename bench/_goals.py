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
"""

from __future__ import annotations

from dataclasses import dataclass, field

MET, MISSED, TOO_BUSY = 0, 1, 2


@dataclass
class Goals:
    statement: str
    enforce: bool = True
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

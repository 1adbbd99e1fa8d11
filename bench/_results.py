"""Result records of the benchmarks (issue 24, requirement 3: docs/benchmarks.md is
regenerated from their output).

A benchmark run with ``BENCH_RECORD=1`` in its environment (or the name of another
folder) writes, when it decides
its verdict (``_goals.finish``), one JSON record to ``docs/bench-results/``:
``<benchmark>[-<profile>]-<size>.json``, the size being ``small``, ``default`` or the
size options it was given (``--n 100000`` → ``n100000``), so a rerun of the same
command replaces its record. ``bench/make_report.py`` rebuilds the table and the
latest results of docs/benchmarks.md from these records. Without the variable
(CI's ``--small`` smoke) nothing is written: the tree stays clean.

Pure helpers (no Django) so the generator and its tests can use them.
"""

from __future__ import annotations

import io
import json
import os
import platform
import re
import shlex
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "docs" / "bench-results"
RECORD_ENV = "BENCH_RECORD"
RECORDED = "recorded by bench/_goals.py"

VERDICTS = {0: "PASS", 1: "FAIL", 2: "INCONCLUSIVE"}
# Options that change neither what is measured nor its size.
NOT_SIZE = {"--profile", "--fresh", "--show"}


def recording() -> bool:
    return os.environ.get(RECORD_ENV, "") not in ("", "0")


def record_folder() -> Path:
    """``BENCH_RECORD=1``: docs/bench-results/; any other value names the folder."""
    value = os.environ.get(RECORD_ENV, "")
    return RESULTS_DIR if value in ("", "1") else Path(value)


class Tee(io.TextIOBase):
    """Writes through to the real stdout and keeps a copy: the figures a benchmark
    prints are recorded as it printed them, with no second way of reporting."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.copy = io.StringIO()

    def write(self, s: str) -> int:
        self.copy.write(s)
        return self.out.write(s)

    def flush(self) -> None:
        self.out.flush()

    def fileno(self) -> int:
        return self.out.fileno()

    def isatty(self) -> bool:
        return self.out.isatty()


def size_label(argv: list[str]) -> str:
    """The run's size from its options: ``small``, ``default`` or the options given
    (``--n 100000 --seconds 5`` → ``n100000-seconds5``)."""
    if "--small" in argv:
        return "small"
    parts: list[str] = []
    i = 0
    while i < len(argv):
        name, _, value = argv[i].partition("=")
        i += 1
        if not value and i < len(argv) and not argv[i].startswith("--"):
            value = argv[i]
            i += 1
        if name in NOT_SIZE:
            continue
        parts.append(re.sub(r"[^A-Za-z0-9.]+", "", name + value))
    return "-".join(p for p in parts if p) or "default"


def record_name(benchmark: str, profile: str, size: str) -> str:
    return "-".join(p for p in (benchmark, profile, size) if p) + ".json"


def command_line(script: str, argv: list[str]) -> str:
    """The command to rerun, relative to the checkout (no machine paths)."""
    path = Path(script).resolve()
    try:
        shown = str(path.relative_to(ROOT))
    except ValueError:
        shown = path.name
    return shlex.join([".venv/bin/python", shown, *argv])


def parse_figures(text: str) -> list[dict[str, Any]]:
    """What the benchmark printed, in order: ``{"table": {"header", "rows"}}`` for
    each run of ``| … |`` lines, ``{"text": [lines]}`` for the rest."""
    blocks: list[dict[str, Any]] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            cells = [c.strip() for c in line[1:-1].split("|")]
            if all(re.fullmatch(r":?-+:?", c) for c in cells if c) and any(cells):
                continue  # the separator row
            if blocks and "table" in blocks[-1]:
                blocks[-1]["table"]["rows"].append(cells)
            else:
                blocks.append({"table": {"header": cells, "rows": []}})
            continue
        if not line and not (blocks and "text" in blocks[-1]):
            continue
        if blocks and "text" in blocks[-1]:
            blocks[-1]["text"].append(line)
        else:
            blocks.append({"text": [line]})
    for block in blocks:
        if "text" in block:
            while block["text"] and not block["text"][-1]:
                block["text"].pop()
    return [b for b in blocks if "table" in b or b["text"]]


def verdict_line(text: str) -> str:
    """The last verdict line printed (``PASS:``/``FAIL:``/``BUSY:``…)."""
    found = ""
    for line in text.splitlines():
        if re.match(r"(PASS|FAIL|BUSY|GOAL MISSED)\b", line.strip()):
            found = line.strip()
    return found


def machine_info() -> dict[str, Any]:
    cpu = platform.processor()
    ram_kib = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_kib = int(line.split()[1])
    except OSError:
        pass
    return {
        "cpu": cpu or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": round(ram_kib / 1024 / 1024, 1) if ram_kib else None,
        "python": platform.python_version(),
    }


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def write_record(record: dict[str, Any], folder: Path | None = None) -> Path:
    folder = folder or record_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / record_name(record["benchmark"], record["profile"], record["size"])
    path.write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"recorded: {shown}", flush=True)
    return path


def load_records(folder: Path = RESULTS_DIR) -> list[dict[str, Any]]:
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    ]

"""Shared set-up of the scale benchmarks: a database per dataset, loaded once.

Each dataset (sizes + seed) gets its own database, named after the sizes, so a
full-size load (minutes) is reused by later runs and by the other benchmarks:
SQLite ``var/bench/gkbench_<tag>.sqlite3`` or PostgreSQL ``gkbench_<tag>`` on
127.0.0.1:5432 (user postgres, trust). ``--fresh`` loads it again.
"""

from __future__ import annotations

import argparse
import fcntl
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = 20261125
PG = "postgres://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class Dataset:
    orgs: int
    applications: int
    publications: int
    seed: int = SEED
    open_share: float = 0.0

    @property
    def tag(self) -> str:
        tag = f"o{self.orgs}_a{self.applications}_p{self.publications}_s{self.seed}"
        return tag + (f"_open{round(self.open_share * 100)}" if self.open_share else "")


def add_arguments(
    parser: argparse.ArgumentParser, full: Dataset, small: Dataset
) -> None:
    parser.add_argument(
        "--profile",
        choices=["sqlite", "postgres", "both"],
        default="both",
        help="which database(s) to measure (default: both)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help=f"smoke-test size ({small.orgs} orgs, {small.applications} applications, "
        f"{small.publications} publications); seconds, no goals checked",
    )
    parser.add_argument("--orgs", type=int, default=full.orgs)
    parser.add_argument("--applications", type=int, default=full.applications)
    parser.add_argument("--publications", type=int, default=full.publications)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--fresh", action="store_true", help="drop and load the dataset again"
    )


def dataset_from(args: argparse.Namespace, small: Dataset) -> Dataset:
    if args.small:
        return small
    return Dataset(
        args.orgs,
        args.applications,
        args.publications,
        args.seed,
        getattr(args, "open_share", small.open_share),
    )


def profiles(args: argparse.Namespace) -> list[str]:
    chosen = ["sqlite", "postgres"] if args.profile == "both" else [args.profile]
    if "postgres" in chosen and not _pg_ready():
        print("PostgreSQL（127.0.0.1:5432）不可用，跳过 PostgreSQL。", file=sys.stderr)
        chosen.remove("postgres")
    return chosen


def _pg_ready() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG}/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def database_url(profile: str, data: Dataset) -> str:
    if profile == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / f'gkbench_{data.tag}.sqlite3'}"
    return f"{PG}/gkbench_{data.tag}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG}/postgres") as conn:
        return (
            conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            is not None
        )


def open_dataset(
    profile: str, data: Dataset, *, fresh: bool = False, quiet: bool = False
) -> dict[str, Any]:
    """Point Django at the dataset's database (loading it if needed); returns load info.

    A lock file per dataset makes concurrent runs (pytest -n) wait for one loader.
    """
    import _goals  # the run's record names what it measured on

    _goals.note(profile=profile, dataset=data)
    lock_dir = ROOT / "var" / "bench"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{profile}-{data.tag}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _open_dataset(profile, data, fresh=fresh, quiet=quiet)


def _open_dataset(
    profile: str, data: Dataset, *, fresh: bool, quiet: bool
) -> dict[str, Any]:
    url = database_url(profile, data)
    name = f"gkbench_{data.tag}"
    if profile == "postgres":
        if fresh and _pg_exists(name):
            _pg_admin(f'DROP DATABASE "{name}"')
        if not _pg_exists(name):
            _pg_admin(f'CREATE DATABASE "{name}"')
    elif fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    os.environ.setdefault("GONGKAI_LOG_LEVEL", "ERROR")
    import django
    from django.conf import settings

    if settings.configured and settings.DATABASES["default"]["NAME"] != _db_name(url):
        raise RuntimeError(
            "one dataset per process: run each profile in its own process"
        )
    django.setup()
    from django.core.management import call_command

    from gongkai.synth.load import SynthSize, synth_load, synth_root

    call_command("migrate", verbosity=0)
    info: dict[str, Any] = {"database": url, "loaded_now": False}
    root = synth_root()
    if root is None:
        log = (lambda _m: None) if quiet else (lambda m: print(m, flush=True))
        log(f"载入数据集 {data.tag}（{profile}）…")
        start = time.perf_counter()
        result = synth_load(
            SynthSize(
                data.orgs,
                data.applications,
                data.publications,
                data.seed,
                open_share=data.open_share,
            ),
            batch=5000,
            log=log,
        )
        info.update(
            loaded_now=True,
            load_seconds=round(time.perf_counter() - start, 1),
            counts=result.counts,
        )
        root = synth_root()
    info["root_id"] = root.pk if root else None
    return info


def _db_name(url: str) -> str:
    return (
        url.removeprefix("sqlite:///")
        if url.startswith("sqlite")
        else url.rsplit("/", 1)[1]
    )


def run_in_subprocess(script: str, profile: str, argv: list[str]) -> int:
    """Re-run ``script`` for one profile (Django settings are per process)."""
    cmd = [sys.executable, script, "--profile", profile, *argv]
    return subprocess.call(cmd)


def forward_args(argv: list[str]) -> list[str]:
    """argv without ``--profile X`` (for the per-profile child processes)."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a == "--profile":
            skip = True
            continue
        if a.startswith("--profile="):
            continue
        out.append(a)
    return out


def machine() -> str:
    model = ""
    try:
        for line in subprocess.run(
            ["lscpu"], capture_output=True, text=True, check=False
        ).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    load = (
        Path("/proc/loadavg").read_text().split()[:3]
        if Path("/proc/loadavg").exists()
        else []
    )
    return (
        f"nproc={os.cpu_count()}, {model or platform.processor()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {' '.join(load)}"
    )


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max in milliseconds of samples in seconds (nearest rank).

    A percentile needs enough samples to mean anything: with fewer than 20 the
    "p95" is the slowest sample, with fewer than 100 so is the "p99". Benchmarks
    that state a percentile goal take at least 100 samples of distinct inputs."""
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)

    def at(q: float) -> float:
        rank = max(1, math.ceil(q * len(ordered)))  # nearest-rank definition
        return ordered[rank - 1] * 1000

    return {
        "n": len(ordered),
        "p50": round(at(0.50), 2),
        "p95": round(at(0.95), 2),
        "p99": round(at(0.99), 2),
        "max": round(ordered[-1] * 1000, 2),
        "mean": round(statistics.fmean(ordered) * 1000, 2),
    }

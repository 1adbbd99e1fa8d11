"""Benchmark: the supervisor dashboard's queries for a root with ~10^4 descendants.

Goal (issue 11): dashboard p95 under 500 ms for a root with 10^4 descendants.
Checked as: the dashboard's first page (100 units, what the page shows) for the 100
organisations with the most descendants (the root first), each once, not warmed:
p95 over those ≥ 100 distinct queries under 500 ms; and the root's whole-subtree
dashboard page of 100 units, --repeat-slow runs, every run under 500 ms (fewer than 100 runs of one
query: mean and max are reported, no percentile). A ``SELECT 1`` round trip is timed
before each of the distinct samples (interleaved baseline); when the goal is missed
while its p95 is above 5 ms the machine was too busy to tell. Checked at every size:
the subtree count, the number of unit rows, and the applications received summed
over the units equal the rows in the database. Enforced at ≥ 10^4 organisations.
Exit 0 met, 1 missed or wrong, 2 missed on a machine too busy to tell.

Timed on the synthetic province (10^4 organisations, 10^6 applications), each
repeated (mean and max, ms):

* subtree: ``Organisation.objects.filter(path__startswith=…)`` — count, id list,
  full rows (``supervision.selectors.subtree``);
* ``table3_for(root, year, include_descendants=True)`` and ``table4_for(…)``: the
  roll-up of table 三 / 四 over the subtree;
* ``supervision.selectors.dashboard(root, year)``: every figure of the dashboard,
  also for one city (~10^3 descendants), to show how it scales;
* ``inforequests.tallies.rebuild(since_year=year)``: recounting the tallies after a
  holiday-calendar change (idempotent: it rewrites the same rows);
* the dashboard page itself (``GET /office/supervision/``) as a supervisor of the
  root, through Django's **in-process test client** (not over HTTP: no server,
  no socket): permission checks, the back-office frame, the trend and per-unit
  charts and the template, i.e. what the supervisor waits for, less the network.

    .venv/bin/python bench/bench_dashboard_queries.py              # full size, both databases
    .venv/bin/python bench/bench_dashboard_queries.py --small      # smoke test
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from _goals import Goals
from _synthdb import (
    Dataset,
    add_arguments,
    dataset_from,
    forward_args,
    machine,
    open_dataset,
    percentiles,
    profiles,
    run_in_subprocess,
)

FULL = Dataset(orgs=10_000, applications=1_000_000, publications=0)
SMALL = Dataset(orgs=60, applications=3_000, publications=0)
GOAL_MS = 500.0
DISTINCT = 100  # organisations in the percentile sample
BUSY_BASELINE_P95_MS = 5.0


def timed(func: Callable[[], Any], repeat: int) -> dict[str, float]:
    """``repeat`` runs of one query, the first one cold (no warm-up run)."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return percentiles(samples)


def _page_getter(root: Any, year: int) -> Callable[[], Any]:
    """GET the dashboard page as a supervisor whose membership is the root."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from gongkai.orgs.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(
        username="bench_supervisor", defaults={"full_name": "基准测试督查员"}
    )
    Membership.objects.get_or_create(user=user, organisation=root, role=Role.SUPERVISOR)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    url = reverse("supervision:dashboard") + f"?year={year}"

    def get() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"dashboard answered {response.status_code}")

    return get


def measure(profile: str, args: argparse.Namespace) -> int:
    data = dataset_from(args, SMALL)
    info = open_dataset(profile, data, fresh=args.fresh)
    from datetime import date

    from django.db import connection

    from gongkai.appeals.selectors import table4_for
    from gongkai.inforequests.models import InfoRequest
    from gongkai.inforequests.selectors import table3_for
    from gongkai.inforequests.tallies import rebuild
    from gongkai.orgs.models import Organisation
    from gongkai.supervision.selectors import dashboard, subtree, subtree_units

    root = Organisation.objects.get(pk=info["root_id"])
    city = Organisation.objects.filter(parent=root, kind="city").order_by("pk").first()
    year, today = args.year, date(2026, 11, 20)
    n_desc = Organisation.objects.filter(path__startswith=root.path).count() - 1
    print(f"\n## {profile}: {data.tag}, root with {n_desc:,} descendants, year {year}")
    print(f"machine: {machine()}")
    goals = Goals(
        f"dashboard p95 < {GOAL_MS:g} ms over the {DISTINCT} largest subtrees (each "
        f"once) and every run of the root's < {GOAL_MS:g} ms at 10^4 organisations "
        "(issue 11); counts equal the database's",
        enforce=not args.small and n_desc + 1 >= 10_000,
    )
    whole = dashboard(root, year, today)
    goals.check(
        len(whole.units) == n_desc + 1,
        f"{len(whole.units):,} unit rows for {n_desc + 1:,} organisations",
    )
    received = InfoRequest.objects.filter(received_on__year=year).count()
    shown = sum(u.received for u in whole.units)
    goals.check(
        shown == received,
        f"received in {year} summed over the units {shown:,} = {received:,} rows",
    )
    quick, slow = (3, 2) if args.small else (args.repeat, args.repeat_slow)
    cases: list[tuple[str, Callable[[], Any], int]] = [
        (
            "subtree count",
            lambda: Organisation.objects.filter(path__startswith=root.path).count(),
            quick,
        ),
        (
            "subtree ids",
            lambda: list(
                Organisation.objects.filter(path__startswith=root.path).values_list(
                    "pk", flat=True
                )
            ),
            quick,
        ),
        ("subtree rows (supervision.subtree)", lambda: subtree(root), quick),
        (
            "table3_for(root, include_descendants=True)",
            lambda: table3_for(root, year, include_descendants=True),
            slow,
        ),
        (
            "table4_for(root, include_descendants=True)",
            lambda: table4_for(root, year, include_descendants=True),
            quick,
        ),
        (
            "supervision.dashboard(root), every unit's row",
            lambda: dashboard(root, year, today),
            slow,
        ),
        (
            "supervision.dashboard(root), a page of 100 units (what the page shows)",
            lambda: dashboard(root, year, today, units=list(subtree_units(root)[:100])),
            slow,
        ),
        (
            "dashboard page, GET as the root's supervisor (in-process test client, not HTTP)",
            _page_getter(root, year),
            slow,
        ),
    ]
    cases.append(
        (
            f"tallies.rebuild(since_year={year}) (a holiday-calendar save)",
            lambda: rebuild(since_year=year),
            2,
        )
    )
    if city is not None:
        n_city = Organisation.objects.filter(path__startswith=city.path).count() - 1
        cases.append(
            (
                f"supervision.dashboard(city, {n_city:,} descendants)",
                lambda: dashboard(city, year, today),
                slow,
            )
        )
    print("| query (repeated, first run cold) | runs | mean ms | max ms |")
    print("|---|---:|---:|---:|")
    root_max = 0.0
    for label, func, repeat in cases:
        stats = timed(func, repeat)
        print(
            f"| {label} | {stats['n']} | {stats['mean']:.1f} | {stats['max']:.1f} |",
            flush=True,
        )
        if label.startswith("supervision.dashboard(root), a page"):
            root_max = stats["max"]
    goals.target(root_max < GOAL_MS, f"root's dashboard: slowest run {root_max:.1f} ms")
    # The percentile sample: distinct organisations, largest subtrees first.
    biggest = list(
        Organisation.objects.order_by("depth", "pk").values_list("pk", flat=True)[
            : 10
            if args.small
            else DISTINCT  # the smoke checks the path, not the p95
        ]
    )
    times, baseline = [], []
    with connection.cursor() as cursor:
        for pk in biggest:
            org = Organisation.objects.get(pk=pk)
            t0 = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            t1 = time.perf_counter()
            dashboard(org, year, today, units=list(subtree_units(org)[:100]))
            times.append(time.perf_counter() - t1)
            baseline.append(t1 - t0)
    d, b = percentiles(times), percentiles(baseline)
    print(
        f"\ndashboard's first page for {d['n']} distinct organisations (largest "
        f"subtrees first, each once): p50 {d['p50']:.1f} ms, **p95 {d['p95']:.1f} "
        f"ms**, p99 {d['p99']:.1f} ms, max {d['max']:.1f} ms"
    )
    print(
        f"baseline (SELECT 1, interleaved, {b['n']} samples): p50 {b['p50']:.2f} ms, "
        f"p95 {b['p95']:.2f} ms"
    )
    busy = (
        f"the interleaved SELECT 1 has p95 {b['p95']:.1f} ms (> {BUSY_BASELINE_P95_MS:g})"
        if b["p95"] > BUSY_BASELINE_P95_MS
        else ""
    )
    goals.target(
        d["n"] >= DISTINCT and d["p95"] < GOAL_MS,
        f"p95 {d['p95']:.1f} ms over {d['n']} distinct organisations (needs ≥ {DISTINCT})",
        busy=busy,
    )
    return goals.verdict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, FULL, SMALL)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument(
        "--repeat", type=int, default=20, help="runs of the fast queries"
    )
    parser.add_argument(
        "--repeat-slow",
        type=int,
        default=5,
        help="runs of the roll-ups and the dashboard",
    )
    args = parser.parse_args()
    chosen = profiles(args)
    if len(chosen) == 1:
        sys.exit(measure(chosen[0], args))
    rc = 0
    for profile in chosen:
        rc |= run_in_subprocess(__file__, profile, forward_args(sys.argv[1:]))
    sys.exit(rc)


if __name__ == "__main__":
    main()

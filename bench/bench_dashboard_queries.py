"""Benchmark: the supervisor dashboard's queries for a root with ~10^4 descendants.

Goal (issue 11): dashboard p95 under 500 ms for a root with 10^4 descendants.
Timed on the synthetic province (10^4 organisations, 10^6 applications), each
repeated and reported as p50/p95 (ms):

* subtree: ``Organisation.objects.filter(path__startswith=…)`` — count, id list,
  full rows (``supervision.selectors.subtree``);
* ``table3_for(root, year, include_descendants=True)`` and ``table4_for(…)``: the
  roll-up of table 三 / 四 over the subtree;
* ``supervision.selectors.dashboard(root, year)``: every figure of the dashboard,
  also for one city (~10^3 descendants), to show how it scales;
* ``inforequests.tallies.rebuild(since_year=year)``: recounting the tallies after a
  holiday-calendar change (idempotent: it rewrites the same rows);
* the dashboard page itself (``GET /office/supervision/``) as a supervisor of the
  root, through Django's test client: permission checks, the back-office frame,
  the trend and per-unit charts and the template, i.e. what the supervisor waits for.

    .venv/bin/python bench/bench_dashboard_queries.py              # full size, both databases
    .venv/bin/python bench/bench_dashboard_queries.py --small      # smoke test
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

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


def timed(func: Callable[[], Any], repeat: int) -> dict[str, float]:
    func()  # warm the caches once
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


def measure(profile: str, args: argparse.Namespace) -> None:
    data = dataset_from(args, SMALL)
    info = open_dataset(profile, data, fresh=args.fresh)
    from datetime import date

    from gongkai.appeals.selectors import table4_for
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
            "dashboard page, HTTP GET as the root's supervisor",
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
    print("| query | runs | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for label, func, repeat in cases:
        stats = timed(func, repeat)
        print(
            f"| {label} | {stats['n']} | {stats['p50']:.1f} | {stats['p95']:.1f} | {stats['max']:.1f} |",
            flush=True,
        )


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
        measure(chosen[0], args)
        return
    rc = 0
    for profile in chosen:
        rc |= run_in_subprocess(__file__, profile, forward_args(sys.argv[1:]))
    sys.exit(rc)


if __name__ == "__main__":
    main()

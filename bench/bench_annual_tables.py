"""Benchmark: the annual report tables (二, 三, 四) of one year for EVERY organisation.

Goal (issue 11): all annual tables for 10^4 organisations and 10^6 applications
in under 30 s on PostgreSQL. Two ways are timed on the same synthetic province:

* ``per-org``: the app selectors (``table2_for`` + ``table3_for`` + ``table4_for``)
  once per organisation, as ``reports.report_common.computed_cells`` does (~12
  queries each). At full size this is timed on a sample and extrapolated (marked so).
* ``grouped``: ``gongkai.synth.bulk_tables.annual_tables_all`` — 9 GROUP BY
  queries over all organisations; the cells are checked equal to the per-org ones
  on a sample of organisations.

Checked at every size: the grouped cells equal the per-org ones on the sample, and
the applications received in the year summed over every organisation's table 三
equal the rows counted in the database. The 30 s goal is enforced for the grouped
way on PostgreSQL at ≥ 10^4 organisations (the size it is stated for); the times are
totals of one pass, not percentiles. Exit 0 met, 1 missed or wrong.

    .venv/bin/python bench/bench_annual_tables.py                 # full size, both databases
    .venv/bin/python bench/bench_annual_tables.py --small         # smoke test (seconds)
    .venv/bin/python bench/bench_annual_tables.py --profile postgres --year 2025
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from _goals import Goals
from _synthdb import (
    Dataset,
    add_arguments,
    dataset_from,
    forward_args,
    machine,
    open_dataset,
    profiles,
    run_in_subprocess,
)

FULL = Dataset(orgs=10_000, applications=1_000_000, publications=0)
SMALL = Dataset(orgs=60, applications=3_000, publications=0)
GOAL_SECONDS = 30.0


def measure(profile: str, args: argparse.Namespace) -> int:
    data = dataset_from(args, SMALL)
    info = open_dataset(profile, data, fresh=args.fresh)
    from gongkai.appeals.selectors import table4_for
    from gongkai.inforequests.models import InfoRequest
    from gongkai.inforequests.selectors import table3_for
    from gongkai.orgs.models import Organisation
    from gongkai.publishing.selectors import table2_for
    from gongkai.synth.bulk_tables import annual_tables_all

    year = args.year
    orgs = list(Organisation.objects.order_by("pk"))
    print(f"\n## {profile}: {data.tag}, year {year}, {len(orgs):,} organisations")
    print(f"machine: {machine()}")
    if info.get("loaded_now"):
        print(f"loaded in {info['load_seconds']} s: {info['counts']}")
    goals = Goals(
        f"all annual tables of {year} for every organisation in under "
        f"{GOAL_SECONDS:g} s on PostgreSQL at 10^4 organisations (issue 11); "
        "grouped cells equal per-org cells; received counts equal the rows",
        enforce=not args.small and profile == "postgres" and len(orgs) >= 10_000,
    )

    def per_org(org: Organisation) -> dict[str, object]:
        cells: dict[str, object] = {}
        cells.update(table2_for(org, year))
        cells.update(table3_for(org, year))
        cells.update(table4_for(org, year))
        return cells

    # Grouped: every organisation at once.
    start = time.perf_counter()
    grouped = annual_tables_all(year)
    grouped_s = time.perf_counter() - start

    # Per-organisation selectors: all of them when small, else a sample.
    rng = random.Random(7)
    sample = orgs if len(orgs) <= args.sample else rng.sample(orgs, args.sample)
    start = time.perf_counter()
    per = {org.pk: per_org(org) for org in sample}
    per_s = time.perf_counter() - start
    per_all_s = per_s * len(orgs) / len(sample)

    mismatches = [pk for pk, cells in per.items() if cells != grouped[pk]]
    total_requests = sum(
        cells["s3.new.total"]
        for cells in grouped.values()  # type: ignore[misc]
    )
    print("| method | organisations | time | per organisation |")
    print("|---|---:|---:|---:|")
    print(
        f"| grouped (9 GROUP BY queries) | {len(orgs):,} | {grouped_s:.2f} s | "
        f"{grouped_s / len(orgs) * 1000:.2f} ms |"
    )
    label = (
        "measured" if len(sample) == len(orgs) else f"extrapolated from {len(sample):,}"
    )
    print(
        f"| per-org selectors ({label}) | {len(orgs):,} | {per_all_s:.2f} s | "
        f"{per_s / len(sample) * 1000:.2f} ms |"
    )
    print(f"applications received in {year}: {total_requests:,}")
    rows = InfoRequest.objects.filter(received_on__year=year).count()
    goals.check(
        total_requests == rows,
        f"table 三 'new' summed over all organisations {total_requests:,} = "
        f"{rows:,} applications received in {year} in the database",
    )
    goals.check(
        len(grouped) == len(orgs), f"grouped tables for {len(grouped):,} organisations"
    )
    goals.check(
        not mismatches,
        f"cells equal on {len(sample) - len(mismatches)}/{len(sample)} sampled "
        f"organisations {mismatches[:10]}",
    )
    goals.target(
        grouped_s < GOAL_SECONDS, f"grouped {grouped_s:.2f} s (< {GOAL_SECONDS:g} s)"
    )
    return goals.verdict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, FULL, SMALL)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument(
        "--sample",
        type=int,
        default=300,
        help="organisations timed with the per-org selectors (default 300)",
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

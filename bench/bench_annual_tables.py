"""Benchmark: the annual report tables (二, 三, 四) of one year for EVERY organisation.

Goal (issue 11): all annual tables for 10^4 organisations and 10^6 applications
in under 30 s on PostgreSQL. Two ways are timed on the same synthetic province:

* ``per-org``: the app selectors (``table2_for`` + ``table3_for`` + ``table4_for``)
  once per organisation, as ``reports.report_common.computed_cells`` does (~12
  queries each). At full size this is timed on a sample and extrapolated (marked so).
* ``grouped``: ``gongkai.synth.bulk_tables.annual_tables_all`` — 9 GROUP BY
  queries over all organisations; the cells are checked equal to the per-org ones
  on a sample of organisations.

    .venv/bin/python bench/bench_annual_tables.py                 # full size, both databases
    .venv/bin/python bench/bench_annual_tables.py --small         # smoke test (seconds)
    .venv/bin/python bench/bench_annual_tables.py --profile postgres --year 2025
"""

from __future__ import annotations

import argparse
import random
import sys
import time

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


def measure(profile: str, args: argparse.Namespace) -> None:
    data = dataset_from(args, SMALL)
    info = open_dataset(profile, data, fresh=args.fresh)
    from gongkai.appeals.selectors import table4_for
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
    print(
        f"cells equal on {len(sample) - len(mismatches)}/{len(sample)} sampled organisations"
    )
    if mismatches:
        print(f"MISMATCH on organisations {mismatches[:10]}", file=sys.stderr)
        sys.exit(1)


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
        measure(chosen[0], args)
        return
    rc = 0
    for profile in chosen:
        rc |= run_in_subprocess(__file__, profile, forward_args(sys.argv[1:]))
    sys.exit(rc)


if __name__ == "__main__":
    main()

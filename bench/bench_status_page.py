"""Benchmark: the applicant's status page with letters, at 10^6 applications.

Goal (issue 16): report the p95 of the status page with letters at 10^6 applications;
it must stay under 500 ms (a page an applicant waits for; checked at full size only,
the exit code says whether it held).

On the synthetic province (``gongkai.synth``; 10^4 organisations, 10^6 applications,
loaded once per database by ``_synthdb``), --cases applications are registered
online at one of its 街道 through the real path (``letters.register``: 受理回执) and
taken through ``steps.perform`` as an officer and the office head would: 补正告知 and
its answer, accept, decide 予以公开, send the reply — so each has 3 letters to the
applicant (受理回执, 补正告知书, 告知书), electronically delivered, and one disclosed
file (``released_file_add``, encrypted at rest). Then the status page is POSTed with
the number and query code through Django's test client, --repeat times round-robin
over the cases: the lookup by number among 10^6 rows, the query-code check, the
deadline ledger, the facts, the letters and a fresh single-use download token per
letter and file (written), the template. Everything the script writes is rolled back
at the end, so the shared dataset stays as loaded.

    .venv/bin/python bench/bench_status_page.py --profile sqlite      # 10^6
    .venv/bin/python bench/bench_status_page.py --small               # smoke test
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta

from _goals import finish
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
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class _Rollback(Exception):
    pass


GOAL_P95_MS = 500.0


def measure(profile: str, args: argparse.Namespace) -> int:
    data = dataset_from(args, SMALL)
    info = open_dataset(profile, data, fresh=args.fresh)
    from django.db import transaction

    from gongkai.inforequests.models import InfoRequest

    total = InfoRequest.objects.count()
    print(f"\n## {profile}: {data.tag} ({total:,} applications)")
    print(f"machine: {machine()}")
    if info.get("loaded_now"):
        print(f"dataset loaded in {info['load_seconds']} s")
    status = 1
    try:
        with transaction.atomic():
            status = _measure(args)
            raise _Rollback
    except _Rollback:
        pass
    return status


def _measure(args: argparse.Namespace) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from gongkai.inforequests import letters, steps
    from gongkai.inforequests.delivery import released_file_add
    from gongkai.inforequests.intake import Registration
    from gongkai.inforequests.models import InfoRequest, RequestSequence
    from gongkai.inforequests.tests.factories import RESIDENT_ID
    from gongkai.orgs.models import Organisation
    from gongkai.orgs.tests.factories import make_user

    # A 街道 of the synthetic province that already has its share of applications.
    street = (
        Organisation.objects.filter(kind="subdistrict", is_disclosure_body=True)
        .order_by("pk")
        .first()
    )
    assert street is not None, "no 街道 in the dataset"
    stamp = time.strftime("%H%M%S")
    officer = make_user(f"bench_status_officer_{stamp}", street, "officer")
    head = make_user(f"bench_status_head_{stamp}", street, "head")
    today = timezone.localdate()
    # The synthetic loader writes serials without the counter rows: start after them.
    last = (
        InfoRequest.objects.filter(organisation=street, year=today.year)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    RequestSequence.objects.update_or_create(
        organisation=street, year=today.year, defaults={"last": last or 0}
    )
    media = tempfile.mkdtemp(prefix="gk-bench-status-")
    numbers: list[tuple[str, str]] = []
    start = time.perf_counter()
    with override_settings(
        MEDIA_ROOT=media,
        PORTAL_STATUS_LOOKUPS_PER_MINUTE=10**9,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        for i in range(args.cases):
            case, code, _receipt = letters.register(
                actor=None,
                organisation=street,
                registration=Registration(
                    channel="online",
                    submitted_on=today,
                    confirmed_on=today,
                    applicant_type="natural",
                    applicant_name=f"申请人{i}",
                    id_type="resident_id",
                    id_number=RESIDENT_ID,
                    email=f"status{i}@example.cn",
                    description=f"第{i}件：2026年老旧小区改造项目的资金安排文件",
                    form="electronic",
                    delivery="online",
                ),
                from_portal=True,
            )
            case = steps.perform(
                "request_clarification",
                actor=officer,
                request=case,
                data={"deadline": today + timedelta(days=15), "what": "请写明年份"},
            )
            case = steps.perform(
                "receive_clarification",
                actor=officer,
                request=case,
                data={"on": today},
            )
            released_file_add(
                actor=officer,
                request=case,
                upload=SimpleUploadedFile(f"资金安排{i}.pdf", PDF),
            )
            case = steps.perform(
                "decide",
                actor=officer,
                request=case,
                data={"outcome": "granted", "details": {"provision": "在线提供"}},
            )
            steps.perform("send_reply", actor=head, request=case, data={})
            numbers.append((case.tracking_number, code))
        setup_s = time.perf_counter() - start
        sample = InfoRequest.objects.get(tracking_number=numbers[0][0])
        n_letters = len([x for x in sample.letters.all() if x.kind != "consultation"])
        client = Client(SERVER_NAME="127.0.0.1")

        def look(i: int) -> str:
            tracking, code = numbers[i % len(numbers)]
            response = client.post(
                "/gk/status/", {"tracking_number": tracking, "query_code": code}
            )
            page = response.content.decode()
            if response.status_code != 200 or 'id="outcome"' not in page:
                raise SystemExit(f"status page answered {response.status_code}")
            return page

        page = look(0)  # warm the caches once
        links = page.count("/gk/download/")
        queries: list[str] = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
        ):
            look(1)
        samples = []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            look(i)
            samples.append(time.perf_counter() - t0)
    stats = percentiles(samples)
    print(
        f"{args.cases} cases taken through the workflow in {setup_s:.1f} s; "
        f"each has {n_letters} letters and 1 disclosed file ({links} download links "
        f"on the page); {len(queries)} SQL queries per page view"
    )
    print("| what | runs | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| status page with letters (POST number + code) | {stats['n']} | "
        f"{stats['p50']:.1f} | **{stats['p95']:.1f}** | {stats['p99']:.1f} | {stats['max']:.1f} |",
        flush=True,
    )
    if stats["p95"] >= GOAL_P95_MS and not args.small:
        print(f"FAIL: goal missed: p95 {stats['p95']:.1f} ms ≥ {GOAL_P95_MS:.0f} ms")
        return 1
    print(
        f"PASS: p95 {stats['p95']:.1f} ms"
        + (
            " (goal not enforced at --small)"
            if args.small
            else f" < {GOAL_P95_MS:.0f} ms"
        )
    )
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, FULL, SMALL)
    parser.add_argument(
        "--cases", type=int, default=30, help="applications with letters (30)"
    )
    parser.add_argument(
        "--repeat", type=int, default=300, help="status page views timed (300)"
    )
    args = parser.parse_args()
    if args.small:
        args.cases, args.repeat = min(args.cases, 3), min(args.repeat, 10)
    chosen = profiles(args)
    if len(chosen) == 1:
        sys.exit(
            finish(
                measure(chosen[0], args),
                goal=f"the status page with letters p95 < {GOAL_P95_MS:.0f} ms at 10^6 "
                "applications (issue 16)",
            )
        )
    rc = 0
    for profile in chosen:
        rc |= run_in_subprocess(__file__, profile, forward_args(sys.argv[1:]))
    sys.exit(rc)


if __name__ == "__main__":
    main()

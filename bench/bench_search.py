"""Benchmark: full-text search latency (p50/p95/p99) over the synthetic publications.

Goal (issue 11): search p95 under 50 ms at 10^6 documents. Times
``gongkai.search.services.search_documents`` (bigram FTS5 on SQLite, tsvector + GIN
on PostgreSQL; first page of 20, newest first, with highlighting) for queries of
2–6 characters — common words, rare phrases, person names and "2026年" — over the
whole index and within one city's subtree (the portal's scope).

    .venv/bin/python bench/bench_search.py                          # default size, both databases
    .venv/bin/python bench/bench_search.py --publications 1000000   # the goal's size (long load)
    .venv/bin/python bench/bench_search.py --small                  # smoke test
"""

from __future__ import annotations

import argparse
import sys
import time

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

FULL = Dataset(orgs=1_000, applications=0, publications=200_000)
SMALL = Dataset(orgs=30, applications=0, publications=1_500)

QUERIES = (
    "通知",  # 2 chars, very common
    "安全",
    "2026年",
    "王芳",  # names
    "张伟",
    "李强",
    "医疗保险",  # 4 chars
    "老旧小区",
    "垃圾分类",
    "三公经费",
    "营商环境",
    "联系电话",
    "最低生活保障",  # 6 chars
    "高标准农田",
    "国有土地上",
    "职务任免",
)


def measure(profile: str, args: argparse.Namespace) -> None:
    data = dataset_from(args, SMALL)
    info = open_dataset(profile, data, fresh=args.fresh)
    from gongkai.orgs.models import Organisation
    from gongkai.search.models import SearchDocument
    from gongkai.search.services import search_documents

    docs = SearchDocument.objects.count()
    root = Organisation.objects.get(pk=info["root_id"])
    city = Organisation.objects.filter(parent=root, kind="city").order_by("pk").first()
    city_ids = (
        list(
            Organisation.objects.filter(path__startswith=city.path).values_list(
                "pk", flat=True
            )
        )
        if city
        else None
    )
    print(f"\n## {profile}: {data.tag}, {docs:,} documents in the index")
    print(f"machine: {machine()}")
    repeat = 2 if args.small else args.repeat
    scopes = [("whole index", None)]
    if city_ids:
        scopes.append((f"one city ({len(city_ids)} organisations)", city_ids))
    print("| scope | queries × runs | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    per_query: dict[str, list[float]] = {}
    for label, ids in scopes:
        samples = []
        for q in QUERIES:
            search_documents(q, organisation_ids=ids)  # warm
        for _ in range(repeat):
            for q in QUERIES:
                start = time.perf_counter()
                result = search_documents(q, organisation_ids=ids)
                elapsed = time.perf_counter() - start
                samples.append(elapsed)
                if ids is None:
                    per_query.setdefault(q, []).append(elapsed)
                assert not result.error, result.error
        s = percentiles(samples)
        print(
            f"| {label} | {len(QUERIES)} × {repeat} | {s['p50']:.1f} | {s['p95']:.1f} | "
            f"{s['p99']:.1f} | {s['max']:.1f} |",
            flush=True,
        )
    print(
        "\nslowest queries (whole index, p50 ms): "
        + ", ".join(
            f"{q} {percentiles(v)['p50']:.1f}"
            for q, v in sorted(
                per_query.items(), key=lambda kv: -percentiles(kv[1])["p50"]
            )[:5]
        )
    )
    variants(profile, repeat)


def variants(profile: str, repeat: int) -> None:
    """SQL-only timings of simpler queries the search app does not use (no highlighting),
    to show what its choices are worth.

    ``by date``: ORDER BY published_on DESC, id DESC: every match must be sorted.
    ``by id, no window``: newest = highest id, ORDER BY id DESC LIMIT 20 over the whole
    index (FTS5 reads rowids in that order and stops at 20, which is what the app does
    on SQLite; on PostgreSQL this was the app's query until the id-block windows of
    ``gongkai.search.services.RECENCY_SHIFTS``: the GIN bitmap must recheck every match).
    """
    from django.db import connection

    from gongkai.core.search import fts5_match, parse_query, tsquery_text

    if profile == "sqlite":
        sqls = {
            "by date": "SELECT d.id FROM search_fts f JOIN search_searchdocument d ON d.id = f.rowid "
            "WHERE search_fts MATCH %s ORDER BY d.published_on DESC, d.id DESC LIMIT 20",
            "by id, no window": "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT 20",
        }
        param = fts5_match
    else:
        sqls = {
            "by date": "SELECT d.id FROM search_searchdocument d WHERE d.tsv @@ %s::tsquery "
            "ORDER BY d.published_on DESC NULLS LAST, d.id DESC LIMIT 20",
            "by id, no window": "SELECT d.id FROM search_searchdocument d WHERE d.tsv @@ %s::tsquery "
            "ORDER BY d.id DESC LIMIT 20",
        }
        param = tsquery_text  # type: ignore[assignment]
    print("\n| SQL only (whole index) | p50 ms | p95 ms | p99 ms | slowest query |")
    print("|---|---:|---:|---:|---|")
    for label, sql in sqls.items():
        samples, worst = [], ("", 0.0)
        with connection.cursor() as cursor:
            for _ in range(repeat):
                for q in QUERIES:
                    start = time.perf_counter()
                    cursor.execute(sql, [param(parse_query(q))])
                    cursor.fetchall()
                    elapsed = time.perf_counter() - start
                    samples.append(elapsed)
                    worst = max(worst, (q, elapsed), key=lambda x: x[1])
        s = percentiles(samples)
        print(
            f"| {label} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | "
            f"{worst[0]} ({worst[1] * 1000:.0f} ms) |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, FULL, SMALL)
    parser.add_argument("--repeat", type=int, default=10, help="runs of each query")
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

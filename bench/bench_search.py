"""Benchmark: full-text search latency by query class and scope; fails when the goal is missed.

Goal (issue 24): every class of query in every scope answers with p95 under
--goal-ms (50 ms) — checked at full size; the script exits 1 when a goal is missed
or when an answer is wrong. Times ``gongkai.search.services.search_documents``
(first page of 20, newest first, with highlighting) — what the portal's search box
calls — over the synthetic publications of ``gongkai.synth``.

Queries (--queries distinct queries per class, default 100; each asked once per
scope, all samples shuffled together, nothing warmed per query), drawn with a fixed
seed from a sample of the indexed documents themselves:

* ``no hit``: a real phrase with one character replaced, or a 2-character name
  found nowhere (the whole index is read to confirm it for each);
* ``pair``: two characters next to each other in some document;
* ``common``: the most frequent character pairs of the sample (通知, 公开, 2026…);
* ``long``: 8–16 characters copied from a document.

Scopes: the whole platform, one city (its subtree), one 社区.

The goal is on wall time; the process CPU time of each search is printed beside it
(on SQLite that is all of the search's work, on PostgreSQL the client's part only),
because on a shared machine wall time is mostly waiting for a core.

Verified for every sample: at most 20 hits, strictly newest first, each in the
scope and containing the query's text. For a few queries of each class and scope
the page is compared with a plain reading of the table (LIKE, no index), and the
no-hit class is confirmed empty. Exit status: 0 goal met and answers right, 1 goal
missed or an answer wrong, 2 goal missed on a machine too busy to tell (the
interleaved baseline's p95 above BUSY_BASELINE_P95_MS). The baseline, a ``SELECT 1`` round trip, is timed
right before each sample (interleaved), so a loaded machine shows in it.

    .venv/bin/python bench/bench_search.py --publications 100000       # both databases
    .venv/bin/python bench/bench_search.py --profile sqlite --publications 1000000
    .venv/bin/python bench/bench_search.py --small                      # CI smoke: answers checked, goal not enforced
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from typing import Any

from _goals import finish
from _synthdb import (
    ROOT,
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

FULL = Dataset(orgs=1_000, applications=0, publications=100_000)
SMALL = Dataset(orgs=30, applications=0, publications=1_500)
GOAL_MS = 50.0
# When a "SELECT 1" round trip, timed between the samples, has a p95 above this, the
# machine is too loaded for a wall-time verdict: the run says so and exits 2.
BUSY_BASELINE_P95_MS = 5.0
CLASSES = ("no hit", "pair", "common", "long")
CHECKED_PER_CELL = 3  # queries per class × scope compared with a LIKE scan
# Surnames and given-name characters for names found nowhere (checked).
SURNAMES = "赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "六琰玥珂瑾翀骁焱煜炜隽婕妤昶晟暄瀚湛澍淼沅洹"


def _sample_texts(rng: random.Random, n: int) -> list[str]:
    from gongkai.search.models import SearchDocument

    newest = SearchDocument.objects.order_by("-id").values_list("id", flat=True)[:1]
    top = newest[0] if newest else 0
    wanted = sorted({rng.randint(1, top) for _ in range(n)}) if top else []
    docs = SearchDocument.objects.filter(id__in=wanted).values_list("title", "body")
    return [f"{t}\n{b}" for t, b in docs]


def _found_anywhere(text: str) -> bool:
    from gongkai.search.models import SearchDocument

    return (
        SearchDocument.objects.filter(title__contains=text).exists()
        or SearchDocument.objects.filter(body__contains=text).exists()
    )


def build_queries(seed: int, per_class: int) -> dict[str, list[str]]:
    """Distinct queries per class, from the data (fixed seed)."""
    from gongkai.core.search import _SPLIT, normalise, run_bigrams, runs

    rng = random.Random(seed)
    texts = _sample_texts(rng, max(400, per_class * 6))
    # Runs as stored (not rewritten by normalisation, e.g. a 文号's brackets), so
    # that a plain LIKE over the table can confirm the answers.
    all_runs = [
        r for t in texts for r in _SPLIT.split(t) if len(r) >= 2 and normalise(r) == r
    ]
    doc_freq: Counter[str] = Counter()
    for t in texts:
        doc_freq.update({b for r in runs(t) for b in run_bigrams(r) if len(b) == 2})
    common = [b for b, _ in doc_freq.most_common(per_class)]
    pairs: set[str] = set()
    long: set[str] = set()
    tries = 0
    while (len(pairs) < per_class or len(long) < per_class) and tries < 100_000:
        tries += 1
        run = rng.choice(all_runs)
        if len(pairs) < per_class:
            i = rng.randrange(len(run) - 1)
            if run[i : i + 2] not in common:
                pairs.add(run[i : i + 2])
        if len(long) < per_class and len(run) >= 8:
            size = rng.randint(8, min(16, len(run)))
            i = rng.randrange(len(run) - size + 1)
            long.add(run[i : i + size])
    no_hit: set[str] = set()
    tries = 0
    while len(no_hit) < per_class and tries < 20 * per_class:
        tries += 1
        if tries % 2:
            candidate = rng.choice(SURNAMES) + rng.choice(GIVEN)
        else:  # a real phrase with one character changed: its pairs are common
            run = rng.choice([r for r in all_runs if len(r) >= 6] or all_runs)
            piece = run[:8]
            i = rng.randrange(len(piece))
            candidate = piece[:i] + rng.choice(GIVEN) + piece[i + 1 :]
        if (
            len(candidate) >= 2
            and candidate not in no_hit
            and not _found_anywhere(candidate)
        ):
            no_hit.add(candidate)
    return {
        "no hit": sorted(no_hit),
        "pair": sorted(pairs),
        "common": common,
        "long": sorted(long),
    }


def cached_queries(profile: str, data: Dataset, per_class: int) -> dict[str, list[str]]:
    """``build_queries``, kept beside the dataset: at 10^6 documents confirming each
    no-hit query by a scan of the table takes minutes, and the dataset does not change
    between runs (``--fresh`` loads it again and forgets the queries)."""
    path = ROOT / "var" / "bench" / f"queries_{profile}_{data.tag}_{per_class}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    queries = build_queries(data.seed, per_class)
    path.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    return queries


def _brute_force(text: str, scope: Any) -> list[int]:
    """The newest 20 documents holding ``text``, read without the index."""
    from django.db.models import Q

    from gongkai.orgs.models import path_prefix_q
    from gongkai.search.models import SearchDocument

    docs = SearchDocument.objects.filter(
        Q(title__contains=text) | Q(body__contains=text)
    )
    if scope is not None:
        docs = docs.filter(path_prefix_q(scope.path, "organisation__path"))
    return list(docs.order_by("-id").values_list("id", flat=True)[:20])


def check_answer(result: Any, text: str, scope: Any, paths: dict[int, str]) -> str:
    """Why an answer is wrong ('' when it is right)."""
    from gongkai.core.search import normalise, parse_query

    if result.error:
        return f"{text}: error {result.error}"
    ids = [h.document.id for h in result.hits]
    if len(ids) > 20 or ids != sorted(set(ids), reverse=True):
        return f"{text}: not 20 newest-first distinct hits: {ids}"
    needles = [p[0] + "".join(b[1] for b in p[1:]) for p in parse_query(text).phrases]
    for h in result.hits:
        doc = h.document
        folded = normalise(f"{doc.title}\n{doc.body}")
        if not all(n in folded for n in needles):
            return f"{text}: hit {doc.id} does not contain it"
        if scope is not None and not paths[doc.organisation_id].startswith(scope.path):
            return f"{text}: hit {doc.id} outside the scope"
    return ""


def server_work(scopes: list[tuple[str, Any]], queries: dict[str, list[str]]) -> None:
    """PostgreSQL: the server's own work for 10 queries of each class and scope —
    buffers read (hit + read; the same on a busy or an idle machine) and execution
    time — from EXPLAIN (ANALYZE, BUFFERS) of each search statement, taken in the
    same transaction and settings as the statement itself."""
    import re

    from django.db import connection

    from gongkai.search.services import search_documents

    found: list[tuple[int, float]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not many and "tsv @@" in sql:
            raw = context["cursor"].cursor
            raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in raw.fetchall())
            top = re.search(r"Buffers: shared((?: hit=\d+)?(?: read=\d+)?)", plan)
            pages = (
                sum(int(n) for n in re.findall(r"=(\d+)", top.group(1))) if top else 0
            )
            ms = float(re.search(r"Execution Time: ([\d.]+)", plan).group(1))  # type: ignore[union-attr]
            found.append((pages, ms))
        return execute(sql, params, many, context)

    print(
        "\n| scope | class | queries | statements/query | buffers/query p50 | p95 | max "
        "| server ms/query p50 | p95 |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for scope_label, scope in scopes:
        for cls in CLASSES:
            per_query: list[tuple[int, float, int]] = []
            for q in queries[cls][:10]:
                found.clear()
                with connection.execute_wrapper(wrapper):
                    search_documents(q, within=scope)
                per_query.append(
                    (sum(f[0] for f in found), sum(f[1] for f in found), len(found))
                )
            pages = sorted(x[0] for x in per_query)
            ms = percentiles([x[1] / 1000 for x in per_query])
            b = percentiles([x / 1000 for x in pages])  # reuse the rank helper
            print(
                f"| {scope_label} | {cls} | {len(per_query)} | "
                f"{sum(x[2] for x in per_query) / len(per_query):.1f} | "
                f"{b['p50']:.0f} | {b['p95']:.0f} | {b['max']:.0f} | "
                f"{ms['p50']:.2f} | {ms['p95']:.2f} |",
                flush=True,
            )


def measure(profile: str, args: argparse.Namespace) -> int:
    data = dataset_from(args, SMALL)
    info = open_dataset(profile, data, fresh=args.fresh)
    from django.db import connection

    from gongkai.orgs.models import Organisation
    from gongkai.search.models import SearchDocument
    from gongkai.search.services import search_documents

    docs = SearchDocument.objects.count()
    root = Organisation.objects.get(pk=info["root_id"])
    city = Organisation.objects.filter(parent=root, kind="city").order_by("pk").first()
    community = (
        Organisation.objects.filter(
            kind="community", pk__in=SearchDocument.objects.values("organisation_id")
        )
        .order_by("pk")
        .first()
    )
    scopes: list[tuple[str, Any]] = [("platform", None)]
    for label, org in (("city", city), ("社区", community)):
        if org is not None:
            held = SearchDocument.objects.filter(
                organisation__path__startswith=org.path
            )
            scopes.append((f"{label} ({held.count():,} docs)", org))
    per_class = 10 if args.small else args.queries
    paths = dict(Organisation.objects.values_list("pk", "path"))
    print(f"\n## {profile}: {data.tag}, {docs:,} documents in the index")
    print(f"machine: {machine()}")
    start = time.perf_counter()
    if args.fresh or args.small:
        for old in (ROOT / "var" / "bench").glob(
            f"queries_{profile}_{data.tag}_*.json"
        ):
            old.unlink()
    queries = cached_queries(profile, data, per_class)
    print(
        f"queries: {', '.join(f'{c} {len(q)}' for c, q in queries.items())} distinct "
        f"(built or read in {time.perf_counter() - start:.1f} s); scopes: "
        + "; ".join(label for label, _ in scopes)
    )
    problems: list[str] = []
    for cls, qs in queries.items():
        if len(qs) < per_class:
            problems.append(
                f"only {len(qs)} distinct {cls} queries (wanted {per_class})"
            )

    samples = [
        (scope_label, scope, cls, q)
        for scope_label, scope in scopes
        for cls, qs in queries.items()
        for q in qs
    ]
    random.Random(data.seed + 1).shuffle(samples)
    search_documents("政府信息公开")  # one warm-up of the process, not of any query
    times: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    hits: dict[tuple[str, str], int] = {}
    baseline: list[float] = []
    with connection.cursor() as cursor:
        for scope_label, scope, cls, q in samples:
            t0 = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            c1, t1 = time.process_time(), time.perf_counter()
            result = search_documents(q, within=scope)
            c2, t2 = time.process_time(), time.perf_counter()
            baseline.append(t1 - t0)
            times.setdefault((scope_label, cls), []).append(t2 - t1)
            cpu.setdefault((scope_label, cls), []).append(c2 - c1)
            hits[(scope_label, cls)] = hits.get((scope_label, cls), 0) + len(
                result.hits
            )
            why = check_answer(result, q, scope, paths)
            if why:
                problems.append(f"{scope_label}/{cls}: {why}")
            elif cls == "no hit" and result.hits:
                problems.append(f"{scope_label}/{cls}: {q} found {len(result.hits)}")

    # A few pages per class and scope against a plain reading of the table.
    compared = 0
    for scope_label, scope in scopes:
        for cls, qs in queries.items():
            for q in qs[:CHECKED_PER_CELL]:
                got = [h.document.id for h in search_documents(q, within=scope).hits]
                want = _brute_force(q, scope)
                compared += 1
                if got != want:
                    problems.append(
                        f"{scope_label}/{cls}: {q} gave {got[:5]}…, the table {want[:5]}…"
                    )

    if profile == "postgres":
        server_work(scopes, queries)

    enforce = not args.small
    goal = args.goal_ms
    cpu_label = "all of it" if profile == "sqlite" else "client only"
    print(
        f"\n| scope | class | samples | hits/query | p50 ms | p95 ms | p99 ms | max ms "
        f"| CPU p95 ms ({cpu_label}) | p95 ≤ {goal:g} ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    missed = []
    for scope_label, _ in scopes:
        for cls in CLASSES:
            s = times.get((scope_label, cls), [])
            if not s:
                continue
            p = percentiles(s)
            ok = p["p95"] <= goal
            if not ok:
                missed.append(f"{scope_label}/{cls} p95 {p['p95']} ms")
            print(
                f"| {scope_label} | {cls} | {p['n']} | {hits[(scope_label, cls)] / p['n']:.1f} | "
                f"{p['p50']:.1f} | {p['p95']:.1f} | {p['p99']:.1f} | {p['max']:.1f} | "
                f"{percentiles(cpu[(scope_label, cls)])['p95']:.1f} | "
                f"{'yes' if ok else '**no**'} |"
            )
    b = percentiles(baseline)
    print(
        f"\nbaseline (SELECT 1, interleaved, {b['n']} samples): p50 {b['p50']:.2f} ms, "
        f"p95 {b['p95']:.2f} ms, max {b['max']:.1f} ms"
    )
    print(
        f"checked: {len(samples)} answers; {compared} pages compared with a LIKE scan"
    )
    for p in problems[:20]:
        print(f"WRONG: {p}")
    if problems:
        print(f"FAIL: {len(problems)} wrong answers or missing queries")
        return 1
    if missed:
        if enforce and b["p95"] > BUSY_BASELINE_P95_MS:
            print(
                f"INCONCLUSIVE: goal missed ({'; '.join(missed)}) but the machine is too "
                f"busy to tell: the interleaved SELECT 1 has p95 {b['p95']:.1f} ms "
                f"(> {BUSY_BASELINE_P95_MS:g} ms); compare the CPU column, rerun idle"
            )
            return 2
        if enforce:
            print("FAIL: goal missed: " + "; ".join(missed))
            return 1
        print("goal not enforced at --small size: " + "; ".join(missed))
    print(
        "PASS: every answer right"
        + (
            f", every p95 ≤ {goal:g} ms"
            if enforce
            else " (goal not enforced at --small)"
        )
    )
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, FULL, SMALL)
    parser.add_argument(
        "--queries", type=int, default=100, help="distinct queries per class (≥ 100)"
    )
    parser.add_argument("--goal-ms", type=float, default=GOAL_MS, help="p95 goal")
    args = parser.parse_args()
    chosen = profiles(args)
    if len(chosen) == 1:
        sys.exit(
            finish(
                measure(chosen[0], args),
                goal=f"every query class in every scope p95 ≤ {args.goal_ms:g} ms; every answer right (issue 24)",
            )
        )
    rc = 0
    for profile in chosen:
        rc |= run_in_subprocess(__file__, profile, forward_args(sys.argv[1:]))
    sys.exit(rc)


if __name__ == "__main__":
    main()

"""Benchmark: portal list/detail throughput as a ratio to a bare Django view.

Goal (issue 11): portal pages at least 0.5 × the requests per second of a bare view.
Starts gunicorn (``gongkai/config/gunicorn.py``; workers/threads from --workers,
--threads) on 127.0.0.1 with a bench-only URLconf (``bench/_portal_urls.py``) that
adds ``/bench/bare/`` — a view that does no query and renders no template, behind
the same middleware. A small load generator (threads, keep-alive ``http.client``)
then drives each URL for --seconds and counts 200 responses:

* bare:   /bench/bare/
* detail: /gk/<org>/publications/<pk>/ (rotating over 200 publications)
* list:   /gk/<district>/publications/  (a district and its departments and streets)
  — both as the public sees them: anonymous, served by the portal's whole-page cache
  (``gongkai/portal/cache.py``) after the first request of each URL
* the same detail and district list without the cache (bench-only URLs): the cost
  of a miss
* list of the province root (all publications of the tree)

SQLite runs the embedded profile (no Redis); PostgreSQL the scale profile (Redis
cache and sessions). The load generator shares the machine with the server, so
absolute numbers are low; the ratio is what the goal is about.

    .venv/bin/python bench/bench_portal_throughput.py                # both databases
    .venv/bin/python bench/bench_portal_throughput.py --small        # smoke test
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

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

FULL = Dataset(orgs=1_000, applications=0, publications=200_000)
SMALL = Dataset(orgs=30, applications=0, publications=1_500)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def drive(
    port: int, paths: list[str], seconds: float, clients: int
) -> dict[str, float]:
    """Keep ``clients`` connections busy for ``seconds``; returns rate and latencies."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = offset
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += clients
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    mine.append(time.perf_counter() - start)
                else:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    stats = percentiles(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "ok": len(latencies),
        "errors": errors[0],
        "p50": stats.get("p50", 0.0),
        "p95": stats.get("p95", 0.0),
    }


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn 启动失败（见上方日志）")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn 未在规定时间内就绪")


def measure(profile: str, args: argparse.Namespace) -> None:
    data = dataset_from(args, SMALL)
    info = open_dataset(profile, data, fresh=args.fresh)
    from gongkai.orgs.models import Organisation
    from gongkai.publishing.models import Publication

    root = Organisation.objects.get(pk=info["root_id"])
    district = (
        Organisation.objects.filter(path__startswith=root.path, kind="district")
        .order_by("pk")
        .first()
    ) or root
    detail_paths = [
        f"/gk/{org_id}/publications/{pk}/"
        for pk, org_id in Publication.objects.filter(
            organisation__path__startswith=district.path
        )
        .order_by("-pk")
        .values_list("pk", "organisation_id")[:200]
    ]
    n_district = Publication.objects.filter(
        organisation__path__startswith=district.path
    ).count()
    n_all = Publication.objects.count()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="_portal_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        DATABASE_URL=info["database"],
        GONGKAI_WEB_WORKERS=str(args.workers),
        GONGKAI_WEB_THREADS=str(args.threads),
        GONGKAI_WEB_LOG_LEVEL="warning",
        GONGKAI_DB_CONN_MAX_AGE="60",
        GONGKAI_PORTAL_SEARCHES_PER_MINUTE="100000",
    )
    if profile == "postgres":
        env["REDIS_URL"] = args.redis_url
    else:  # the embedded profile: no Redis, the database task queue
        env.pop("REDIS_URL", None)
        env.pop("GONGKAI_TASKS_BACKEND", None)
    port = free_port()
    env["GONGKAI_BIND"] = f"127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(ROOT / "gongkai" / "config" / "gunicorn.py"),
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_ready(port, proc)
        # The root list goes last: a request the client gave up on keeps its
        # server thread busy and would slow whatever is measured next.
        targets = [
            ("bare view", ["/bench/bare/"]),
            ("detail (200 items rotating)", detail_paths),
            (
                f"list, district ({n_district:,} items)",
                [f"/gk/{district.pk}/publications/"],
            ),
            (
                "detail, cache bypassed (bench-only URL)",
                [p.replace("/gk/", "/bench/uncached/", 1) for p in detail_paths],
            ),
            (
                "list, district, cache bypassed (bench-only URL)",
                [f"/bench/uncached/{district.pk}/publications/"],
            ),
            (
                f"list, province root ({n_all:,} items)",
                [f"/gk/{root.pk}/publications/"],
            ),
        ]
        seconds = 2.0 if args.small else args.seconds
        print(
            f"\n## {profile}: {data.tag}; gunicorn {args.workers} workers × {args.threads} threads, "
            f"{args.clients} clients, {seconds:.0f} s per URL"
        )
        print(f"machine: {machine()}")
        print("| page | requests/s | ratio to bare | p50 ms | p95 ms | errors |")
        print("|---|---:|---:|---:|---:|---:|")
        bare_rps = 0.0
        for label, paths in targets:
            drive(port, paths, 1.0 if not args.small else 0.3, args.clients)  # warm
            r = drive(port, paths, seconds, args.clients)
            if not bare_rps:
                bare_rps = r["rps"] or 1.0
            print(
                f"| {label} | {r['rps']:.0f} | {r['rps'] / bare_rps:.2f} | {r['p50']:.1f} | "
                f"{r['p95']:.1f} | {r['errors']:.0f} |",
                flush=True,
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, FULL, SMALL)
    parser.add_argument("--seconds", type=float, default=15.0, help="load per URL")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
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

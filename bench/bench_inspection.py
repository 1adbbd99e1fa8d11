"""Benchmark: the self-inspection (issue 26).

A full run of ``inspection.services.inspection_run`` over the synthetic province of
``gongkai.synth`` (default 10^3 bodies, 10^5 live-or-not items), every item's body
given one link to a local link farm (a separate process on 127.0.0.1: 1 % of links
answer 404, 0.1 % point at a dead port), so the run checks 10^5 distinct links the
way it would check outside sites (bounded concurrency, per-host slots). Also the
wording check of one saved item (the 保存/发布 gate): p95 in milliseconds.

The dataset is shared with the other benchmarks (``bench/_synthdb.py``); this script
works on a copy of its SQLite file (``var/bench/inspection_<tag>.sqlite3``) so it never
changes the shared one.

    .venv/bin/python bench/bench_inspection.py              # 10^3 bodies, 10^5 items
    .venv/bin/python bench/bench_inspection.py --small      # 30 bodies, 1,500 items
    .venv/bin/python bench/bench_inspection.py --concurrency 32 --per-host 32

Numbers go to docs/benchmarks.md ("Self-inspection").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _goals import finish  # noqa: E402
from _synthdb import Dataset, database_url, machine, percentiles  # noqa: E402

WORDING_GOAL_MS = 50.0  # issue 26: the saved-item wording check, p95
FULL = Dataset(1000, 0, 100_000)
SMALL = Dataset(30, 0, 1500)

FARM = textwrap.dedent(
    """
    import sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a):
            pass
        def do_GET(self):
            bad = self.path.startswith("/missing")
            body = b"gone" if bad else b"<html>ok</html>"
            self.send_response(404 if bad else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
    s = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
    s.daemon_threads = True
    s.request_queue_size = 256
    s.serve_forever()
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(data: Dataset) -> Path:
    """Load the shared dataset if needed (in a child process), then copy it."""
    source = Path(database_url("sqlite", data).removeprefix("sqlite:///"))
    code = (
        "import sys; sys.path.insert(0, 'bench'); sys.path.insert(0, '.');"
        "from _synthdb import Dataset, open_dataset;"
        f"open_dataset('sqlite', Dataset({data.orgs}, {data.applications}, {data.publications}))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    copy = ROOT / "var" / "bench" / f"inspection_{data.tag}.sqlite3"
    if not copy.exists():
        import sqlite3

        con = sqlite3.connect(source)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        shutil.copyfile(source, copy)
    return copy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="30 bodies, 1,500 items")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--per-host", type=int, default=32)
    parser.add_argument("--samples", type=int, default=1000, help="items for the p95")
    parser.add_argument("--orgs", type=int, default=FULL.orgs)
    parser.add_argument("--publications", type=int, default=FULL.publications)
    args = parser.parse_args()
    data = SMALL if args.small else Dataset(args.orgs, 0, args.publications)
    db = _prepare(data)

    port = _free_port()
    farm = subprocess.Popen([sys.executable, "-c", FARM, str(port)])
    try:
        return _run(db, data, port, args)
    finally:
        farm.terminate()
        farm.wait(timeout=10)


def _run(db: Path, data: Dataset, port: int, args: argparse.Namespace) -> int:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    os.environ.setdefault("GONGKAI_LOG_LEVEL", "ERROR")
    os.environ["GONGKAI_INSPECTION_LINKS"] = json.dumps(
        {
            "concurrency": args.concurrency,
            "per_host": args.per_host,
            "connect_timeout": 2.0,
            "read_timeout": 5.0,
            "total_timeout": 10.0,
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.inspection.models import Finding
    from gongkai.inspection.selectors import publication_wording
    from gongkai.inspection.services import inspection_run
    from gongkai.publishing.models import Publication
    from gongkai.synth.load import synth_root

    call_command("migrate", verbosity=0)
    dead = _free_port()
    with connection.cursor() as cur:
        # One link per item: 1 % 404, 0.1 % a dead port, the rest 200; distinct URLs.
        cur.execute(
            "UPDATE publishing_publication SET body = "
            "'<p>正文</p><p><a href=\"http://127.0.0.1:' || "
            "CASE WHEN id % 1000 = 7 THEN %s ELSE %s END || "
            "CASE WHEN id % 100 = 3 THEN '/missing/' ELSE '/ok/' END || id || '\">附件</a></p>'",
            [str(dead), str(port)],
        )
    time.sleep(0.5)  # the farm is listening by now
    root = synth_root()
    assert root is not None
    live_items = Publication.objects.filter(status__in=["published", "updated"])
    live = live_items.count()
    # What the farm was told to break, counted from the ids (not from the run), in
    # the columns a run covers: those of active 政府信息公开主体.
    covered = live_items.filter(
        organisation__is_disclosure_body=True, organisation__is_active=True
    )
    planted_ids = {
        pk
        for pk in covered.values_list("pk", flat=True)
        if pk % 100 == 3 or pk % 1000 == 7
    }
    planted = len(planted_ids)
    Finding.objects.all().delete()

    start = time.perf_counter()
    run = inspection_run(actor=None, organisation=root, below=True)
    wall = time.perf_counter() - start
    start2 = time.perf_counter()
    run2 = inspection_run(actor=None, organisation=root, below=True, check_links=False)
    wall2 = time.perf_counter() - start2

    sample = list(Publication.objects.order_by("?")[: args.samples])
    seconds = []
    for pub in sample:
        t = time.perf_counter()
        publication_wording(pub)
        seconds.append(time.perf_counter() - t)
    wording = percentiles(seconds)

    found = dict(
        Finding.objects.filter(indicator="broken_links").values_list(
            "publication_id", "detail"
        )
    )
    missed = planted_ids - set(found)
    extra = {pk: found[pk] for pk in sorted(set(found) - planted_ids)}
    out = {
        "machine": machine(),
        "dataset": data.tag,
        "bodies": run.bodies,
        "items_live": live,
        "items_checked": run.items,
        "links": run.links,
        "broken_links": run.broken_links,
        "broken_links_planted": planted,
        "planted_not_found": len(missed),
        # links the farm answers 200 that the run reported (e.g. a timeout under load)
        "reported_but_not_planted": len(extra),
        "reported_but_not_planted_reasons": sorted(set(extra.values()))[:5],
        "findings_opened": run.opened,
        "full_run_s": round(wall, 1),
        "run_without_links_s": round(wall2, 1),
        "second_run_confirmed_fixed": run2.confirmed_fixed,
        "wording_check_ms": {k: round(v, 2) for k, v in wording.items()},
        "link_concurrency": args.concurrency,
        "per_host": args.per_host,
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    if missed:
        print(f"WRONG: {len(missed)} of {planted} planted broken links not found")
        print("FAIL: the benchmark did not measure what it says")
        return 1
    p95 = wording.get("p95", 0.0)
    if p95 >= WORDING_GOAL_MS and not args.small:
        print(
            f"FAIL: goal missed: wording check p95 {p95:.1f} ms ≥ {WORDING_GOAL_MS} ms"
        )
        return 1
    print(
        f"PASS: all {planted} planted broken links found ({len(extra)} more reported); "
        f"wording check p95 {p95:.1f} ms"
        + (
            " (goal not enforced at --small)"
            if args.small
            else f" < {WORDING_GOAL_MS} ms"
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(
        finish(
            main(),
            goal="every planted broken link found; the wording check p95 "
            f"< {WORDING_GOAL_MS:g} ms (issue 26)",
            profile="sqlite",
        )
    )

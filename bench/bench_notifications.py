"""Benchmark: the applicant notification outbox (issue 16).

Queues --messages e-mail notifications for state changes (受理, 延期, 征求意见
messages, spread over --cases online applications registered through the real
intake path) and drains them with ``outbox.notices_send_due`` — what
``manage.py send_applicant_notices`` and the task worker run — against a real SMTP
server on 127.0.0.1 (aiosmtpd in its own process, accepting and discarding). Then
--replies applications are decided and answered through ``steps.perform``; their
reply e-mails carry the reply letter as PDF (WeasyPrint), timed separately.

Reports: time to queue (the cost inside the officer's step), time to drain, and
messages per second; every message must be accepted by the server (the script
fails otherwise). Fresh database each run: SQLite var/bench/gkbench_notices.sqlite3,
or PostgreSQL gkbench_notices on 127.0.0.1:5432 (--profile postgres); --small uses
gkbench_notices_small.

Goal (issue 16 names what to measure; the figures are set here): every message
queued is accepted by the server (at every size; the script stops with exit 1
otherwise); at the default size, queueing ≥ 30 messages/s (the cost inside the
officer's step stays ~30 ms) and the drain ≥ 30 messages/s (10^4 in under 6 min).
Rates are totals of one run, not percentiles. Exit 0 met, 1 missed or wrong.

    .venv/bin/python bench/bench_notifications.py                  # 10^4 messages, SQLite
    .venv/bin/python bench/bench_notifications.py --profile postgres
    .venv/bin/python bench/bench_notifications.py --small          # smoke test
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from _goals import Goals
from _synthdb import PG, ROOT, _pg_admin, _pg_exists, _pg_ready, machine

KEYS = ("received", "extension", "consultation")
GOAL_QUEUE_PER_S = 30.0
GOAL_DRAIN_PER_S = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_smtp(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("SMTP 监听未能启动。")


def open_database(profile: str, name: str) -> str:
    if profile == "postgres":
        if not _pg_ready():
            raise SystemExit("PostgreSQL（127.0.0.1:5432）不可用。")
        if _pg_exists(name):
            _pg_admin(f'DROP DATABASE "{name}"')
        _pg_admin(f'CREATE DATABASE "{name}"')
        url = f"{PG}/{name}"
    else:
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    os.environ.setdefault("GONGKAI_LOG_LEVEL", "ERROR")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--messages", type=int, default=10_000, help="e-mails to drain (default 10^4)"
    )
    parser.add_argument(
        "--cases", type=int, default=500, help="applications they are spread over"
    )
    parser.add_argument(
        "--replies", type=int, default=20, help="reply e-mails with the PDF letter"
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=500,
        help="messages per drain call (the command's --limit)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="smoke-test size (300 messages, 30 cases, 2 replies)",
    )
    args = parser.parse_args()
    if args.small:
        args.messages, args.cases, args.replies = 300, 30, 2
    # The smoke test (--small) never touches a full run's database.
    url = open_database(
        args.profile, "gkbench_notices_small" if args.small else "gkbench_notices"
    )
    port = free_port()
    smtp = start_smtp(port)
    os.environ.update(
        GONGKAI_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        GONGKAI_EMAIL_HOST="127.0.0.1",
        GONGKAI_EMAIL_PORT=str(port),
    )
    try:
        sys.exit(run(args, url))
    finally:
        smtp.terminate()
        smtp.wait(timeout=10)


def run(args: argparse.Namespace, url: str) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from gongkai.inforequests import letters, steps
    from gongkai.inforequests.intake import Registration
    from gongkai.inforequests.models import ApplicantNotice
    from gongkai.inforequests.notices import notify
    from gongkai.inforequests.outbox import notices_send_due
    from gongkai.inforequests.tests.factories import RESIDENT_ID
    from gongkai.orgs.tests.factories import make_org, make_user

    call_command("migrate", verbosity=0)
    district = make_org("基准区人民政府", kind="district")
    street = make_org("基准街道办事处", district)
    officer = make_user("bench_officer", street, "officer")
    head = make_user("bench_head", street, "head")
    today = date.today()

    def registration(i: int) -> Registration:
        return Registration(
            channel="online",
            submitted_on=today,
            confirmed_on=today,
            applicant_type="natural",
            applicant_name=f"申请人{i}",
            id_type="resident_id",
            id_number=RESIDENT_ID,
            email=f"applicant{i}@example.cn",
            description=f"第{i}件：2026年道路维修项目的招标公告",
            form="electronic",
            delivery="email",
        )

    print(
        f"\n## {args.profile}: {args.messages:,} messages over {args.cases:,} applications"
    )
    goals = Goals(
        "every message accepted by the SMTP server; queue ≥ "
        f"{GOAL_QUEUE_PER_S:g}/s, drain ≥ {GOAL_DRAIN_PER_S:g}/s",
        enforce=not args.small,
        profile=args.profile,
    )
    print(f"machine: {machine()}")
    print(f"database: {url}")
    start = time.perf_counter()
    cases = []
    for i in range(args.cases):
        case, _code, _receipt = letters.register(
            actor=officer, organisation=street, registration=registration(i)
        )  # queues the 受理 message
        cases.append(case)
    register_s = time.perf_counter() - start
    start = time.perf_counter()
    queued = ApplicantNotice.objects.count()
    i = 0
    while queued < args.messages:
        with transaction.atomic():
            for _ in range(min(500, args.messages - queued)):
                notify(cases[i % len(cases)], KEYS[i % len(KEYS)])
                i += 1
                queued += 1
    queue_s = time.perf_counter() - start
    total = ApplicantNotice.objects.count()
    goals.check(
        total == args.messages, f"{total:,} messages queued of {args.messages:,}"
    )
    print("| phase | messages | time | messages/s |")
    print("|---|---:|---:|---:|")
    print(
        f"| register {args.cases} applications (incl. 接收回执 and 已收到 message) | {args.cases:,} | "
        f"{register_s:.2f} s | {args.cases / register_s:,.0f} |"
    )
    print(
        f"| queue (notify, in batches of 500 per transaction) | {i:,} | {queue_s:.2f} s | {i / queue_s:,.0f} |"
    )
    start = time.perf_counter()
    sent = 0
    while True:
        report = notices_send_due(limit=args.batch)
        sent += report.sent
        if report.retried or report.failed:
            raise SystemExit(f"发送失败：{report}")
        if not report.sent:
            break
    drain_s = time.perf_counter() - start
    goals.check(sent == total, f"{sent:,} of {total:,} messages accepted by the server")
    goals.check(
        not ApplicantNotice.objects.exclude(state="sent").exists(),
        "no message left unsent in the outbox",
    )
    goals.target(i / queue_s >= GOAL_QUEUE_PER_S, f"queue {i / queue_s:,.0f}/s")
    goals.target(sent / drain_s >= GOAL_DRAIN_PER_S, f"drain {sent / drain_s:,.0f}/s")
    print(
        f"| drain to SMTP (send_applicant_notices, --limit {args.batch}) | {sent:,} | {drain_s:.2f} s | {sent / drain_s:,.0f} |"
    )

    if args.replies:
        for case in cases[: args.replies]:
            case = steps.perform("accept", actor=officer, request=case, data={})
            case = steps.perform(
                "decide",
                actor=officer,
                request=case,
                data={
                    "outcome": "granted",
                    "details": {"provision": "在线提供电子文件"},
                },
            )
            steps.perform("send_reply", actor=head, request=case, data={})
        waiting = ApplicantNotice.objects.filter(state="pending").count()
        start = time.perf_counter()
        report = notices_send_due(limit=args.batch)
        reply_s = time.perf_counter() - start
        goals.check(
            report.sent == waiting >= args.replies
            and not report.failed
            and not report.retried,
            f"{report.sent} of {waiting} reply e-mails sent",
        )
        print(
            f"| drain reply e-mails with the PDF letter attached | {report.sent:,} | "
            f"{reply_s:.2f} s | {report.sent / reply_s:,.1f} |"
        )
    return goals.verdict()


if __name__ == "__main__":
    main()

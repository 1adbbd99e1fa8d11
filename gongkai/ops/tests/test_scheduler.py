"""Issue 23 §2: the periodic jobs, declared once, run by the task worker; exactly one
host starts each due run; the 定时任务 page; systemd timers from the same list."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_record
from gongkai.ops.jobs import BY_NAME, JOBS
from gongkai.ops.models import ScheduledJob
from gongkai.ops.scheduler import job_run, scheduler_tick
from gongkai.orgs.tests.factories import make_user

ROOT = Path(__file__).resolve().parents[3]
MINUTE_JOBS = {
    "publish_scheduled",
    "send_channel_outbox",
    "send_outbox",
    "send_applicant_notices",
}
# Jobs with an interval (not a time of day) are due at the first tick.
HOURLY_JOBS = {"probe_home_pages"}
FIRST_TICK_JOBS = MINUTE_JOBS | HOURLY_JOBS


def test_every_job_is_a_management_command_and_named_once() -> None:
    commands = get_commands()
    assert [j.name for j in JOBS if j.name not in commands] == []
    assert len(BY_NAME) == len(JOBS)
    # The jobs the issue lists: none may go missing from the declaration again.
    assert {
        "publish_scheduled",
        "send_channel_outbox",
        "send_outbox",
        "send_applicant_notices",
        "send_deadline_reminders",
        "send_escalations",
        "rebuild_request_tallies",
        "audit_verify",
        "backup",
        "clearsessions",
    } <= set(BY_NAME)


@pytest.mark.django_db
def test_a_tick_starts_each_due_job_once_and_daily_jobs_at_their_hour() -> None:
    tz = timezone.get_current_timezone()
    t0 = datetime.datetime(2026, 12, 7, 10, 0, 5, tzinfo=tz)
    queued: list[str] = []
    assert set(scheduler_tick(queued.append, now=t0)) == FIRST_TICK_JOBS
    assert scheduler_tick(queued.append, now=t0 + datetime.timedelta(seconds=30)) == []
    again = scheduler_tick(
        queued.append, now=t0 + datetime.timedelta(minutes=1, seconds=1)
    )
    assert set(again) == MINUTE_JOBS
    # The backup is due at 01:30 local time the next day, not before.
    night = datetime.datetime(2026, 12, 8, 1, 29, tzinfo=tz)
    assert "backup" not in scheduler_tick(queued.append, now=night)
    later = scheduler_tick(queued.append, now=night + datetime.timedelta(minutes=1))
    assert "backup" in later
    assert queued.count("backup") == 1


@pytest.mark.django_db
def test_a_run_records_its_result_duration_and_failure() -> None:
    audit_record(action="test.one", details={"n": 1})
    result = job_run("audit_verify")
    assert result.ok, result.output
    row = ScheduledJob.objects.get(name="audit_verify")
    assert (row.last_ok, row.runs, row.failures) == (True, 1, 0)
    assert row.last_duration_ms is not None and row.last_finished_at is not None
    assert "审计日志完好" in row.last_result
    # A forged row: the job fails and says why.
    AuditEvent.objects.filter(action="test.one").update(action="test.forged")
    assert not job_run("audit_verify").ok
    row.refresh_from_db()
    assert (row.last_ok, row.runs, row.failures) == (False, 2, 1)
    assert "审计日志校验失败" in row.last_result


def _clean_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        GONGKAI_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
    )
    return env


def _postgres_url(name: str) -> str | None:
    if not shutil.which("psql"):
        return None
    base = "postgres://postgres@127.0.0.1:5432"
    made = subprocess.run(
        [
            "psql",
            f"{base}/postgres",
            "-qc",
            f'DROP DATABASE IF EXISTS "{name}"',
            "-c",
            f'CREATE DATABASE "{name}"',
        ],
        capture_output=True,
        text=True,
    )
    return f"{base}/{name}" if made.returncode == 0 else None


def _drop(url: str) -> None:
    base, name = url.rsplit("/", 1)
    subprocess.run(
        ["psql", f"{base}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'],
        capture_output=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_concurrent_schedulers_on_several_hosts_start_each_due_run_once(
    tmp_path: Path, engine: str, request: pytest.FixtureRequest
) -> None:
    if engine == "sqlite":
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    else:
        url = _postgres_url(f"gongkai_ops_sched_{os.getpid()}") or ""
        if not url:
            pytest.skip("PostgreSQL 127.0.0.1:5432 is not available")
    env = _clean_env(tmp_path, url)
    manage = [sys.executable, "manage.py"]
    migrated = subprocess.run(
        [*manage, "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    hosts = [
        subprocess.Popen(
            [*manage, "scheduler", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    outputs = [p.communicate(timeout=120) for p in hosts]
    if engine == "postgresql":
        request.addfinalizer(lambda: _drop(url))
    assert all(p.returncode == 0 for p in hosts), outputs
    count = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django_tasks_db.models import DBTaskResult as R;"
            "import collections;"
            "print(sorted(collections.Counter(r.args_kwargs['args'][0] for r in R.objects.all()).items()))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert count.returncode == 0, count.stderr
    assert count.stdout.strip().splitlines()[-1] == str(
        sorted((name, 1) for name in FIRST_TICK_JOBS)
    )


def test_scheduler_units_are_valid_systemd_units_from_the_declaration(
    tmp_path: Path,
) -> None:
    call_command("scheduler_units", "--output", str(tmp_path), "--workdir", str(ROOT))
    timers = sorted(p.name for p in tmp_path.glob("*.timer"))
    enabled = [j for j in JOBS if j.enabled()]
    assert len(timers) == len(enabled)
    backup = (tmp_path / "gongkai-job-backup.timer").read_text(encoding="utf-8")
    assert "OnCalendar=*-*-* 01:30:00" in backup
    notices = (tmp_path / "gongkai-job-send-applicant-notices.timer").read_text(
        encoding="utf-8"
    )
    assert "OnUnitActiveSec=60s" in notices
    service = (tmp_path / "gongkai-job-backup.service").read_text(encoding="utf-8")
    assert "manage.py scheduler --run backup" in service
    if shutil.which("systemd-analyze"):
        checked = subprocess.run(
            ["systemd-analyze", "verify", *map(str, sorted(tmp_path.glob("*.timer")))],
            capture_output=True,
            text=True,
        )
        # Unknown users or a missing python on this machine are not unit errors.
        errors = [
            line
            for line in checked.stderr.splitlines()
            if "Unknown" in line or "Invalid" in line or "Failed to parse" in line
        ]
        assert errors == []


@pytest.mark.django_db
def test_the_jobs_page_is_for_a_top_body_system_administrator(client, tree) -> None:
    job_run("audit_verify")
    url = "/admin/ops/scheduledjob/"
    client.force_login(tree.sysadmin)  # 系统管理员 of the district, a root
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "校验审计日志哈希链" in text and "每天 03:00" in text and "成功" in text
    street_admin = make_user(
        "t_street_sysadmin", tree.street, "sysadmin", is_staff=True
    )
    client.force_login(street_admin)
    assert client.get(url).status_code == 403
    client.force_login(tree.officer)
    assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_the_jobs_page_names_every_job_in_chinese(client, tree) -> None:
    import re

    job_run("audit_verify")
    for job in JOBS:
        ScheduledJob.objects.get_or_create(name=job.name)
    client.force_login(tree.sysadmin)
    page = client.get("/admin/ops/scheduledjob/")
    assert page.status_code == 200
    text = page.content.decode()
    # The 任务 column: one Chinese name per job, never the command's code name.
    cells = re.findall(r'<th class="field-job">(?:<a [^>]*>)?([^<]*)<', text)
    assert cells and all(re.search(r"[\u4e00-\u9fff]", c) for c in cells), cells
    for job in JOBS:
        assert job.name not in text, job.name
        assert re.search(r"[\u4e00-\u9fff]", job.title)
        assert not re.search(r"[A-Z]{2,}_[A-Z_]+", job.title), job.title  # no setting
    from gongkai.ops.models import JOB_LABELS

    assert set(JOB_LABELS) == set(BY_NAME)  # a new job gets its name too
    row = ScheduledJob.objects.get(name="audit_verify")
    change = client.get(f"/admin/ops/scheduledjob/{row.pk}/change/").content.decode()
    assert "audit_verify" not in change and "worker" not in change

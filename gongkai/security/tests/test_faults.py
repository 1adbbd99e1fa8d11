"""Faults: a crash or a killed process mid-submission leaves no partial case; the
app reconnects after PostgreSQL drops its connection; a full disk is explained."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.inforequests.models import InfoRequest, RequestSequence
from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.portal.tests.test_portal import read_captcha

ROOT = Path(__file__).resolve().parents[3]


def _application(answer: dict[str, str]) -> dict[str, str]:
    return {
        "applicant_type": "natural",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13800001111",
        "description": "2026年道路维修项目的招标公告",
        "form": "electronic",
        "delivery": "email",
        **answer,
    }


@pytest.mark.django_db
def test_a_crash_after_the_case_row_is_written_leaves_no_partial_case(client, tree):
    """The audit write is the last step of registration: failing there must undo all."""
    answer = read_captcha(
        client.get(reverse("portal:apply", args=[tree.street.pk])).content.decode()
    )
    client.raise_request_exception = False
    inserted: list[int] = []
    real_save = AuditEvent.save

    def crash(self, *args, **kwargs):
        if self.action == "inforequest.register":
            inserted.append(InfoRequest.objects.count())  # the row exists right now
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, *args, **kwargs)

    with mock.patch.object(AuditEvent, "save", crash):
        response = client.post(
            reverse("portal:apply", args=[tree.street.pk]), _application(answer)
        )
    assert inserted == [1]
    assert response.status_code == 500 and "服务器出错了" in response.content.decode()
    assert InfoRequest.objects.count() == 0
    assert not RequestSequence.objects.filter(last__gt=0).exists()
    assert not AuditEvent.objects.filter(action="inforequest.register").exists()


KILL_SCRIPT = """
import os
from gongkai.audit.models import AuditEvent
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.intake import inforequest_register
from gongkai.inforequests.tests.factories import registration
from gongkai.orgs.models import Organisation
real = AuditEvent.save
def die(self, *a, **k):
    if self.action == "inforequest.register":
        assert InfoRequest.objects.count() == 1  # inserted, not yet committed
        os._exit(137)                            # the process dies like kill -9
    return real(self, *a, **k)
AuditEvent.save = die
inforequest_register(
    actor=None,
    organisation=Organisation.objects.get(name="杀进程测试街道"),
    registration=registration(channel="online", submitted_on=__import__("datetime").date.today(), confirmed_on=__import__("datetime").date.today()),
    from_portal=True,
)
"""

SETUP_SCRIPT = """
from gongkai.orgs.tests.factories import make_org
make_org("杀进程测试街道")
"""

COUNT_SCRIPT = """
from gongkai.inforequests.models import InfoRequest
from django.db import connection
with connection.cursor() as c:
    c.execute("PRAGMA integrity_check" if connection.vendor == "sqlite" else "SELECT 'ok'")
    ok = c.fetchone()[0]
print("RESULT", InfoRequest.objects.count(), ok)
"""


def _manage(env, *args, ok=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_killing_the_process_mid_submission_leaves_no_partial_case(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_") and k != "DATABASE_URL"
    }
    env["GONGKAI_VAR_DIR"] = str(tmp_path)
    _manage(env, "migrate", "--no-input")
    _manage(env, "shell", "-c", SETUP_SCRIPT)
    killed = _manage(env, "shell", "-c", KILL_SCRIPT, ok=False)
    assert killed.returncode == 137, killed.stderr
    result = _manage(env, "shell", "-c", COUNT_SCRIPT).stdout
    line = next(x for x in result.splitlines() if x.startswith("RESULT"))
    assert line.split()[1:] == ["0", "ok"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL)",
)
def test_the_app_reconnects_after_postgresql_drops_the_connection(client, settings):
    import psycopg

    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    settings.PORTAL_CACHE_SECONDS = 0  # each request must reach the database
    old_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 600  # persistent, as in production
    try:
        connection.close()
        assert client.get("/gk/").status_code == 200
        pid = connection.connection.info.backend_pid
        url = os.environ["DATABASE_URL"]
        with psycopg.connect(
            url.rsplit("/", 1)[0] + "/postgres", autocommit=True
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        # What Django does when each request starts (the test client skips it).
        close_old_connections()
        assert client.get("/gk/").status_code == 200
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = old_age


# transaction=True: an online SQLite backup waits forever on the test's own open
# transaction (the test database is a shared-cache in-memory database).
@pytest.mark.django_db(transaction=True)
def test_a_full_disk_during_backup_is_explained_and_leaves_nothing(tmp_path, settings):
    from gongkai.security.backup import BackupError, backup_create

    settings.MEDIA_ROOT = tmp_path / "media"
    with (
        mock.patch(
            "gongkai.security.backup._tar_media",
            side_effect=OSError(errno.ENOSPC, "No space left on device"),
        ),
        pytest.raises(BackupError) as info,
    ):
        backup_create(tmp_path / "backups")
    assert "磁盘空间不足" in str(info.value)
    assert list((tmp_path / "backups").iterdir()) == []


@pytest.mark.django_db
def test_sqlite_reporting_a_full_disk_is_explained_too(tmp_path, settings):
    import sqlite3

    from gongkai.security.backup import BackupError, backup_create

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    settings.MEDIA_ROOT = tmp_path / "media"
    with (
        mock.patch(
            "gongkai.security.backup.sqlite3.connect",
            side_effect=sqlite3.OperationalError("database or disk is full"),
        ),
        pytest.raises(BackupError) as info,
    ):
        backup_create(tmp_path / "backups")
    assert "磁盘空间不足" in str(info.value)
    assert list((tmp_path / "backups").iterdir()) == []

"""Issue 23, "Done when": from an empty database with production settings to a working
body — keys from generate_keys, bootstrap_org, a tree imported and a role granted in
the back office, an application received online, and the receipt mail sent by the
scheduler's job in ``manage.py worker`` to a real SMTP listener on 127.0.0.1.

Every step runs in its own process with the production settings (DEBUG off, HTTPS
redirect, HSTS, secure cookies), as on a server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.inforequests.tests.local_servers import SmtpListener
from gongkai.ops.tests.test_keys_and_env_file import systemd_environment_file

ROOT = Path(__file__).resolve().parents[3]

BACK_OFFICE = r"""
import json, re, sys
import django
django.setup()
from django.test import Client
from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation, Membership

top = Organisation.objects.get(depth=0)
admin = Client(secure=True, headers={"X-Forwarded-Proto": "https"})
admin.force_login(User.objects.get(username="admin"))
csv_text = (
    "机构全称,机构类型,上级机构\n"
    "东城区人民政府,县（区）级人民政府," + top.name + "\n"
    "东城街道办事处,街道办事处,东城区人民政府\n"
    "幸福社区居民委员会,社区（居委会）,东城街道办事处\n"
)
from django.core.files.uploadedfile import SimpleUploadedFile
preview = admin.post("/admin/orgs/organisation/import/",
                     {"file": SimpleUploadedFile("tree.csv", csv_text.encode("utf-8"))})
assert "确认导入这 3 个机构" in preview.content.decode(), (preview.status_code, preview.get("Location"), preview.content.decode()[-3000:])
done = admin.post("/admin/orgs/organisation/import/", {"confirm": "1"})
assert done.status_code == 302, done.status_code
street = Organisation.objects.get(name="东城街道办事处")
made = admin.post("/admin/accounts/user/add/", {
    "username": "officer1", "password1": "Officer-pass-2026!", "password2": "Officer-pass-2026!",
    "usable_password": "true",
})
assert made.status_code == 302, made.content.decode()[-3000:]
officer = User.objects.get(username="officer1")
granted = admin.post("/admin/orgs/membership/add/",
                     {"user": officer.pk, "organisation": street.pk, "role": "officer"})
assert granted.status_code == 302, granted.content.decode()[-3000:]
assert Membership.objects.filter(user=officer, organisation=street, role="officer").exists()

citizen = Client(secure=True, headers={"X-Forwarded-Proto": "https"})
page = citizen.get(f"/gk/{street.pk}/apply/").content.decode()
a, b = re.search(r"(\d+) 加 (\d+) 等于几", page).groups()
token = re.search(r'name="captcha_token" value="([^"]+)"', page)
form = {
    "applicant_type": "natural", "applicant_name": "李四", "id_type": "resident_id",
    "id_number": sys.argv[1], "phone": "", "email": "lisi@example.cn", "address": "",
    "postcode": "", "legal_representative": "", "contact_person": "",
    "description": "2026年东城街道道路维修项目的招标公告", "form": "electronic",
    "delivery": "email", "website": "", "captcha": str(int(a) + int(b)),
}
if token:
    form["captcha_token"] = token.group(1)
sent = citizen.post(f"/gk/{street.pk}/apply/", form, follow=True)
tracking = re.search(r'id="tracking">([^<]+)<', sent.content.decode()).group(1)
# The web step queued a drain task; drop it, as if that enqueue had been lost: the
# scheduler's periodic job must send the receipt on its own.
from django_tasks_db.models import DBTaskResult
DBTaskResult.objects.all().delete()
print(json.dumps({"tracking": tracking}))
"""


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_")
        # The browser tests' live server sets DJANGO_ALLOW_ASYNC_UNSAFE in this
        # process; production never has it (check --deploy refuses it).
        and k
        not in (
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }


@pytest.mark.slow
def test_from_an_empty_database_to_a_receipt_mail_with_production_settings(
    tmp_path: Path,
) -> None:
    from gongkai.inforequests.tests.factories import RESIDENT_ID

    manage = [sys.executable, str(ROOT / "manage.py")]
    base = _clean_env() | {
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings",
    }

    def run(env: dict[str, str], *args: str) -> str:
        done = subprocess.run(
            [*args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done.stdout

    keys = tmp_path / "keys.env"
    run(
        base | {"GONGKAI_VAR_DIR": str(tmp_path / "scratch")},
        *manage,
        "generate_keys",
        "-o",
        str(keys),
    )
    with SmtpListener() as smtp:
        env = (
            base
            | systemd_environment_file(keys.read_text(encoding="utf-8"))
            | {
                "GONGKAI_PRODUCTION": "true",
                "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn,testserver",
                "GONGKAI_VAR_DIR": str(tmp_path / "var"),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'gongkai.sqlite3'}",
                "GONGKAI_EMAIL_HOST": "127.0.0.1",
                "GONGKAI_EMAIL_PORT": str(smtp.port),
                "GONGKAI_PUBLIC_URL": "https://gk.example.gov.cn",
            }
        )
        run(env, *manage, "check", "--deploy", "--fail-level", "ERROR")
        run(env, *manage, "migrate", "-v0")
        run(env, *manage, "collectstatic", "--noinput", "-v0")
        out = run(
            env,
            *manage,
            "bootstrap_org",
            "--name",
            "测试市人民政府",
            "--kind",
            "city",
            "--sysadmin",
            "admin",
            "--secadmin",
            "secadmin",
            "--auditor",
            "auditor",
        )
        assert "已创建最上级机构" in out
        script = tmp_path / "back_office.py"
        script.write_text(BACK_OFFICE, encoding="utf-8")
        tracking = json.loads(
            run(env, sys.executable, str(script), RESIDENT_ID).strip().splitlines()[-1]
        )["tracking"]
        assert smtp.messages == []  # nothing is sent inside the web step
        worker = subprocess.Popen(
            [*manage, "worker", "--tick", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while not smtp.messages and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            worker.terminate()
            log = worker.communicate(timeout=60)[0]
        assert smtp.messages, log[-3000:]
        (message,) = smtp.messages
        assert (
            tracking in message["Subject"] and "已收到" in message["Subject"]
        )  # received, not yet 受理
        assert smtp.recipients == [["lisi@example.cn"]]
        state = run(
            env,
            *manage,
            "shell",
            "-c",
            "from gongkai.ops.models import ScheduledJob as J;"
            "j = J.objects.get(name='send_applicant_notices');"
            "print(j.last_ok, j.runs >= 1, '已发送 1 条' in J.objects.filter(last_result__contains='已发送 1 条').values_list('last_result', flat=True).first() or '')",
        )
        assert state.strip().splitlines()[-1].startswith("True True")

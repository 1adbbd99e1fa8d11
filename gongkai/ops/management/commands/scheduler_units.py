"""systemd timer units for the periodic jobs, from the one declaration (jobs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.ops.jobs import JOBS, Job


def service_unit(job: Job, *, user: str, workdir: str, env_files: list[str]) -> str:
    environment = "".join(f"EnvironmentFile={path}\n" for path in env_files)
    return (
        "[Unit]\n"
        f"Description=Gongkai periodic job {job.name}\n"
        "After=network-online.target postgresql.service redis-server.service\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"User={user}\n"
        f"Group={user}\n"
        f"WorkingDirectory={workdir}\n"
        f"{environment}"
        f"ExecStart={workdir}/.venv/bin/python manage.py scheduler --run {job.name}\n"
        "NoNewPrivileges=true\n"
        "PrivateTmp=true\n"
    )


def timer_unit(job: Job) -> str:
    if job.at is not None:
        when = f"OnCalendar=*-*-* {job.at:%H:%M}:00\nPersistent=true\n"
    else:
        seconds = int(job.every.total_seconds())
        when = f"OnBootSec={seconds}s\nOnUnitActiveSec={seconds}s\n"
    return (
        "[Unit]\n"
        f"Description=Gongkai periodic job {job.name} ({job.interval_label})\n\n"
        "[Timer]\n"
        f"{when}"
        "AccuracySec=1s\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


class Command(BaseCommand):
    help = (
        "生成 systemd 定时器单元（每个定时任务一对 gongkai-job-<任务>.service/.timer），"
        "间隔取自同一份任务声明。使用定时器时，任务进程须以 manage.py worker --no-scheduler 运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", required=True, help="写入单元文件的目录")
        parser.add_argument(
            "--user", default="gongkai", help="运行账号（默认 gongkai）"
        )
        parser.add_argument("--workdir", default="/srv/gongkai", help="程序目录")
        parser.add_argument(
            "--env-file",
            action="append",
            default=None,
            help="EnvironmentFile（可多次给出；默认 /etc/gongkai/gongkai.env 和 keys.env）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["output"])
        if not out.is_dir():
            raise CommandError(f"目录 {out} 不存在。")
        env_files = options["env_file"] or [
            "/etc/gongkai/gongkai.env",
            "/etc/gongkai/keys.env",
        ]
        names = []
        for job in JOBS:
            if not job.enabled():
                continue
            base = f"gongkai-job-{job.name.replace('_', '-')}"
            (out / f"{base}.service").write_text(
                service_unit(
                    job,
                    user=options["user"],
                    workdir=options["workdir"],
                    env_files=env_files,
                ),
                encoding="utf-8",
            )
            (out / f"{base}.timer").write_text(timer_unit(job), encoding="utf-8")
            names.append(f"{base}.timer")
        self.stdout.write(
            f"已生成 {len(names)} 个定时器。安装：cp {out}/gongkai-job-* /etc/systemd/system/ && "
            f"systemctl daemon-reload && systemctl enable --now {' '.join(names)}"
        )

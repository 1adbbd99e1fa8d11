"""The nginx site for Debian 12's nginx, with the real-IP settings for a load balancer
(gongkai/ops/nginx.py; docs/deploy.md, "nginx")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.config.env import env_int
from gongkai.ops.nginx import (
    NginxSite,
    body_limit_mb,
    check_networks,
    read_timeout_s,
    server_names,
    site_config,
    standalone_config,
)


class Command(BaseCommand):
    help = (
        "生成 nginx 站点配置（Debian 12 的 nginx 1.22）；--load-balancer 给出负载均衡器的网段时"
        "只信任来自这些网段的 X-Forwarded-For。--standalone 生成可用 nginx -t 检查的完整配置。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="写入该文件（默认输出到屏幕）")
        parser.add_argument(
            "--server-name",
            action="append",
            dest="server_names",
            help="域名，可重复（默认 GONGKAI_ALLOWED_HOSTS）",
        )
        parser.add_argument(
            "--upstream",
            action="append",
            dest="upstreams",
            help="gunicorn 地址 host:port，可重复（默认 127.0.0.1:8000）",
        )
        parser.add_argument(
            "--load-balancer",
            action="append",
            dest="load_balancers",
            default=[],
            help="负载均衡器的网段（CIDR），可重复",
        )
        parser.add_argument("--static-root", default=str(settings.STATIC_ROOT))
        parser.add_argument("--certificate", default="/etc/ssl/gongkai/fullchain.pem")
        parser.add_argument("--certificate-key", default="/etc/ssl/gongkai/privkey.pem")
        parser.add_argument("--http-port", type=int, default=80)
        parser.add_argument("--https-port", type=int, default=443)
        parser.add_argument(
            "--standalone",
            metavar="目录",
            help="生成完整的 nginx.conf，pid、日志和临时文件都在该目录下（用于 nginx -t）",
        )
        parser.add_argument("--mime-types", default="/etc/nginx/mime.types")

    def handle(self, *args: Any, **options: Any) -> None:
        names = server_names(options["server_names"] or settings.ALLOWED_HOSTS)
        if not names:
            raise CommandError(
                "请用 --server-name 给出域名（或设置 GONGKAI_ALLOWED_HOSTS）。"
            )
        try:
            balancers = check_networks(options["load_balancers"])
        except ValueError as exc:
            raise CommandError(f"--load-balancer 不是有效的网段：{exc}") from exc
        try:  # gunicorn reads it from the environment (gongkai/config/gunicorn.py)
            web_timeout = env_int("GONGKAI_WEB_TIMEOUT", 60, minimum=1)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        site = NginxSite(
            server_names=names,
            upstreams=options["upstreams"] or ["127.0.0.1:8000"],
            static_root=options["static_root"],
            certificate=options["certificate"],
            certificate_key=options["certificate_key"],
            load_balancers=balancers,
            http_port=options["http_port"],
            https_port=options["https_port"],
            max_body_mb=body_limit_mb(settings.UPLOAD_MAX_MB),
            read_timeout_s=read_timeout_s(web_timeout),
        )
        if options["standalone"]:
            text = standalone_config(
                site,
                prefix=str(Path(options["standalone"]).resolve()),
                mime_types=options["mime_types"],
            )
        else:
            text = site_config(site)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {options['output']}")
        else:
            self.stdout.write(text, ending="")

"""First start of a production platform: the top body and its administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.catalogue_templates import template_choices
from gongkai.orgs.bootstrap import Administrator, bootstrap_platform
from gongkai.orgs.models import Organisation, Role

KINDS = "、".join(f"{value}（{label}）" for value, label in Organisation.Kind.choices)


class Command(BaseCommand):
    help = (
        "在空数据库上创建最上级机构及其管理员（三权分立：系统管理员，另可设安全管理员、"
        "审计管理员），各账号获得随机临时密码，首次登录须修改密码并绑定动态口令。"
        "此后的机构树、岗位授权由系统管理员在后台“系统管理”中完成（可从 Excel/CSV 导入）。"
        "示例：manage.py bootstrap_org --name 某某市人民政府 --kind city "
        "--sysadmin admin --secadmin secadmin --auditor auditor"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="最上级机构全称")
        parser.add_argument("--kind", required=True, help=f"机构类型：{KINDS}")
        parser.add_argument("--short-name", default="", help="简称")
        parser.add_argument("--credit-code", default="", help="统一社会信用代码")
        parser.add_argument(
            "--catalogue-template",
            default="",
            help="标准目录模板："
            + "、".join(f"{key}（{label}）" for key, label in template_choices())
            + "；留空则按机构类型选择",
        )
        parser.add_argument("--sysadmin", required=True, help="系统管理员的用户名")
        parser.add_argument("--sysadmin-name", default="", help="系统管理员姓名")
        parser.add_argument(
            "--secadmin", default="", help="安全管理员的用户名（建议设置）"
        )
        parser.add_argument("--secadmin-name", default="", help="安全管理员姓名")
        parser.add_argument(
            "--auditor", default="", help="审计管理员的用户名（建议设置）"
        )
        parser.add_argument("--auditor-name", default="", help="审计管理员姓名")

    def handle(self, *args: Any, **options: Any) -> None:
        admins = [
            Administrator(Role.SYSADMIN, options["sysadmin"], options["sysadmin_name"])
        ]
        for role, key in ((Role.SECADMIN, "secadmin"), (Role.AUDITOR, "auditor")):
            if options[key]:
                admins.append(Administrator(role, options[key], options[f"{key}_name"]))
        kind = options["kind"]
        by_label = {label: value for value, label in Organisation.Kind.choices}
        kind = by_label.get(kind, kind)
        if kind not in Organisation.Kind.values:
            raise CommandError(f"机构类型“{options['kind']}”无效，应为：{KINDS}。")
        try:
            top = bootstrap_platform(
                name=options["name"],
                kind=kind,
                short_name=options["short_name"],
                credit_code=options["credit_code"],
                catalogue_template=options["catalogue_template"],
                administrators=admins,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"已创建最上级机构“{top.name}”（编号 {top.pk}）。")
        )
        self.stdout.write("管理员账号及临时密码（只显示这一次；首次登录须修改）：")
        for admin in admins:
            self.stdout.write(
                f"  {Role(admin.role).label}\t{admin.username}\t{admin.password}"
            )

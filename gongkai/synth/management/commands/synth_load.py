"""manage.py synth_load: fill the database with a synthetic province (benchmarks)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.synth.load import SynthSize, synth_load


class Command(BaseCommand):
    help = "载入合成数据（一个虚构的省）：机构树、依申请公开、主动公开（含检索索引）、复议诉讼、登记簿。仅用于基准测试。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, default=200, help="机构数（默认 200）")
        parser.add_argument(
            "--applications", type=int, default=2000, help="申请件数（默认 2000）"
        )
        parser.add_argument(
            "--publications",
            type=int,
            default=2000,
            help="主动公开信息条数（默认 2000）",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=20261125,
            help="随机种子（相同种子得到相同数据）",
        )
        parser.add_argument(
            "--first-year", type=int, default=2021, help="最早年份（默认 2021）"
        )
        parser.add_argument("--batch", type=int, default=2000, help="每批写入行数")
        parser.add_argument(
            "--no-index", action="store_true", help="不写入全文检索索引"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        size = SynthSize(
            orgs=opts["orgs"],
            applications=opts["applications"],
            publications=opts["publications"],
            seed=opts["seed"],
            first_year=opts["first_year"],
        )
        self.stdout.write(
            f"载入合成数据：机构 {size.orgs:,}，申请 {size.applications:,}，主动公开 {size.publications:,}，种子 {size.seed}"
        )
        result = synth_load(
            size, batch=opts["batch"], index=not opts["no_index"], log=self.stdout.write
        )
        total = sum(result.seconds.values())
        self.stdout.write(f"完成：根机构 id={result.root_id}，共 {total:.1f} 秒")

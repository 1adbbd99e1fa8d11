"""The `gongkai` command line.

Each command group lives in its own module exposing ``register(subparsers)``;
the module adds its sub-commands and sets ``func`` on each parser. Groups that
need the database set up Django themselves (see ``gongkai.cli._django``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# (module, help) — the order is the order shown by `gongkai --help`.
_GROUPS: tuple[str, ...] = (
    "gongkai.cli.report",
    "gongkai.cli.workdays",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description="Gongkai（公开）命令行：年报解析与审核、工作日与法定期限计算。",
    )
    subparsers = parser.add_subparsers(dest="group", metavar="命令")
    for module_name in _GROUPS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

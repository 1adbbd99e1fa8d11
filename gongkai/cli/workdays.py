"""`gongkai workdays|deadline|calendar`: working days, deadline ledgers, holiday notices.

Bad input prints a Chinese message on stderr and exits with 2 (no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from gongkai.core.workdays import (
    CalendarRangeError,
    DeadlineSettings,
    LedgerError,
    NoticeParseError,
    ParsedNotice,
    StartDayConvention,
    WorkCalendar,
    calendar_from_sources,
    compute_ledger,
    default_calendar,
    explain_for_applicant,
    explain_for_staff,
    ledger_input_from_json,
    ledger_to_json,
    package_year,
    parse_notice,
)
from gongkai.core.workdays.explain import fmt
from gongkai.core.workdays.notice import notice_year
from gongkai.core.workdays.sources import SOURCE_LABELS

EXIT_BAD_INPUT = 2
SAVE_SERVICE = "gongkai.calendars.services"


class _BadInput(Exception):
    """Input the user must fix; the message is Chinese."""


def _date_arg(text: str, what: str = "日期") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _BadInput(f"{what}格式应为 YYYY-MM-DD：{text}") from None


def _int_arg(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _BadInput(f"{what}应为整数：{text}") from None


def _today_in_china() -> date:
    """Today in China Standard Time: deadlines are Beijing dates, whatever the server's zone."""
    return datetime.now(tz=ZoneInfo("Asia/Shanghai")).date()


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _guarded(func: Any) -> Any:
    """Turn expected input errors into a Chinese message and exit code 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except (_BadInput, LedgerError, NoticeParseError, CalendarRangeError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_BAD_INPUT

    return run


def _provisional_note(cal: WorkCalendar, a: date, b: date) -> str:
    years = cal.provisional_years(a, b)
    if not years:
        return ""
    listed = "、".join(str(y) for y in years)
    return f"【临时】{listed}年官方节假日安排未录入，按法定节日推算，节日前后可能调休上班的周末先按工作日计算（期限只会提前，不会推后）"


def _calendar(args: argparse.Namespace) -> WorkCalendar:
    """The default calendar, with any ``--notice`` files taking precedence for their year."""
    files: list[str] = getattr(args, "notice", None) or []
    if not files:
        return default_calendar()
    admin = {}
    for path in files:
        text = _read_text(path)
        year = notice_year(text)
        if year is None:
            raise _BadInput(
                f"无法从通知标题判断年份（需要“国务院办公厅关于YYYY年部分节假日安排的通知”）：{path}"
            )
        admin[year] = parse_notice(text, year).to_calendar_year()
    return calendar_from_sources(admin)


def _add_notice_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--notice",
        action="append",
        metavar="FILE.txt",
        help="使用该节假日安排通知（年份取自标题），优先于内置数据；可多次指定",
    )


# -- workdays ---------------------------------------------------------------


def _cmd_add(args: argparse.Namespace) -> int:
    start = _date_arg(args.date)
    n = _int_arg(args.n, "工作日数 N")
    cal = _calendar(args)
    result = cal.add_working_days(start, n)
    note = _provisional_note(cal, start, result)
    if args.json:
        _print_json(
            {
                "start": start.isoformat(),
                "n": n,
                "result": result.isoformat(),
                "provisional": bool(note),
            }
        )
        return 0
    print(f"{result.isoformat()}  {fmt(result)}" + (f"  {note}" if note else ""))
    return 0


def _cmd_between(args: argparse.Namespace) -> int:
    a, b = _date_arg(args.a, "起始日期"), _date_arg(args.b, "结束日期")
    cal = _calendar(args)
    n = cal.working_days_between(a, b)
    note = _provisional_note(cal, a, b)
    if args.json:
        _print_json(
            {
                "a": a.isoformat(),
                "b": b.isoformat(),
                "working_days": n,
                "provisional": bool(note),
            }
        )
        return 0
    print(f"{n}" + (f"  {note}" if note else ""))
    return 0


# -- deadline ---------------------------------------------------------------


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    p = Path(path)
    if not p.is_file():
        raise _BadInput(f"找不到文件：{path}")
    raw = p.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _BadInput(f"无法识别文件编码（应为 UTF-8 或 GB18030）：{path}")


def _cmd_explain(args: argparse.Namespace) -> int:
    text = _read_text(args.file)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _BadInput(
            f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}"
        ) from None
    data = ledger_input_from_json(raw)
    today = (
        _date_arg(args.today, "--today")
        if args.today
        else (data.today or _today_in_china())
    )
    settings = data.settings
    if args.start_day:
        settings = DeadlineSettings(
            start_day=StartDayConvention(args.start_day),
            pause_for_fee=settings.pause_for_fee,
            due_soon_working_days=settings.due_soon_working_days,
            default_correction_period=settings.default_correction_period,
        )
    ledger = compute_ledger(data.events, _calendar(args), today, settings)
    text_out = (
        explain_for_applicant(ledger)
        if args.audience == "applicant"
        else explain_for_staff(ledger)
    )
    if args.json:
        out = ledger_to_json(ledger)
        out["explanation"] = text_out
        _print_json(out)
    else:
        print(text_out, end="")
    return 0


# -- calendar ---------------------------------------------------------------


def _notice_json(parsed: ParsedNotice, working_days: int) -> dict[str, object]:
    return {
        "year": parsed.year,
        "doc_no": parsed.doc_no or None,
        "holidays": [
            {
                "name": r.name,
                "start": r.start.isoformat(),
                "end": r.end.isoformat(),
                "days": r.days,
                "stated_days": r.stated_days,
                "line": r.line_no,
            }
            for r in parsed.ranges
        ],
        "workdays": [
            {"date": m.date.isoformat(), "name": m.name, "line": m.line_no}
            for m in parsed.makeup_days
        ],
        "working_days_in_year": working_days,
        "warnings": list(parsed.warnings),
        "ignored_lines": [{"line": n, "text": t} for n, t in parsed.ignored_lines],
    }


def _compare_with_package(parsed: ParsedNotice) -> str:
    """Compare the working/non-working status of every date with the bundled data."""
    if package_year(parsed.year) is None:
        return "chinesecalendar 软件包中没有该年数据，无法比对。"
    ours = calendar_from_sources({parsed.year: parsed.to_calendar_year()})
    bundled = default_calendar()
    first = date(parsed.year, 1, 1)
    days = [
        first + timedelta(days=i)
        for i in range((date(parsed.year, 12, 31) - first).days + 1)
    ]
    diff = [d for d in days if ours.is_working_day(d) != bundled.is_working_day(d)]
    if not diff:
        return "与 chinesecalendar 软件包内置数据逐日一致。"
    listed = "、".join(d.isoformat() for d in diff[:10])
    return (
        f"与 chinesecalendar 软件包内置数据不一致，差异日期：{listed}（以本通知为准）。"
    )


def _print_preview(parsed: ParsedNotice, working_days: int) -> None:
    print(
        f"{parsed.year}年节假日安排" + (f"（{parsed.doc_no}）" if parsed.doc_no else "")
    )
    print("放假：")
    for r in parsed.ranges:
        span = fmt(r.start) if r.days == 1 else f"{fmt(r.start)} 至 {fmt(r.end)}"
        print(f"  {r.name}：{span}，共{r.days}天（第{r.line_no}行）")
    print("调休上班：")
    for m in parsed.makeup_days:
        print(f"  {fmt(m.date)}（{m.name}，第{m.line_no}行）")
    if not parsed.makeup_days:
        print("  无")
    print(f"全年工作日：{working_days}天")
    print(_compare_with_package(parsed))
    for n, text in parsed.ignored_lines:
        print(f"未采用（第{n}行，含日期但不是放假或上班安排）：{text[:60]}")
    for w in parsed.warnings:
        print(f"提示：{w}")


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def _save(parsed: ParsedNotice, text: str) -> int:
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        print(
            "保存需要平台环境：请设置 DJANGO_SETTINGS_MODULE 后重试，"
            "或在后台“节假日日历”中导入。本次仅预览，未保存。",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if not _module_exists(SAVE_SERVICE):
        print(
            "保存需要平台的日历模块（gongkai.calendars），当前环境中没有；本次仅预览，未保存。",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        importlib.import_module("django").setup()
    except Exception as exc:  # ImproperlyConfigured and friends: report, no traceback
        print(f"平台环境配置有误，未保存：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    services = importlib.import_module(SAVE_SERVICE)
    services.calendar_year_import_notice(year=parsed.year, text=text, actor=None)
    print(f"已保存{parsed.year}年节假日安排。")
    return 0


def _cmd_import_notice(args: argparse.Namespace) -> int:
    year = _int_arg(args.year, "--year")
    text = _read_text(args.file)
    parsed = parse_notice(text, year)
    cal = calendar_from_sources({year: parsed.to_calendar_year()})
    working_days = cal.working_days_between(
        date(year, 1, 1) - timedelta(days=1), date(year, 12, 31)
    )
    if args.json:
        _print_json(_notice_json(parsed, working_days))
    else:
        _print_preview(parsed, working_days)
    if args.save:
        return _save(parsed, text)
    return 0


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive dates grouped into inclusive ranges."""
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and d == out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _cmd_show(args: argparse.Namespace) -> int:
    year = _int_arg(args.year, "年份")
    cal = _calendar(args)
    cy = cal.year(year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    infos = cal.describe(first, last)
    off = [i.date for i in infos if i.scheduled_off]
    on = [i for i in infos if i.kind == "makeup_workday"]
    count = sum(1 for i in infos if i.working)
    if args.json:
        _print_json(
            {
                "year": year,
                "source": cy.source,
                "source_note": cy.source_note or None,
                "provisional": cy.provisional,
                "days_off": [
                    {
                        "start": a.isoformat(),
                        "end": b.isoformat(),
                        "name": cy.name_of(a),
                    }
                    for a, b in _runs(off)
                ],
                "workdays": [{"date": i.date.isoformat(), "name": i.name} for i in on],
                "working_days_in_year": count,
            }
        )
        return 0
    label = SOURCE_LABELS.get(cy.source, cy.source)
    note = f"（{cy.source_note}）" if cy.source_note and not cy.provisional else ""
    print(f"{year}年：{label}{note}")
    if cy.provisional:
        print(
            "【临时】该年官方节假日安排尚未录入，以下按法定节日推算，节日前后可能调休上班的周末先按工作日计算（期限只会提前，不会推后）。"
        )
    print("放假：")
    for a, b in _runs(off):
        span = fmt(a) if a == b else f"{fmt(a)} 至 {fmt(b)}"
        print(f"  {cy.name_of(a) or '节假日'}：{span}，共{(b - a).days + 1}天")
    print("调休上班：")
    for i in on:
        print(f"  {fmt(i.date)}（{i.name}）")
    if not on:
        print("  无")
    print(f"全年工作日：{count}天")
    return 0


# -- registration -----------------------------------------------------------


def _group(subparsers: Any, name: str, help_text: str) -> Any:
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    inner = parser.add_subparsers(dest=f"{name}_command", metavar="子命令")

    def show_help(_args: argparse.Namespace) -> int:
        parser.print_help()
        return EXIT_BAD_INPUT

    parser.set_defaults(func=show_help)
    return inner


def _register_workdays(subparsers: Any) -> None:
    inner = _group(
        subparsers, "workdays", "工作日计算（按国务院节假日安排，含调休上班日）"
    )
    p = inner.add_parser("add", help="DATE 之后第 N 个工作日（DATE 当日不计入）")
    p.add_argument("date", metavar="DATE", help="起算日期 YYYY-MM-DD（当日为第0日）")
    p.add_argument("n", metavar="N", help="工作日数")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _add_notice_option(p)
    p.set_defaults(func=_guarded(_cmd_add))
    p = inner.add_parser("between", help="A（不含）至 B（含）之间的工作日数")
    p.add_argument("a", metavar="A", help="起始日期 YYYY-MM-DD（不计入）")
    p.add_argument("b", metavar="B", help="结束日期 YYYY-MM-DD（计入）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _add_notice_option(p)
    p.set_defaults(func=_guarded(_cmd_between))


_EVENTS_EPILOG = """事件格式：[{"kind": "received", "date": "2025-01-20", "channel": "online"}, …]
  received              收到申请：channel、confirmed_on/signed_on（条例第三十一条）
  correction_requested  告知补正：deadline 或 period_working_days（第三十条）
  correction_received   收到补正（答复期限重新起算）
  extension             延长：working_days（≤20）、approver（第三十三条）
  consultation_started  征求意见：party=third_party|other_agency、ref、delivered_on
  consultation_ended    收到意见：ref
  fee_notice_sent       发出收费通知：delivered_on
  fee_paid              缴费
  delay_agreed          延迟答复：new_due（第三十五条）
  replied / closed      作出答复 / 结案（reason）
  reopened              依复议决定或判决重新办理：date=决定/判决送达日，working_days
                        （重新答复期限，缺省20个工作日）；须在 replied/closed 之后
                        （行政复议法第六十四条、行政诉讼法第七十条）
"""


def _register_deadline(subparsers: Any) -> None:
    inner = _group(subparsers, "deadline", "依申请公开答复期限计算")
    p = inner.add_parser(
        "explain",
        help="根据事件列表（JSON）计算期限台账并逐日说明",
        description="读取事件列表 JSON（格式见 docs/workdays.md），输出期限台账。",
        epilog=_EVENTS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "file", metavar="FILE.json", help="事件列表 JSON 文件（- 表示标准输入）"
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--today", help="计算日 YYYY-MM-DD（默认今天）")
    p.add_argument(
        "--for",
        dest="audience",
        choices=("staff", "applicant"),
        default="staff",
        help="说明对象：staff（工作人员，完整）或 applicant（申请人，通俗）",
    )
    p.add_argument(
        "--start-day",
        choices=[c.value for c in StartDayConvention],
        help="起算规则：next_day（收到当日不计入，默认）或 same_day",
    )
    _add_notice_option(p)
    p.set_defaults(func=_guarded(_cmd_explain))


def _register_calendar(subparsers: Any) -> None:
    inner = _group(subparsers, "calendar", "节假日日历")
    p = inner.add_parser(
        "import-notice",
        help="解析国务院办公厅节假日安排通知文本并预览",
        description="解析粘贴保存的《国务院办公厅关于YYYY年部分节假日安排的通知》文本，列出每个放假区间和上班日。",
    )
    p.add_argument(
        "file", metavar="FILE.txt", help="通知全文（UTF-8 或 GB18030；- 表示标准输入）"
    )
    p.add_argument("--year", required=True, help="通知所属年份 YYYY")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument(
        "--save", action="store_true", help="确认后保存到平台数据库（需要平台环境）"
    )
    p.set_defaults(func=_guarded(_cmd_import_notice))
    p = inner.add_parser(
        "show",
        help="显示某年采用的放假安排及其来源（管理员数据、内置数据或临时推算）",
    )
    p.add_argument("year", metavar="YYYY", help="年份")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _add_notice_option(p)
    p.set_defaults(func=_guarded(_cmd_show))


def register(subparsers: Any) -> None:
    """Add the `workdays`, `deadline` and `calendar` command groups."""
    _register_workdays(subparsers)
    _register_deadline(subparsers)
    _register_calendar(subparsers)

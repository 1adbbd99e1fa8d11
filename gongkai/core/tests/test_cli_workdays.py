"""`gongkai workdays|deadline|calendar` through ``gongkai.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine

from gongkai.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "workdays" / "samples"

EVENTS = [
    {"kind": "received", "date": "2025-01-20", "channel": "in_person"},
    {
        "kind": "extension",
        "date": "2025-02-18",
        "working_days": 10,
        "approver": "王科长",
    },
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_workdays_add(capsys: pytest.CaptureFixture[str]) -> None:
    # spec §5.6: 2025-09-26 + 20 working days = 2025-10-30
    code, out, _ = run(capsys, "workdays", "add", "2025-09-26", "20")
    assert code == 0
    assert out.startswith("2025-10-30")
    assert "临时" not in out


def test_workdays_add_into_a_provisional_year_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 12/22–25 (4), 12/28–31 (8), [1/1 元旦], 1/2–3 (10: the provisional 2027 counts the
    # weekend after its 元旦, which could be 调休上班), 1/4–8 (15), 1/11–15 (20).
    code, out, _ = run(capsys, "workdays", "add", "2026-12-21", "20", "--json")
    assert code == 0
    assert json.loads(out) == {
        "start": "2026-12-21",
        "n": 20,
        "result": "2027-01-15",
        "provisional": True,
    }


def test_workdays_between(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "workdays", "between", "2025-09-26", "2025-10-30")
    assert (code, out.strip()) == (0, "20")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["workdays", "add", "2025-02-30", "3"], "日期格式应为 YYYY-MM-DD"),
        (["workdays", "add", "2025-02-03", "three"], "工作日数 N应为整数"),
        (["workdays", "between", "2025-01-01", "3000-01-01"], "超出可计算范围"),
    ],
)
def test_bad_arguments_give_a_chinese_message_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_group_without_a_subcommand_shows_its_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "deadline")
    assert code == 2 and "explain" in out


def test_deadline_explain_for_staff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(EVENTS), encoding="utf-8")
    # due 2/21 + 10 extension = 3/7 (2/24–28, 3/3–7)
    code, out, _ = run(
        capsys, "deadline", "explain", str(path), "--today", "2025-02-18"
    )
    assert code == 0
    assert "答复期限：2025年3月7日（周五）" in out
    assert "批准人：王科长" in out
    assert "【逐日明细】" in out


def test_deadline_explain_for_the_applicant_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps({"today": "2025-02-18", "events": EVENTS}), encoding="utf-8"
    )
    code, out, _ = run(
        capsys, "deadline", "explain", str(path), "--json", "--for", "applicant"
    )
    assert code == 0
    data = json.loads(out)
    assert data["due_date"] == "2025-03-07"
    assert data["status"] == "on_time"
    assert "王科长" not in data["explanation"]
    assert "2025年3月7日" in data["explanation"]


@time_machine.travel("2025-02-17T17:30:00+00:00", tick=False)
def test_deadline_explain_defaults_to_today_in_china(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 17:30 UTC on 2/17 is 01:30 on 2/18 in Beijing. Received 2025-01-20, due 2/21:
    # by 2/18, 17 working days are used and 3 left (due soon: ≤ 3); by 2/17 only 16
    # are used and 4 left (on time).
    path = tmp_path / "case.json"
    path.write_text(json.dumps(EVENTS[:1]), encoding="utf-8")
    code, out, _ = run(capsys, "deadline", "explain", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["today"] == "2025-02-18"
    assert data["status"] == "due_soon"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{]", "JSON 格式错误（第1行第3列）"),
        (
            json.dumps(
                [
                    *EVENTS,
                    {
                        "kind": "extension",
                        "date": "2025-02-19",
                        "working_days": 5,
                        "approver": "王",
                    },
                ]
            ),
            "第3个事件（延长答复期限）",
        ),
        (
            json.dumps(
                [{"kind": "correction_requested", "date": "2025-01-19"}, *EVENTS]
            ),
            "第1个事件（告知补正）",
        ),
    ],
)
def test_deadline_explain_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "case.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(
        capsys, "deadline", "explain", str(path), "--today", "2025-03-01"
    )
    assert code == 2
    assert message in err
    assert out == ""


def test_deadline_explain_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "deadline", "explain", "/nonexistent/case.json")
    assert code == 2 and "找不到文件" in err


def test_import_notice_previews_every_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "calendar",
        "import-notice",
        str(SAMPLES / "notice_2026.txt"),
        "--year",
        "2026",
    )
    assert code == 0
    assert "春节：2026年2月15日（周日） 至 2026年2月23日（周一），共9天" in out
    assert "2026年2月28日（周六）（春节" in out
    assert "全年工作日：248天" in out


def test_import_notice_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "calendar",
        "import-notice",
        str(SAMPLES / "notice_2025.txt"),
        "--year",
        "2025",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert data["doc_no"] == "国办发明电〔2024〕12号"
    assert data["holidays"][1] == {
        "name": "春节",
        "start": "2025-01-28",
        "end": "2025-02-04",
        "days": 8,
        "stated_days": 8,
        "line": 7,
    }
    assert [w["date"] for w in data["workdays"]] == [
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
    ]


def test_import_notice_with_a_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "n.txt"
    path.write_text(
        "一、元旦：1月1日（周三）放假。\n二、春节：1月28日至2月4日放假调休，共7天。\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "calendar", "import-notice", str(path), "--year", "2025"
    )
    assert code == 2
    assert "第2行" in err and "共7天" in err
    assert out == ""


def test_import_notice_reads_gb18030(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "n.txt"
    path.write_bytes("一、元旦：1月1日（周三）放假1天，不调休。\n".encode("gb18030"))
    code, out, _ = run(capsys, "calendar", "import-notice", str(path), "--year", "2025")
    assert code == 0 and "元旦：2025年1月1日" in out


def test_save_needs_the_platform(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    notice = str(SAMPLES / "notice_2026.txt")
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    code, _, err = run(
        capsys, "calendar", "import-notice", notice, "--year", "2026", "--save"
    )
    assert code == 2 and "DJANGO_SETTINGS_MODULE" in err and "未保存" in err


# Invented 2027 notice (test data only; the real one is not in the spec):
# 1/1–1/3 off and Saturday 1/9 上班.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。1月9日（周六）上班。
"""


def test_a_notice_file_replaces_the_provisional_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # From 2026-12-21: 12/22–25 (4), 12/28–31 (8), 1/4–8 (13), 1/9 Sat 上班 (14),
    # 1/11–15 (19), 1/18 (20) → 2027-01-18; the provisional date 1/15 was earlier.
    path = tmp_path / "notice_2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    code, out, _ = run(
        capsys, "workdays", "add", "2026-12-21", "20", "--json", "--notice", str(path)
    )
    assert code == 0
    assert json.loads(out) == {
        "start": "2026-12-21",
        "n": 20,
        "result": "2027-01-18",
        "provisional": False,
    }


def test_a_notice_file_without_a_title_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE_2027.split("\n", 1)[1], encoding="utf-8")
    code, _, err = run(
        capsys, "workdays", "between", "2026-12-21", "2027-01-30", "--notice", str(path)
    )
    assert code == 2 and "标题" in err


def test_import_notice_reports_differences_from_the_bundled_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Invented change to the 2025 notice: 劳动节 without the 4/27 上班 day.
    text = (
        (SAMPLES / "notice_2025.txt")
        .read_text(encoding="utf-8")
        .replace("4月27日（周日）上班。", "")
    )
    path = tmp_path / "n.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "calendar", "import-notice", str(path), "--year", "2025")
    assert code == 0
    assert "不一致，差异日期：2025-04-27" in out
    code, out, _ = run(
        capsys,
        "calendar",
        "import-notice",
        str(SAMPLES / "notice_2025.txt"),
        "--year",
        "2025",
    )
    assert "逐日一致" in out


def test_calendar_show_a_provisional_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "show", "2027")
    assert code == 0
    assert "【临时】" in out
    # 2027 lunar new year is 2/6, so 除夕 2/5 to 初三 2/8 (statutory list from 2025)
    assert "春节：2027年2月5日（周五） 至 2027年2月8日（周一），共4天" in out


def test_calendar_show_a_bundled_year_as_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "calendar", "show", "2026", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["source"], data["provisional"], data["working_days_in_year"]) == (
        "chinesecalendar",
        False,
        248,
    )
    assert {"start": "2026-02-15", "end": "2026-02-23", "name": "春节"} in data[
        "days_off"
    ]
    assert [w["date"] for w in data["workdays"]] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]


def test_calendar_show_with_a_notice_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notice_2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    code, out, _ = run(capsys, "calendar", "show", "2027", "--notice", str(path))
    assert code == 0 and "【临时】" not in out and "2027年1月9日（周六）（元旦）" in out


def test_save_calls_the_platform_service_with_the_notice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys
    import types

    import gongkai.cli.workdays as cli

    calls: list[dict[str, object]] = []
    service = types.ModuleType(cli.SAVE_SERVICE)
    service.calendar_year_import_notice = lambda **kw: calls.append(kw)  # type: ignore[attr-defined]
    fake_django = types.ModuleType("django")
    fake_django.setup = lambda: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, cli.SAVE_SERVICE, service)
    monkeypatch.setitem(sys.modules, "django", fake_django)
    monkeypatch.setattr(cli, "_module_exists", lambda name: True)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    notice = SAMPLES / "notice_2026.txt"
    code, out, _ = run(
        capsys, "calendar", "import-notice", str(notice), "--year", "2026", "--save"
    )
    assert code == 0 and "已保存2026年节假日安排" in out
    assert calls == [
        {"year": 2026, "text": notice.read_text(encoding="utf-8"), "actor": None}
    ]


def test_nothing_is_saved_when_the_notice_does_not_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import gongkai.cli.workdays as cli

    saved: list[object] = []

    def fake_save(parsed: object, text: str) -> int:
        saved.append(parsed)
        return 0

    monkeypatch.setattr(cli, "_save", fake_save)
    path = tmp_path / "n.txt"
    path.write_text("一、春节：1月28日至2月4日放假调休，共9天。\n", encoding="utf-8")
    code, _, err = run(
        capsys, "calendar", "import-notice", str(path), "--year", "2025", "--save"
    )
    assert code == 2 and "第1行" in err
    assert saved == []


def test_the_deadline_help_lists_every_event_kind():
    from typing import get_args

    from gongkai.cli.workdays import _EVENTS_EPILOG
    from gongkai.core.workdays.events import EventKind

    listed = {word for line in _EVENTS_EPILOG.splitlines()[1:] for word in line.split()}
    assert set(get_args(EventKind)) <= listed

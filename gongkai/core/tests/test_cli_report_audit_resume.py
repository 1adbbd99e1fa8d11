"""`gongkai report audit --resume`: an interrupted audit goes on where it stopped."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.core.tests.annual_fixtures import CORPUS

RAW = CORPUS / "raw"
FILES = ("pingtan_2021.txt", "pingtan_2022.txt", "seed_luopu_2021.txt")

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason="shared corpus not available")


def rows_of(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["文件"]: row for row in csv.DictReader(handle)}


@pytest.fixture
def interrupted(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An audit whose summary could not be written: its journal is left behind."""
    directory = tmp_path / "reports"
    directory.mkdir()
    for name in FILES:
        shutil.copy(RAW / name, directory / name)
    output = tmp_path / "summary.csv"
    output.mkdir()  # writing the summary fails, as if the run had been stopped
    assert main(["report", "audit", str(directory), "-o", str(output)]) != 0
    output.rmdir()
    journal = tmp_path / "summary.csv.progress.jsonl"
    assert journal.is_file()
    return directory, output, journal


def mark_in_journal(journal: Path, name: str, agency: str) -> None:
    """Change what the journal says of one file, to see whether it is reused."""
    lines = journal.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert {e["file"] for e in entries} == set(FILES)
    for entry in entries:
        if entry["file"] == name:
            entry["row"]["agency"] = agency
    journal.write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries),
        encoding="utf-8",
    )


def test_resume_reuses_what_the_journal_holds(
    interrupted: tuple[Path, Path, Path],
) -> None:
    directory, output, journal = interrupted
    mark_in_journal(journal, "pingtan_2022.txt", "进度记录中的机关")
    args = ["report", "audit", str(directory), "-o", str(output), "--resume"]
    assert main(args) == 0
    rows = rows_of(output)
    assert rows["pingtan_2022.txt"]["机关"] == "进度记录中的机关"  # not parsed again
    assert rows["seed_luopu_2021.txt"]["机关"] == "老城区洛浦街道办事处"
    assert not journal.exists()  # finished: nothing left to resume


def test_a_file_changed_since_is_audited_again(
    interrupted: tuple[Path, Path, Path],
) -> None:
    directory, output, journal = interrupted
    mark_in_journal(journal, "pingtan_2022.txt", "进度记录中的机关")
    changed = directory / "pingtan_2022.txt"
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert main(["report", "audit", str(directory), "-o", str(output), "--resume"]) == 0
    assert rows_of(output)["pingtan_2022.txt"]["机关"] == "平潭综合实验区"


def test_without_resume_the_journal_is_not_used(
    interrupted: tuple[Path, Path, Path],
) -> None:
    directory, output, journal = interrupted
    mark_in_journal(journal, "pingtan_2022.txt", "进度记录中的机关")
    assert main(["report", "audit", str(directory), "-o", str(output)]) == 0
    assert rows_of(output)["pingtan_2022.txt"]["机关"] == "平潭综合实验区"


def test_a_journal_line_cut_short_is_audited_again(
    interrupted: tuple[Path, Path, Path],
) -> None:
    directory, output, journal = interrupted
    mark_in_journal(journal, "seed_luopu_2021.txt", "进度记录中的机关")
    text = journal.read_text(encoding="utf-8").rstrip("\n")
    last = text.rsplit("\n", 1)[-1]
    cut = json.loads(last)["file"]
    journal.write_text(text[: len(text) - len(last) // 2], encoding="utf-8")
    args = ["report", "audit", str(directory), "-o", str(output), "--resume"]
    assert main([*args, "--jobs", "2"]) == 0
    rows = rows_of(output)
    assert set(rows) == set(FILES)
    assert rows[cut]["状态"] == "已审核" and rows[cut]["机关"] != "进度记录中的机关"
    assert not journal.exists()

"""Registers behind table 二: year arithmetic, decisions, fees, CSV/XLSX imports."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from gongkai.publishing import registers
from gongkai.publishing.models import EnforcementDecision
from gongkai.publishing.selectors import table2_for


def _normative(tree, issued: date, kind: str = "normative"):
    return registers.normative_document_register(
        actor=tree.officer,
        organisation=tree.street,
        kind=kind,
        title=f"文件{issued}",
        issued_on=issued,
    )


def _docs(cells: dict) -> tuple:
    return (
        cells["s2.normative.issued"],
        cells["s2.normative.repealed"],
        cells["s2.normative.in_force"],
    )


def test_a_document_repealed_in_a_later_year_counts_in_each_year_correctly(
    tree,
) -> None:
    doc = _normative(tree, date(2019, 5, 10))
    registers.normative_document_end(
        actor=tree.officer, document=doc, on=date(2021, 3, 1), how="repealed"
    )
    # (制发, 废止, 现行有效 on 31 Dec)
    assert _docs(table2_for(tree.street, 2018)) == (0, 0, 0)
    assert _docs(table2_for(tree.street, 2019)) == (1, 0, 1)
    assert _docs(table2_for(tree.street, 2020)) == (0, 0, 1)
    assert _docs(table2_for(tree.street, 2021)) == (0, 1, 0)
    assert _docs(table2_for(tree.street, 2022)) == (0, 0, 0)


def test_in_force_counts_issued_minus_ended_up_to_the_year_end(tree) -> None:
    _normative(tree, date(2020, 1, 2))
    _normative(tree, date(2021, 6, 1))
    expired = _normative(tree, date(2021, 2, 1))
    registers.normative_document_end(
        actor=tree.officer, document=expired, on=date(2021, 12, 31), how="expired"
    )
    _normative(tree, date(2021, 12, 31), kind="regulation")
    cells = table2_for(tree.street, 2021)
    # issued in 2021: 06-01 and 02-01; expired on 12-31 is no longer in force on 12-31;
    # 失效 is not 废止, so the repealed column stays 0.
    assert _docs(cells) == (2, 0, 2)
    assert (cells["s2.regulations.issued"], cells["s2.regulations.in_force"]) == (1, 1)


def test_ending_a_document_twice_or_before_issue_is_refused(tree) -> None:
    doc = _normative(tree, date(2021, 5, 1))
    with pytest.raises(ValidationError, match="不能早于制发日期"):
        registers.normative_document_end(
            actor=tree.officer, document=doc, on=date(2021, 4, 1), how="repealed"
        )
    registers.normative_document_end(
        actor=tree.officer, document=doc, on=date(2021, 6, 1), how="repealed"
    )
    with pytest.raises(ValidationError, match="已登记废止或失效"):
        registers.normative_document_end(
            actor=tree.officer, document=doc, on=date(2021, 7, 1), how="expired"
        )


def test_decisions_count_by_decision_year_and_fees_sum_in_wan(tree) -> None:
    for kind, day, no in [
        ("license", date(2021, 1, 1), "许1"),
        ("license", date(2021, 12, 31), "许2"),
        ("license", date(2022, 1, 1), "许3"),
        ("penalty", date(2020, 12, 31), "罚1"),
        ("coercion", date(2021, 7, 1), "强1"),
    ]:
        registers.decision_register(
            actor=tree.officer,
            organisation=tree.street,
            kind=kind,
            decided_on=day,
            document_number=no,
        )
    registers.fee_record_register(
        actor=tree.officer,
        organisation=tree.street,
        item="证照工本费",
        collected_on=date(2021, 3, 1),
        amount_wan="0.1234",
    )
    registers.fee_record_register(
        actor=tree.officer,
        organisation=tree.street,
        item="证照工本费",
        collected_on=date(2021, 9, 1),
        amount_wan="0.0001",
    )
    registers.fee_record_register(
        actor=tree.officer,
        organisation=tree.street,
        item="证照工本费",
        collected_on=date(2022, 1, 1),
        amount_wan="5",
    )
    cells = table2_for(tree.street, 2021)
    assert cells["s2.license.decisions"] == 2
    assert cells["s2.penalty.decisions"] == 0
    assert cells["s2.coercion.decisions"] == 1
    assert cells["s2.fees.amount_wan"] == Decimal("0.1235")
    assert table2_for(tree.street, 2020)["s2.penalty.decisions"] == 1
    # Registers are per organisation: the community has none.
    assert table2_for(tree.community_a, 2021)["s2.license.decisions"] == 0


def test_fee_amounts_keep_at_most_four_decimals(tree) -> None:
    with pytest.raises(ValidationError, match="最多保留4位小数"):
        registers.fee_record_register(
            actor=tree.officer,
            organisation=tree.street,
            item="x",
            collected_on=date(2021, 1, 1),
            amount_wan="0.00005",
        )
    with pytest.raises(ValidationError, match="不是数字"):
        registers.fee_record_register(
            actor=tree.officer,
            organisation=tree.street,
            item="x",
            collected_on=date(2021, 1, 1),
            amount_wan="十元",
        )


def test_a_duplicate_decision_number_is_refused(tree) -> None:
    registers.decision_register(
        actor=tree.officer,
        organisation=tree.street,
        kind="penalty",
        decided_on=date(2021, 1, 5),
        document_number="罚1",
    )
    with pytest.raises(ValidationError, match="已登记"):
        registers.decision_register(
            actor=tree.officer,
            organisation=tree.street,
            kind="penalty",
            decided_on=date(2021, 1, 6),
            document_number="罚1",
        )


def test_a_liaison_cannot_write_the_street_register(tree) -> None:
    with pytest.raises(PermissionDenied):
        registers.decision_register(
            actor=tree.liaison_a,
            organisation=tree.street,
            kind="penalty",
            decided_on=date(2021, 1, 5),
            document_number="罚9",
        )


GOOD_CSV = "类别,决定日期,决定文号,当事人,事由\n行政许可,2021-03-12,许〔2021〕1号,某店,占道许可\n行政处罚,2021/04/02,罚〔2021〕1号,某店,占道经营\n行政强制,2021年5月17日,强〔2021〕1号,,拆除广告牌\n"


def test_a_good_csv_imports_every_row(tree) -> None:
    result = registers.decisions_import(
        actor=tree.officer,
        organisation=tree.street,
        filename="决定.csv",
        data=GOOD_CSV.encode("utf-8-sig"),
    )
    assert result.ok and result.created == 3
    cells = table2_for(tree.street, 2021)
    assert (
        cells["s2.license.decisions"],
        cells["s2.penalty.decisions"],
        cells["s2.coercion.decisions"],
    ) == (1, 1, 1)


def test_a_gb18030_csv_is_read(tree) -> None:
    result = registers.decisions_import(
        actor=tree.officer,
        organisation=tree.street,
        filename="d.csv",
        data=GOOD_CSV.encode("gb18030"),
    )
    assert result.created == 3


def test_a_csv_with_bad_rows_saves_nothing_and_reports_each_row(tree) -> None:
    registers.decision_register(
        actor=tree.officer,
        organisation=tree.street,
        kind="penalty",
        decided_on=date(2021, 1, 5),
        document_number="罚已有",
    )
    data = (
        "类别,决定日期,决定文号\n"
        "行政许可,2021-03-12,许1\n"  # row 2: fine
        "行政奖励,2021-03-12,奖1\n"  # row 3: bad kind
        "行政处罚,2021-02-30,罚2\n"  # row 4: no such date
        "行政处罚,2021-03-01,\n"  # row 5: no number
        "行政许可,2021-03-13,许1\n"  # row 6: repeats row 2
        "行政处罚,2021-03-14,罚已有\n"  # row 7: already registered
    )
    result = registers.decisions_import(
        actor=tree.officer,
        organisation=tree.street,
        filename="d.csv",
        data=data.encode(),
    )
    assert not result.ok and result.created == 0
    assert result.errors == [
        "第3行：类别“行政奖励”无效（应为行政许可、行政处罚或行政强制）。",
        "第4行：决定日期“2021-02-30”无效（格式如 2021-03-15）。",
        "第5行：决定文号为空。",
        "第6行：决定文号“许1”与第2行重复。",
        "第7行：决定文号“罚已有”已登记。",
    ]
    assert EnforcementDecision.objects.filter(organisation=tree.street).count() == 1


def test_a_missing_column_is_reported(tree) -> None:
    result = registers.decisions_import(
        actor=tree.officer,
        organisation=tree.street,
        filename="d.csv",
        data="类别,日期\n行政许可,2021-01-01\n".encode(),
    )
    assert result.errors == ["第1行：缺少列“决定日期、决定文号”。"]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_with_real_dates_imports(tree) -> None:
    data = _xlsx(
        [
            ["类别", "决定日期", "决定文号", "当事人"],
            ["行政强制", date(2021, 8, 9), "强1", "某公司"],
            ["行政强制", "2021-12-06", "强2", None],
        ]
    )
    result = registers.decisions_import(
        actor=tree.officer, organisation=tree.street, filename="d.xlsx", data=data
    )
    assert result.ok and result.created == 2
    assert table2_for(tree.street, 2021)["s2.coercion.decisions"] == 2


def test_an_xlsx_with_a_bad_row_saves_nothing(tree) -> None:
    data = _xlsx(
        [
            ["类别", "决定日期", "决定文号"],
            ["行政强制", date(2021, 8, 9), "强1"],
            ["行政强制", "明天", "强2"],
        ]
    )
    result = registers.decisions_import(
        actor=tree.officer, organisation=tree.street, filename="d.xlsx", data=data
    )
    assert result.errors == ["第3行：决定日期“明天”无效（格式如 2021-03-15）。"]
    assert EnforcementDecision.objects.count() == 0


def test_other_file_types_are_refused(tree) -> None:
    with pytest.raises(ValidationError, match=r"只能导入 \.csv 或 \.xlsx"):
        registers.decisions_import(
            actor=tree.officer,
            organisation=tree.street,
            filename="d.pdf",
            data=b"%PDF-1.4",
        )
    with pytest.raises(ValidationError, match="无法读取 Excel"):
        registers.decisions_import(
            actor=tree.officer,
            organisation=tree.street,
            filename="d.xlsx",
            data=b"not a zip",
        )


def test_a_published_normative_document_enters_the_register_and_follows_its_repeal(
    tree,
) -> None:
    from gongkai.publishing import services
    from gongkai.publishing.models import NormativeDocument
    from gongkai.publishing.tests.factories import make_live

    pub = make_live(
        tree.street,
        tree.officer,
        tree.head,
        "管理办法",
        genre="normative",
        formed_on=date(2020, 6, 1),
        document_number="洛浦〔2020〕1号",
    )
    entry = NormativeDocument.objects.get(publication=pub)
    assert (entry.kind, entry.issued_on, entry.document_number) == (
        "normative",
        date(2020, 6, 1),
        "洛浦〔2020〕1号",
    )
    assert _docs(table2_for(tree.street, 2020)) == (1, 0, 1)
    services.publication_update(
        actor=tree.officer,
        publication=pub,
        validity="repealed",
        repealed_on=date(2022, 2, 1),
    )
    assert _docs(table2_for(tree.street, 2021)) == (0, 0, 1)
    assert _docs(table2_for(tree.street, 2022)) == (0, 1, 0)
    # A draft is not in the register; nor is a notice.
    make_publication_draft = services.publication_create(
        actor=tree.officer,
        organisation=tree.street,
        title="草案",
        formed_on=date(2022, 3, 1),
        genre="normative",
    )
    assert not NormativeDocument.objects.filter(
        publication=make_publication_draft
    ).exists()
    assert NormativeDocument.objects.count() == 1

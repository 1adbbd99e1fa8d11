"""The annual-report format as data: sections, tables, rows, columns, labels, keys.

Two national formats exist (docs/legal-notes.md §7.1):

* ``"2021"`` — 国办公开办函〔2021〕30号, for report years 2021 and later;
* ``"2019"`` — 国办公开办函〔2019〕60号 (试行), for report years 2019 and 2020.

Labels are the exact printed texts (spec §2–§5, §7) so a renderer can print them
character for character; ``aliases`` are other spellings seen in published reports
(spec §9) that a parser accepts after normalisation. Cell keys are the stable flat
keys of the corpus README (``s2.normative.issued``, ``s3.withheld.state_secret.natural``,
``s4.review.total``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SchemaVersion = Literal["2021", "2019"]
VERSIONS: tuple[SchemaVersion, ...] = ("2021", "2019")

ValueType = Literal["count", "signed_count", "amount"]


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One of the six numbered sections (spec §2)."""

    numeral: str  # "一" .. "六"
    title: str  # heading text after "一、"
    kind: Literal["text", "tables"]
    aliases: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.numeral}、{self.title}"


@dataclass(frozen=True)
class Column:
    """A value column: its key (last part of the flat key) and printed header."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    group: str = ""  # spanning header above it, e.g. 法人或其他组织


@dataclass(frozen=True)
class Row:
    """A table row: key stem (``withheld.state_secret``) and printed label(s).

    ``group`` / ``subgroup`` are the merged label cells to the left of ``label``
    (spec §4.2: level-1 and level-2 labels).
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    group: str = ""
    subgroup: str = ""


@dataclass(frozen=True)
class SubTable:
    """A section-二 sub-table: caption row, header row, label rows × value columns."""

    caption: str  # 第二十条第（一）项
    label_header: str  # 信息内容
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    unit: str
    value_type: ValueType = "count"
    # Columns whose values may be negative (2019 本年增/减, spec §7.1).
    signed_columns: tuple[str, ...] = ()

    def cell_keys(self) -> tuple[str, ...]:
        return tuple(f"s2.{r.key}.{c.key}" for r in self.rows for c in self.columns)


@dataclass(frozen=True)
class FormatSchema:
    """Everything a parser, a check or a renderer needs to know about one format."""

    version: SchemaVersion
    doc_no: str
    applies_to: str
    sections: tuple[Section, ...]
    s2_tables: tuple[SubTable, ...]
    s3_corner: str
    s3_group_header: str
    s3_columns: tuple[Column, ...]
    s3_rows: tuple[Row, ...]
    s4_groups: tuple[Column, ...]  # 行政复议 / 未经复议直接起诉 / 复议后起诉
    s4_columns: tuple[Column, ...]  # 结果维持 … 总计

    def section(self, numeral: str) -> Section:
        return next(s for s in self.sections if s.numeral == numeral)

    def s3_row(self, key: str) -> Row:
        return next(r for r in self.s3_rows if r.key == key)


# ---------------------------------------------------------------------------
# Shared parts: sections, section 三 columns, section 四 (identical in 2019, §7.3)
# ---------------------------------------------------------------------------

SECTIONS: tuple[Section, ...] = (
    Section("一", "总体情况", "text"),
    Section(
        "二",
        "主动公开政府信息情况",
        "tables",
        aliases=("行政机关主动公开政府信息情况",),
    ),
    Section(
        "三",
        "收到和处理政府信息公开申请情况",
        "tables",
        aliases=("行政机关收到和处理政府信息公开申请情况",),
    ),
    Section(
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        "tables",
        aliases=(
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
            "政府信息公开行政法复议、行政诉讼情况",  # Pingtan 2022 typo
        ),
    ),
    Section(
        "五",
        "存在的主要问题及改进情况",
        "text",
        aliases=(
            "政府信息公开工作存在的主要问题及改进情况",
            "存在问题及改进情况",
            "存在问题和改进措施",
            "存在的主要问题及整改措施",  # 沭阳 2023
        ),
    ),
    Section("六", "其他需要报告的事项", "text"),
)

# Five sub-parts of 一、总体情况, in the required order (spec §2; wording is free).
OVERVIEW_TOPICS: tuple[str, ...] = (
    "主动公开",
    "依申请公开",
    "政府信息管理",
    "政府信息公开平台建设",
    "监督保障",
)

S3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
S3_APPLICANT_HEADER = "申请人情况"
S3_LEGAL_PERSON_GROUP = "法人或其他组织"
S3_LEGAL_PERSON_GROUP_ALIASES: tuple[str, ...] = ("法人或者其他组织",)

S3_COLUMNS: tuple[Column, ...] = (
    Column("natural", "自然人"),
    Column("commercial", "商业企业", group=S3_LEGAL_PERSON_GROUP),
    Column("research", "科研机构", group=S3_LEGAL_PERSON_GROUP),
    Column("social", "社会公益组织", group=S3_LEGAL_PERSON_GROUP),
    Column("legal", "法律服务机构", group=S3_LEGAL_PERSON_GROUP),
    Column("other", "其他", group=S3_LEGAL_PERSON_GROUP),
    Column("total", "总计"),
)

_G3 = "三、本年度办理结果"
_WITHHELD = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"

_S3_HEAD_ROWS: tuple[Row, ...] = (
    # Aliases without the numeral: some templates drop "一、" / "（一）" (spec §9).
    Row(
        "new",
        "一、本年新收政府信息公开申请数量",
        aliases=("本年新收政府信息公开申请数量", "本年度新收政府信息公开申请数量"),
    ),
    Row(
        "carried",
        "二、上年结转政府信息公开申请数量",
        aliases=("上年结转政府信息公开申请数量", "上年度结转政府信息公开申请数量"),
    ),
    Row("granted", "（一）予以公开", aliases=("予以公开",), group=_G3),
    Row(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        aliases=("（二）部分公开", "部分公开"),
        group=_G3,
    ),
    Row("withheld.state_secret", "1.属于国家秘密", group=_G3, subgroup=_WITHHELD),
    Row(
        "withheld.other_laws",
        "2.其他法律行政法规禁止公开",
        aliases=(
            "2.其他法律法规禁止公开",  # seed
            "2.其他法律行政止公开",  # 洪泽 2024
        ),
        group=_G3,
        subgroup=_WITHHELD,
    ),
    Row(
        "withheld.security_stability",
        "3.危及“三安全一稳定”",
        aliases=('3.危及"三安全一稳定"', "3.危及三安全一稳定"),
        group=_G3,
        subgroup=_WITHHELD,
    ),
    Row("withheld.third_party", "4.保护第三方合法权益", group=_G3, subgroup=_WITHHELD),
    Row(
        "withheld.internal_affairs",
        "5.属于三类内部事务信息",
        group=_G3,
        subgroup=_WITHHELD,
    ),
    Row("withheld.process_info", "6.属于四类过程性信息", group=_G3, subgroup=_WITHHELD),
    Row("withheld.case_file", "7.属于行政执法案卷", group=_G3, subgroup=_WITHHELD),
    Row("withheld.query_matter", "8.属于行政查询事项", group=_G3, subgroup=_WITHHELD),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", group=_G3, subgroup=_UNABLE),
    Row(
        "unable.needs_creation",
        "2.没有现成信息需要另行制作",
        group=_G3,
        subgroup=_UNABLE,
    ),
    Row("unable.unclear", "3.补正后申请内容仍不明确", group=_G3, subgroup=_UNABLE),
    Row("rejected.petition", "1.信访举报投诉类申请", group=_G3, subgroup=_REJECTED),
    Row("rejected.repeat", "2.重复申请", group=_G3, subgroup=_REJECTED),
    Row("rejected.publication", "3.要求提供公开出版物", group=_G3, subgroup=_REJECTED),
    Row(
        "rejected.excessive", "4.无正当理由大量反复申请", group=_G3, subgroup=_REJECTED
    ),
    Row(
        "rejected.confirm",
        "5.要求行政机关确认或重新出具已获取信息",
        group=_G3,
        subgroup=_REJECTED,
    ),
)

_S3_OTHER_ROWS_2021: tuple[Row, ...] = (
    Row(
        "other.no_supplement",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        group=_G3,
        subgroup=_OTHER,
    ),
    Row(
        "other.no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        group=_G3,
        subgroup=_OTHER,
    ),
    Row("other.other", "3.其他", group=_G3, subgroup=_OTHER),
)

# （六）其他处理 printed as one data row: the 2019 form (spec §7.2) and some 2021
# local templates (洪泽 2024). Key per the corpus README.
S3_OTHER_SUBTOTAL = Row("other.subtotal", "（六）其他处理", group=_G3)

_S3_TAIL_ROWS: tuple[Row, ...] = (
    Row("total", "（七）总计", aliases=("总计", "七、总计"), group=_G3),
    Row(
        "carry_forward",
        "四、结转下年度继续办理",
        aliases=("结转下一年度继续办理", "结转下年度继续办理"),
    ),
)

# Optional subtotal rows some local templates insert (spec §4.2 notes, check
# T3_SUBTOTAL). Never part of ``cell_keys``; a parser emits them only when printed.
S3_OPTIONAL_SUBTOTALS: tuple[Row, ...] = (
    Row("withheld.subtotal", _WITHHELD, group=_G3),
    Row("unable.subtotal", _UNABLE, group=_G3),
    Row("rejected.subtotal", _REJECTED, group=_G3),
)

S4_GROUPS: tuple[Column, ...] = (
    Column("review", "行政复议"),
    Column("suit_direct", "未经复议直接起诉", group="行政诉讼"),
    Column("suit_after_review", "复议后起诉", group="行政诉讼"),
)
S4_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)


# ---------------------------------------------------------------------------
# Section 二: 2021 (spec §3) and 2019 (spec §7.1)
# ---------------------------------------------------------------------------

_INFO = "信息内容"

S2_TABLES_2021: tuple[SubTable, ...] = (
    SubTable(
        "第二十条第（一）项",
        _INFO,
        rows=(
            Row("regulations", "规章"),
            Row("normative", "行政规范性文件", aliases=("规范性文件",)),
        ),
        columns=(
            Column("issued", "本年制发件数"),
            Column(
                "repealed", "本年废止件数", aliases=("本年度止件数", "本年度废止件数")
            ),
            Column("in_force", "现行有效件数"),
        ),
        unit="件",
    ),
    SubTable(
        "第二十条第（五）项",
        _INFO,
        rows=(Row("license", "行政许可"),),
        columns=(Column("decisions", "本年处理决定数量"),),
        unit="件",
    ),
    SubTable(
        "第二十条第（六）项",
        _INFO,
        rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        columns=(Column("decisions", "本年处理决定数量"),),
        unit="件",
    ),
    SubTable(
        "第二十条第（八）项",
        _INFO,
        rows=(Row("fees", "行政事业性收费"),),
        columns=(
            Column(
                "amount_wan",
                "本年收费金额（单位：万元）",
                aliases=(
                    "本年收费金额（单位：万元，保留4位小数）",
                    "本年收费金额（万元）",
                    "本年收费金额",
                ),
            ),
        ),
        unit="万元",
        value_type="amount",
    ),
)

_PREV_DELTA_DECISIONS: tuple[Column, ...] = (
    Column("prev_items", "上一年项目数量"),
    Column("delta", "本年增/减", aliases=("本年增减",)),
    Column("decisions", "处理决定数量"),
)

S2_TABLES_2019: tuple[SubTable, ...] = (
    SubTable(
        "第二十条第（一）项",
        _INFO,
        rows=(
            Row("regulations", "规章"),
            Row("normative", "规范性文件", aliases=("行政规范性文件",)),
        ),
        columns=(
            Column("made", "本年新制作数量"),
            Column("published", "本年新公开数量"),
            Column("total_published", "对外公开总数量"),
        ),
        unit="件",
    ),
    SubTable(
        "第二十条第（五）项",
        _INFO,
        rows=(
            Row("license", "行政许可"),
            Row("other_services", "其他对外管理服务事项"),
        ),
        columns=_PREV_DELTA_DECISIONS,
        unit="件",
        signed_columns=("delta",),
    ),
    SubTable(
        "第二十条第（六）项",
        _INFO,
        rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        columns=_PREV_DELTA_DECISIONS,
        unit="件",
        signed_columns=("delta",),
    ),
    SubTable(
        "第二十条第（八）项",
        _INFO,
        rows=(Row("fees", "行政事业性收费"),),
        columns=_PREV_DELTA_DECISIONS[:2],
        unit="项",
        signed_columns=("delta",),
    ),
    SubTable(
        "第二十条第（九）项",
        _INFO,
        rows=(Row("procurement", "政府集中采购"),),
        columns=(
            Column("items", "采购项目数量"),
            # Unit not printed on the national form (spec §7.1): 万元 or 元 in practice.
            Column("amount", "采购总金额"),
        ),
        unit="",
        value_type="amount",
    ),
)


# ---------------------------------------------------------------------------
# The two formats
# ---------------------------------------------------------------------------

V2021 = FormatSchema(
    version="2021",
    doc_no="国办公开办函〔2021〕30号",
    applies_to="2021年及以后年度的年度报告",
    sections=SECTIONS,
    s2_tables=S2_TABLES_2021,
    s3_corner=S3_CORNER,
    s3_group_header=S3_APPLICANT_HEADER,
    s3_columns=S3_COLUMNS,
    s3_rows=_S3_HEAD_ROWS + _S3_OTHER_ROWS_2021 + _S3_TAIL_ROWS,
    s4_groups=S4_GROUPS,
    s4_columns=S4_COLUMNS,
)

V2019 = FormatSchema(
    version="2019",
    doc_no="国办公开办函〔2019〕60号",
    applies_to="2019年、2020年的年度报告",
    sections=SECTIONS,
    s2_tables=S2_TABLES_2019,
    s3_corner=S3_CORNER,
    s3_group_header=S3_APPLICANT_HEADER,
    s3_columns=S3_COLUMNS,
    s3_rows=(*_S3_HEAD_ROWS, S3_OTHER_SUBTOTAL, *_S3_TAIL_ROWS),
    s4_groups=S4_GROUPS,
    s4_columns=S4_COLUMNS,
)

SCHEMAS: dict[SchemaVersion, FormatSchema] = {"2021": V2021, "2019": V2019}

# Row keys of section 三 whose sum is （七）总计 (check T3_RESULT_TOTAL, spec §6.2).
S3_TOTAL_ROW = "total"
S3_NON_RESULT_ROWS: frozenset[str] = frozenset(
    {"new", "carried", "total", "carry_forward"}
)


def schema_for(version: str) -> FormatSchema:
    """The schema of ``version`` ("2021" or "2019"); KeyError for legacy/unknown."""
    return SCHEMAS[version]  # type: ignore[index]


def s3_result_rows(version: str, *, other_as_one_row: bool = False) -> tuple[str, ...]:
    """Row stems that add up to （七）总计, in printed order (spec §6.2)."""
    rows = [
        r.key
        for r in _s3_rows(version, other_as_one_row)
        if r.key not in S3_NON_RESULT_ROWS
    ]
    return tuple(rows)


def _s3_rows(version: str, other_as_one_row: bool) -> tuple[Row, ...]:
    rows = schema_for(version).s3_rows
    if version == "2021" and other_as_one_row:
        rows = (*_S3_HEAD_ROWS, S3_OTHER_SUBTOTAL, *_S3_TAIL_ROWS)
    return rows


def s2_cell_keys(version: str) -> tuple[str, ...]:
    return tuple(k for t in schema_for(version).s2_tables for k in t.cell_keys())


def s3_cell_keys(version: str, *, other_as_one_row: bool = False) -> tuple[str, ...]:
    cols = S3_COLUMNS
    return tuple(
        f"s3.{r.key}.{c.key}" for r in _s3_rows(version, other_as_one_row) for c in cols
    )


def s4_cell_keys() -> tuple[str, ...]:
    return tuple(f"s4.{g.key}.{c.key}" for g in S4_GROUPS for c in S4_COLUMNS)


def cell_keys(version: str, *, other_as_one_row: bool = False) -> tuple[str, ...]:
    """All flat cell keys of ``version`` in printed order (二, 三, 四).

    2021: 10 + 175 + 15 = 200 keys. 2019: 22 section-二 keys + 161 + 15 = 198.
    ``other_as_one_row`` swaps the three （六）其他处理 sub-rows of a 2021 report for
    the single ``other.subtotal`` row (local templates, e.g. 洪泽 2024).
    """
    return (
        s2_cell_keys(version)
        + s3_cell_keys(version, other_as_one_row=other_as_one_row)
        + s4_cell_keys()
    )


def optional_cell_keys() -> tuple[str, ...]:
    """Keys that appear only when a report prints them (subtotal rows, spec §4.2)."""
    rows = (*S3_OPTIONAL_SUBTOTALS, S3_OTHER_SUBTOTAL)
    return tuple(f"s3.{r.key}.{c.key}" for r in rows for c in S3_COLUMNS)


# ---------------------------------------------------------------------------
# Parser aliases and version markers (spec §7.4, §9)
# ---------------------------------------------------------------------------

# Canonical label -> aliases seen in the wild (spec §9). Table-row and column
# aliases also live on the Row/Column objects above; this table is the one place
# a reader can see them all.
ALIASES: dict[str, tuple[str, ...]] = {
    "本年废止件数": ("本年度止件数", "本年度废止件数"),
    "本年收费金额（单位：万元）": (
        "本年收费金额（单位：万元，保留4位小数）",
        "本年收费金额（万元）",
        "本年收费金额",
    ),
    "行政规范性文件": ("规范性文件",),
    "2.其他法律行政法规禁止公开": ("2.其他法律法规禁止公开", "2.其他法律行政止公开"),
    "3.危及“三安全一稳定”": ('3.危及"三安全一稳定"', "3.危及三安全一稳定"),
    "法人或其他组织": S3_LEGAL_PERSON_GROUP_ALIASES,
    "（七）总计": ("总计", "七、总计"),
    "四、结转下年度继续办理": ("结转下一年度继续办理",),
    **{
        s.heading: tuple(f"{s.numeral}、{a}" for a in s.aliases)
        for s in SECTIONS
        if s.aliases
    },
}

# Spec §7.4 step 1 and 2: words in section 二 that identify the format.
VERSION_MARKERS: dict[SchemaVersion, tuple[str, ...]] = {
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
    ),
    "2019": (
        "本年新制作数量",
        "对外公开总数量",
        "上一年项目数量",
        "第二十条第（九）项",
        "政府集中采购",
    ),
}
# Spec §7.4 step 3: a 2021-only row label of section 三.
VERSION_2021_S3_MARKER = "1.申请人无正当理由逾期不补正"


def version_for_year(year: int) -> Literal["2021", "2019", "legacy"]:
    """Format that applies to a report year (spec §0, §7.4 step 4)."""
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "legacy"

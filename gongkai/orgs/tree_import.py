"""Import an organisation tree from an XLSX or CSV sheet: a preview with an error per
row in Chinese, then all rows or none.

One row per body, a header row with these columns (only 机构全称, 机构类型 and
上级机构 are required; any order):

    机构全称 简称 机构类型 上级机构 统一社会信用代码 行政区划代码 政府信息公开主体
    信息公开工作机构 办公地址 办公时间 联系电话 电子邮箱 邮政编码

上级机构 names a body already on the platform within the importer's reach (by its
full name or its 统一社会信用代码) or a row above in the same sheet. 机构类型 is one
of the labels of ``Organisation.Kind`` (e.g. 街道办事处). Every row is written by
``organisation_create``: the permission check and the audit row are the same as for
a body created by hand.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from gongkai.accounts.types import Actor
from gongkai.core.identifiers import IdentifierError, validate_credit_code
from gongkai.orgs.models import Organisation, kind_is_disclosure_body
from gongkai.orgs.permissions import Perm, organisations_for
from gongkai.orgs.services import organisation_create

MAX_ROWS = 20000
COLUMNS = {
    "机构全称": "name",
    "简称": "short_name",
    "机构类型": "kind",
    "上级机构": "parent",
    "统一社会信用代码": "credit_code",
    "行政区划代码": "division_code",
    "政府信息公开主体": "is_disclosure_body",
    "信息公开工作机构": "office_name",
    "办公地址": "office_address",
    "办公时间": "office_hours",
    "联系电话": "office_phone",
    "电子邮箱": "office_email",
    "邮政编码": "office_postcode",
}
REQUIRED = ("机构全称", "机构类型", "上级机构")
KIND_BY_LABEL = {label: value for value, label in Organisation.Kind.choices}
KIND_BY_LABEL.update({value: value for value in Organisation.Kind.values})
YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (message in Chinese)."""


@dataclass
class ImportRow:
    line: int
    fields: dict[str, Any]
    parent_label: str
    errors: list[str] = field(default_factory=list)
    parent_id: int | None = None  # an existing body
    parent_line: int | None = None  # a row above

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "fields": self.fields,
            "parent_label": self.parent_label,
        }


def _cells_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("CSV 文件的编码无法识别，请另存为 UTF-8 或 GB18030。")
    return list(csv.reader(io.StringIO(text)))


def _cells_xlsx(data: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(
            "无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。"
        ) from exc
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else str(v).strip() for v in values])
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return rows


def read_rows(upload: IO[bytes], name: str) -> list[ImportRow]:
    """The rows of the sheet (not yet checked against the platform)."""
    data = upload.read()
    cells = _cells_xlsx(data) if name.lower().endswith(".xlsx") else _cells_csv(data)
    cells = [row for row in cells if any(c.strip() for c in row)]
    if not cells:
        raise ImportFileError("文件中没有内容。")
    header = [c.strip() for c in cells[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            f"表头缺少“{'”“'.join(missing)}”列。第一行应为列名：{' '.join(COLUMNS)}。"
        )
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        raise ImportFileError(
            f"无法识别的列：“{'”“'.join(unknown)}”。可用的列：{' '.join(COLUMNS)}。"
        )
    if len(cells) - 1 > MAX_ROWS:
        raise ImportFileError(f"一次最多导入 {MAX_ROWS} 个机构。")
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        raw = {
            COLUMNS[h]: (values[i].strip() if i < len(values) else "")
            for i, h in enumerate(header)
            if h
        }
        parent = raw.pop("parent", "")
        rows.append(ImportRow(line=number, fields=raw, parent_label=parent))
    return rows


def rows_from_dicts(items: list[dict[str, Any]]) -> list[ImportRow]:
    return [
        ImportRow(
            line=int(i["line"]),
            fields=dict(i["fields"]),
            parent_label=str(i["parent_label"]),
        )
        for i in items
    ]


def _clean_fields(row: ImportRow) -> dict[str, Any]:
    raw = row.fields
    cleaned: dict[str, Any] = {k: v for k, v in raw.items() if k != "kind" and v != ""}
    cleaned.pop("is_disclosure_body", None)
    if not raw.get("name"):
        row.errors.append("机构全称不能为空。")
    elif len(raw["name"]) > 100:
        row.errors.append("机构全称不能超过 100 个字。")
    kind = KIND_BY_LABEL.get(raw.get("kind", ""))
    if kind is None:
        labels = "、".join(label for _, label in Organisation.Kind.choices)
        row.errors.append(f"机构类型“{raw.get('kind', '')}”无效，应为：{labels}。")
    else:
        cleaned["kind"] = kind
    body = raw.get("is_disclosure_body", "").lower()
    if body in YES:
        cleaned["is_disclosure_body"] = True
    elif body in NO:
        cleaned["is_disclosure_body"] = False
    elif body:
        row.errors.append(
            f"“政府信息公开主体”应填“是”或“否”，而不是“{raw['is_disclosure_body']}”。"
        )
    elif kind is not None:
        cleaned["is_disclosure_body"] = kind_is_disclosure_body(kind)
    if raw.get("credit_code"):
        try:
            cleaned["credit_code"] = validate_credit_code(raw["credit_code"])
        except IdentifierError as exc:
            row.errors.append(str(exc))
    postcode = raw.get("office_postcode", "")
    if postcode and not (len(postcode) == 6 and postcode.isdigit()):
        row.errors.append("邮政编码应为 6 位数字。")
    for name, limit in (
        ("short_name", 30),
        ("division_code", 12),
        ("office_phone", 50),
    ):
        if len(raw.get(name, "")) > limit:
            label = next(k for k, v in COLUMNS.items() if v == name)
            row.errors.append(f"{label}不能超过 {limit} 个字符。")
    return cleaned


def check_rows(actor: Actor, rows: list[ImportRow]) -> list[ImportRow]:
    """Fill in each row's errors (Chinese, per row) and its parent."""
    reach = organisations_for(actor, Perm.MANAGE_ORGS)
    by_name: dict[str, list[Organisation]] = {}
    by_code: dict[str, Organisation] = {}
    for org in reach.only("id", "name", "credit_code", "path"):
        by_name.setdefault(org.name, []).append(org)
        if org.credit_code:
            by_code[org.credit_code] = org
    taken_codes = set(
        Organisation.objects.exclude(credit_code="").values_list(
            "credit_code", flat=True
        )
    )
    above: dict[str, int] = {}  # names (and codes) of rows so far → their line
    file_codes: dict[str, int] = {}
    for row in rows:
        row.errors = []
        cleaned = _clean_fields(row)
        if "credit_code" in cleaned:
            row.fields["credit_code"] = cleaned["credit_code"]
        label = row.parent_label
        if not label:
            row.errors.append(
                "上级机构不能为空（填写平台上已有机构的全称或统一社会信用代码，或本表中前面一行的机构全称）。"
            )
        elif label in above:
            row.parent_line = above[label]
        elif label in by_code:
            row.parent_id = by_code[label].pk
        elif len(by_name.get(label, [])) == 1:
            row.parent_id = by_name[label][0].pk
        elif len(by_name.get(label, [])) > 1:
            row.errors.append(f"上级机构“{label}”有重名，请改填它的统一社会信用代码。")
        else:
            later = next(
                (
                    r.line
                    for r in rows
                    if r.line > row.line and r.fields.get("name") == label
                ),
                None,
            )
            if later:
                row.errors.append(f"上级机构“{label}”在第 {later} 行，须列在本行之前。")
            else:
                row.errors.append(f"上级机构“{label}”不存在，或不在您的管理范围内。")
        code = cleaned.get("credit_code", "")
        if code:
            if code in taken_codes:
                row.errors.append(f"统一社会信用代码 {code} 已被平台上的其他机构使用。")
            elif code in file_codes:
                row.errors.append(
                    f"统一社会信用代码 {code} 与第 {file_codes[code]} 行重复。"
                )
            else:
                file_codes[code] = row.line
        name = row.fields.get("name", "")
        if name:
            if name in above:
                row.errors.append(f"机构全称“{name}”与第 {above[name]} 行重复。")
            else:
                above[name] = row.line
                if code:
                    above[code] = row.line
    return rows


@transaction.atomic
def import_rows(actor: Actor, rows: list[ImportRow]) -> list[Organisation]:
    """Create every row's body (checked again); all or nothing."""
    check_rows(actor, rows)
    bad = [row for row in rows if row.errors]
    if bad:
        raise ValidationError(
            f"有 {len(bad)} 行存在错误，未导入任何机构。请修改后重新上传。"
        )
    created: dict[int, Organisation] = {}
    for row in rows:
        cleaned = _clean_fields(row)
        if row.parent_line is not None:
            parent = created[row.parent_line]
        else:
            assert row.parent_id is not None  # check_rows found it or set an error
            parent = Organisation.objects.get(pk=row.parent_id)
        created[row.line] = organisation_create(actor=actor, parent=parent, **cleaned)
    return list(created.values())

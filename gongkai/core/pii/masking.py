"""Masked copies of XLSX, CSV and DOCX files (一键遮蔽).

Each function reads the original bytes and returns new bytes in which every finding
of :func:`find_pii` is replaced by its mask, with the number of values masked. The
original is never changed. A row (or paragraph) is checked as a whole, so a name is
masked when its row holds an identity number, as the check reports it.

PDF and images are not rewritten here: a PDF needs true redaction (the 部分公开 tool)
or a corrected source file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any

import docx
import openpyxl

from gongkai.core.pii.detect import Finding, find_pii
from gongkai.core.pii.readers import decode_text
from gongkai.core.pii.rules import DEFAULT_RULES, PiiRules

__all__ = [
    "MASKABLE_KINDS",
    "MaskError",
    "mask_csv",
    "mask_docx",
    "mask_file",
    "mask_xlsx",
]

MASKABLE_KINDS = frozenset({"xlsx", "csv", "docx", "txt"})


class MaskError(ValueError):
    """The file cannot be masked (message in Chinese)."""


def _mask_cells(cells: list[str], rules: PiiRules) -> tuple[list[str], int]:
    """Mask a row: detect on the tab-joined row, then cut the result back into cells."""
    joined = "\t".join(cells)
    findings = [f for f in find_pii(joined, rules) if "\t" not in f.text]
    if not findings:
        return cells, 0
    out: list[str] = []
    offset = 0
    for cell in cells:
        end = offset + len(cell)
        local = [f for f in findings if offset <= f.start and f.end <= end]
        out.append(_replace(cell, local, offset))
        offset = end + 1
    return out, len(findings)


def _replace(text: str, findings: list[Finding], offset: int = 0) -> str:
    pieces: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        start, end = f.start - offset, f.end - offset
        if start < pos:
            continue
        pieces += [text[pos:start], f.masked]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


# --------------------------------------------------------------------------- CSV


def mask_csv(raw: bytes, rules: PiiRules = DEFAULT_RULES) -> tuple[bytes, int]:
    decoded = decode_text(raw)
    if decoded is None:
        raise MaskError("CSV 文件编码无法识别，无法遮蔽。")
    text, encoding = decoded
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    total = 0
    try:
        for row in csv.reader(io.StringIO(text)):
            masked, n = _mask_cells(row, rules)
            total += n
            writer.writerow(masked)
    except csv.Error as exc:
        raise MaskError(f"CSV 文件无法解析：{exc}") from exc
    return out.getvalue().encode(encoding), total


def mask_text_file(raw: bytes, rules: PiiRules = DEFAULT_RULES) -> tuple[bytes, int]:
    decoded = decode_text(raw)
    if decoded is None:
        raise MaskError("文本文件编码无法识别，无法遮蔽。")
    text, encoding = decoded
    findings = find_pii(text, rules)
    return _replace(text, findings).encode(encoding), len(findings)


# --------------------------------------------------------------------------- XLSX


def mask_xlsx(raw: bytes, rules: PiiRules = DEFAULT_RULES) -> tuple[bytes, int]:
    """Mask every sheet (hidden ones too). A number cell holding a masked value (an
    identity number typed as a number) becomes text. Cell comments are dropped: they
    are not part of the published table and may hold anything."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw))
    except Exception as exc:
        raise MaskError(
            f"Excel 文件无法解析（{type(exc).__name__}），无法遮蔽。"
        ) from exc
    total = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            cells: list[Any] = [c for c in row if c.value is not None]
            texts = [_cell_str(c.value) for c in cells]
            masked, n = _mask_cells(texts, rules)
            total += n
            for cell, before, after in zip(cells, texts, masked, strict=True):
                if after != before:
                    cell.value = after
                if cell.comment is not None:
                    cell.comment = None
    props = book.properties
    props.creator = None
    props.lastModifiedBy = None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), total


def _cell_str(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- DOCX


def _extra_findings(
    text: str, found: list[Finding], extra: dict[str, Finding]
) -> list[Finding]:
    """Occurrences in ``text`` of values found elsewhere in the same table row."""
    spans = [(f.start, f.end) for f in found]
    more: list[Finding] = []
    for value, model in extra.items():
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            if not any(s < end and start < e for s, e in spans):
                more.append(replace(model, start=start, end=end))
                spans.append((start, end))
            start = text.find(value, end)
    return more


def _mask_paragraph(
    paragraph: Any, rules: PiiRules, extra: dict[str, Finding] | None = None
) -> int:
    """Mask a paragraph across its runs, keeping each run's formatting: a mask goes
    into the run where the value starts; the rest of the value is cut from the runs
    it spans. ``extra``: values found in the paragraph's table row."""
    runs = list(paragraph.runs)
    text = "".join(r.text for r in runs)
    findings = find_pii(text, rules)
    if extra:
        findings += _extra_findings(text, findings, extra)
    if not findings:
        return 0
    bounds: list[tuple[int, int]] = []
    pos = 0
    for run in runs:
        bounds.append((pos, pos + len(run.text)))
        pos += len(run.text)
    new_texts = [r.text for r in runs]
    # Work from the end so earlier offsets stay valid.
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        for i, (s, e) in enumerate(bounds):
            if e <= f.start or s >= f.end:
                continue
            local_start = max(f.start, s) - s
            local_end = min(f.end, e) - s
            insert = f.masked if s <= f.start < e else ""
            current = new_texts[i]
            new_texts[i] = current[:local_start] + insert + current[local_end:]
    for run, new in zip(runs, new_texts, strict=True):
        if run.text != new:
            run.text = new
    return len(findings)


def _mask_table(table: Any, rules: PiiRules) -> int:
    total = 0
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell)
        # A name counts as "next to" an ID number in the same row: detect on the row,
        # then mask in each cell's paragraphs the values found in that row.
        texts = ["\n".join(p.text for p in c.paragraphs) for c in cells]
        row_findings = {
            f.text: f
            for f in find_pii("\t".join(texts), rules)
            if "\t" not in f.text and "\n" not in f.text
        }
        for cell in cells:
            for paragraph in cell.paragraphs:
                total += _mask_paragraph(paragraph, rules, row_findings)
            for inner in cell.tables:
                total += _mask_table(inner, rules)
    return total


def mask_docx(raw: bytes, rules: PiiRules = DEFAULT_RULES) -> tuple[bytes, int]:
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:
        raise MaskError(
            f"Word 文件无法解析（{type(exc).__name__}），无法遮蔽。"
        ) from exc
    total = 0
    for paragraph in document.paragraphs:
        total += _mask_paragraph(paragraph, rules)
    for table in document.tables:
        total += _mask_table(table, rules)
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                total += _mask_paragraph(paragraph, rules)
            for table in part.tables:
                total += _mask_table(table, rules)
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), total


def mask_file(
    raw: bytes, kind: str, rules: PiiRules = DEFAULT_RULES
) -> tuple[bytes, int]:
    """Masked bytes of a file of ``kind`` (xlsx, csv, docx, txt) and the count masked."""
    if kind == "xlsx":
        return mask_xlsx(raw, rules)
    if kind == "csv":
        return mask_csv(raw, rules)
    if kind == "docx":
        return mask_docx(raw, rules)
    if kind == "txt":
        return mask_text_file(raw, rules)
    raise MaskError(
        "该格式的附件不能一键遮蔽（PDF 请使用“部分公开”的遮盖工具或上传已处理的文件）。"
    )

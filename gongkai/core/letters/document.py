"""The letter as a renderer lays it out, and the plain pieces every letter uses.

:class:`Letter` (title, 文号, addressee, paragraphs, date, issuing body, seal
placeholder), :class:`IssuingBody`, the 公文 date and 发文字号 formats, and
:class:`TemplateError`, the Chinese refusal every part of the package raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

REGULATION = "《中华人民共和国政府信息公开条例》"
_REG = "《条例》"  # short form after the first citation in a letter


class TemplateError(ValueError):
    """A template with an unknown, missing or malformed field (message in Chinese)."""


def chinese_date(day: date) -> str:
    """A date as 公文 print it (GB/T 9704-2012, Arabic numerals): ``2026年3月2日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_document_number(prefix: str, year: int, serial: int) -> str:
    """A 发文字号: ``format_document_number("洛街公开", 2026, 3)`` → ``洛街公开〔2026〕3号``.

    GB/T 9704-2012 7.2.4: year in 六角括号 〔〕, serial without leading zeros or 第.
    """
    prefix = prefix.strip()
    if not prefix:
        raise TemplateError("发文机关代字不能为空")
    if not 1000 <= year <= 9999:
        raise TemplateError(f"年份应为4位数字：{year}")
    if serial < 1:
        raise TemplateError(f"发文顺序号应为正整数：{serial}")
    return f"{prefix}〔{year}〕{serial}号"


@dataclass(frozen=True)
class IssuingBody:
    """The agency that signs the letter; ``seal_text`` marks where the seal goes."""

    name: str
    seal_text: str = "（盖章）"
    contact: str = ""  # e.g. "联系人：王某，电话：0379-6391XXXX"


@dataclass(frozen=True)
class Letter:
    """One letter's content, ready for a renderer (DOCX, PDF, HTML)."""

    key: str  # template key, e.g. "clarification", "reply.withheld.state_secret"
    title: str
    document_number: str
    addressee: str
    paragraphs: tuple[str, ...]
    issued_on: date
    issuing_body: str
    seal_text: str
    attachments: tuple[str, ...] = ()

    @property
    def date_text(self) -> str:
        """The date line, e.g. ``2026年3月2日``."""
        return chinese_date(self.issued_on)

    @property
    def text(self) -> str:
        """Plain-text form (preview, e-mail body, archive copy)."""
        lines = [self.title]
        if self.document_number:
            lines.append(self.document_number)
        lines += ["", f"{self.addressee}："]
        lines += [f"　　{p}" for p in self.paragraphs]
        if len(self.attachments) == 1:
            lines += ["", f"附件：{self.attachments[0]}"]
        elif self.attachments:
            lines.append("")
            for i, name in enumerate(self.attachments, 1):
                lines.append(f"{'附件：' if i == 1 else '　　　'}{i}.{name}")
        lines += ["", self.issuing_body, self.seal_text, self.date_text]
        return "\n".join(lines)

"""The template machinery: :class:`LetterTemplate` and :func:`render_template`.

A template is a title and paragraphs with named fields (``{applicant_name}`` …).
:func:`render_template` fills them and refuses, in Chinese, a field that is unknown
or has no value; :class:`LetterTemplate` refuses a field its key does not allow when
it is built, so a bad edit is caught when it is saved, not when a letter is due.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from gongkai.core.letters.document import TemplateError
from gongkai.core.letters.fields import FIELD_LABELS, TEMPLATE_FIELDS


def _fields_of(text: str) -> list[str]:
    """Named fields of ``text``; refuses positional, indexed, converted or formatted ones."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise TemplateError(f"模板中的花括号不成对：{text}") from None
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(f"模板字段“{{{name}}}”格式不正确，只能写成{{字段名}}")
        names.append(name)
    return names


def render_template(
    template: str, values: Mapping[str, str], *, allowed: frozenset[str] | None = None
) -> str:
    """Fill ``{field}`` placeholders; ``{{`` and ``}}`` print braces.

    Raises :class:`TemplateError` (Chinese) for a field not in ``allowed`` (when
    given) or with no value in ``values``. Values are inserted as text, never
    interpreted, so attribute or index access is impossible.
    """
    names = _fields_of(template)
    if allowed is not None:
        unknown = [n for n in names if n not in allowed]
        if unknown:
            raise TemplateError(
                "模板中有未知字段：" + "、".join(f"{{{n}}}" for n in unknown)
            )
    missing = [n for n in dict.fromkeys(names) if values.get(n) in (None, "")]
    if missing:
        raise TemplateError(
            "缺少字段的内容："
            + "、".join(f"{{{n}}}（{FIELD_LABELS.get(n, n)}）" for n in missing)
        )
    return template.format_map({n: str(values[n]) for n in names})


@dataclass(frozen=True)
class LetterTemplate:
    """Editable wording of one letter: a title and paragraphs with named fields."""

    key: str
    title: str
    paragraphs: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.key not in TEMPLATE_FIELDS:
            raise TemplateError(f"未知的文书模板：{self.key}")
        allowed = TEMPLATE_FIELDS[self.key]
        for text in (self.title, *self.paragraphs):
            unknown = [n for n in _fields_of(text) if n not in allowed]
            if unknown:
                raise TemplateError(
                    "模板中有未知字段：" + "、".join(f"{{{n}}}" for n in unknown)
                )

    def render(self, values: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
        """The rendered title and paragraphs."""
        allowed = TEMPLATE_FIELDS[self.key]
        title = render_template(self.title, values, allowed=allowed)
        paras = tuple(
            render_template(p, values, allowed=allowed) for p in self.paragraphs
        )
        return title, paras

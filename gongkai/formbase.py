"""The base of every project form: Django's stock error messages in clear Chinese
that name the field and the limit.

Django's own translation says "确保该变量包含不超过 100 字符" or "这个字段是必填项。" —
neither names the field nor reads as plain Chinese. :class:`ChineseMessagesMixin`
rewrites, once per form instance, every message a field still has from Django
(its ``default_error_messages`` and those of its stock validators) into one that
names the field: "标题最多100个字，现有153个字。", "请填写申请人姓名。". A message a
form sets itself (``error_messages=…`` or a validator with its own ``message``) is
kept. Django offers no setting for this (the catalogue's messages cannot name the
field), so the wording is ours; it lives only here.

Every form of ours derives from :class:`Form` or :class:`ModelForm` (checked by
``tests/test_structure.py``).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

__all__ = ["ChineseMessagesMixin", "Form", "ModelForm", "field_messages"]

# A trailing note in brackets is left out of the name: "联系人（单位申请填写）" → 联系人.
_NOTE = re.compile(r"[（(][^（）()]*[）)]\s*$")


def _name(field: forms.Field) -> str:
    label = str(field.label or "").strip().rstrip("：:*").strip()
    short = _NOTE.sub("", label).strip()
    return short or label or "此项"


def _invalid(field: forms.Field, name: str) -> str:
    if isinstance(field, forms.DateTimeField):
        return f"{name}请按“年-月-日 时:分”填写，例如 2026-12-07 09:30。"
    if isinstance(field, forms.DateField):
        return f"{name}请按“年-月-日”填写，例如 2026-12-07。"
    if isinstance(field, forms.TimeField):
        return f"{name}请按“时:分”填写，例如 09:30。"
    if isinstance(field, forms.IntegerField):
        return f"{name}请填写整数。"
    if isinstance(field, forms.FloatField | forms.DecimalField):
        return f"{name}请填写数字。"
    if isinstance(field, forms.EmailField):
        return f"{name}格式不正确，例如 name@example.com。"
    if isinstance(field, forms.URLField):
        return f"{name}应为完整网址，例如 https://www.gov.cn/。"
    if isinstance(field, forms.FileField):
        return f"没有收到{name}，请重新选择文件。"
    return f"{name}格式不正确。"


def field_messages(field: forms.Field) -> dict[str, str]:
    """Our message for each error code ``field`` may raise (%-placeholders are the
    parameters Django passes with that code)."""
    name = _name(field)
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        required = f"请选择{name}。"
    elif isinstance(field, forms.FileField):
        required = f"请选择要上传的{name}。"
    elif isinstance(field, forms.BooleanField):
        required = f"请勾选“{name}”。"
    else:
        required = f"请填写{name}。"
    messages = {
        "required": required,
        "invalid": _invalid(field, name),
        "max_length": f"{name}最多%(limit_value)d个字，现有%(show_value)d个字。",
        "min_length": f"{name}至少%(limit_value)d个字，现有%(show_value)d个字。",
        "max_value": f"{name}不能大于%(limit_value)s。",
        "min_value": f"{name}不能小于%(limit_value)s。",
        "step_size": f"{name}应为%(limit_value)s的整数倍。",
        "max_digits": f"{name}最多%(max)s位数字。",
        "max_decimal_places": f"{name}最多%(max)s位小数。",
        "max_whole_digits": f"{name}的整数部分最多%(max)s位。",
        "invalid_choice": f"{name}：所选的项不在可选范围内，请重新选择。",
        "invalid_list": f"{name}：请从列表中选择。",
        "invalid_pk_value": f"{name}：所选的项不在可选范围内，请重新选择。",
        "null_characters_not_allowed": f"{name}含有不允许的控制字符，请删去后重试。",
        "empty": f"所选的{name}是空文件。",
        "missing": f"没有收到{name}，请重新选择文件。",
        "contradiction": f"{name}：请选择新文件或勾选清除，不要同时进行。",
        "invalid_image": f"{name}不是有效的图片文件。",
    }
    if isinstance(field, forms.FileField):
        messages["max_length"] = f"{name}的文件名最多%(max)d个字，现有%(length)d个字。"
    return messages


def _stock_defaults(field: forms.Field) -> dict[str, Any]:
    """The messages Django gives a field of this class (as ``Field.__init__`` merges them)."""
    stock: dict[str, Any] = {}
    for klass in reversed(type(field).__mro__):
        stock.update(getattr(klass, "default_error_messages", {}))
    return stock


def _stock_validator_codes(field: forms.Field) -> set[str]:
    """Codes raised by the field's validators that still carry Django's message."""
    codes: set[str] = set()
    custom: set[str] = set()
    for validator in field.validators:
        code = getattr(validator, "code", None)
        if not isinstance(code, str):
            continue
        (custom if "message" in vars(validator) else codes).add(code)
    return codes - custom


def use_chinese_messages(form: forms.BaseForm) -> None:
    """Rewrite the stock messages of ``form``'s fields (its own copies of them)."""
    for field in form.fields.values():
        ours = field_messages(field)
        stock = _stock_defaults(field)
        for code, message in field.error_messages.items():
            if code in ours and code in stock and message is stock[code]:
                field.error_messages[code] = ours[code]
        # Validators' messages: Field.run_validators uses error_messages[code].
        for code in _stock_validator_codes(field):
            if code in ours and code not in field.error_messages:
                field.error_messages[code] = ours[code]


class ChineseMessagesMixin:
    """Mix into a Django form (before ``forms.Form``) for messages that name the field."""

    # At validation, not in __init__: a form's own __init__ may add or change fields
    # after calling super().__init__().
    def full_clean(self) -> None:
        assert isinstance(self, forms.BaseForm)
        use_chinese_messages(self)
        super().full_clean()  # type: ignore[misc]


class Form(ChineseMessagesMixin, forms.Form):
    pass


class ModelForm(ChineseMessagesMixin, forms.ModelForm):
    pass

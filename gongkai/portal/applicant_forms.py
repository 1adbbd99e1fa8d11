"""Forms of 我的申请 (``gongkai.portal.applicant_views``)."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.formbase import Form

_REQUIRED = {"required": "此项为必填项。"}


class ContactForm(Form):
    contact = forms.CharField(
        label="手机号码或电子邮箱（申请时填写的）",
        max_length=100,
        error_messages=_REQUIRED,
    )


class CodeForm(Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    code = forms.CharField(
        label="验证码（6 位数字）",
        max_length=10,
        error_messages=_REQUIRED,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CorrectionForm(Form):
    text = forms.CharField(
        label="补正说明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "补正说明请控制在 2000 字以内。"},
    )
    materials = MultipleFileField(
        label="补正材料（PDF、JPG、PNG、Word，可多选）", required=False
    )


SCORE_CHOICES = [
    ("5", "5 分 非常满意"),
    ("4", "4 分 满意"),
    ("3", "3 分 一般"),
    ("2", "2 分 不满意"),
    ("1", "1 分 非常不满意"),
]


class RatingForm(Form):
    score = forms.ChoiceField(
        label="对本次办理的评价",
        choices=SCORE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择 1–5 分。",
            "invalid_choice": "请选择 1–5 分。",
        },
    )
    comment = forms.CharField(
        label="意见建议（可不填）",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "意见请控制在 1000 字以内。"},
    )

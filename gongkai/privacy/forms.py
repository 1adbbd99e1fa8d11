"""Forms of the personal-information screens."""

from __future__ import annotations

from django import forms

from gongkai.core.pii import Kind
from gongkai.formbase import Form, ModelForm
from gongkai.privacy.models import NAME_MASK_CHOICES, PrivacyRules

KIND_FIELD_CHOICES = [(k.value, k.label) for k in Kind if k is not Kind.UNREADABLE]


class BasisForm(Form):
    keys = forms.MultipleChoiceField(
        label="要公开的个人信息", required=False, widget=forms.CheckboxSelectMultiple
    )
    basis = forms.CharField(
        label="公开的法律依据",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="例如：《社会救助审核确认办法》第二十二条要求公示申请人姓名。",
    )

    def __init__(self, *args: object, keys: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["keys"].choices = keys  # type: ignore[attr-defined]


class RulesForm(ModelForm):
    kinds = forms.MultipleChoiceField(
        label="检查的内容",
        choices=KIND_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一类要检查的个人信息。"},
    )
    name_mask = forms.ChoiceField(label="姓名遮蔽方式", choices=NAME_MASK_CHOICES)
    id_keep = forms.IntegerField(
        label="证件号、银行卡号两端保留位数",
        min_value=0,
        max_value=6,
        error_messages={
            "min_value": "保留位数应在 0 到 6 之间。",
            "max_value": "保留位数应在 0 到 6 之间。",
            "invalid": "请输入 0 到 6 之间的整数。",
            "required": "请输入 0 到 6 之间的整数。",
        },
    )

    class Meta:
        model = PrivacyRules
        fields = ["kinds", "name_mask", "id_keep", "public_values"]
        widgets = {"public_values": forms.Textarea(attrs={"rows": 4})}


class ScanForm(Form):
    below = forms.BooleanField(label="含下级单位", required=False)

"""Forms of the 区分处理 screen (部分公开): upload and one mark (text or region)."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.core.redaction import ground_choices
from gongkai.formbase import Form


class RedactionUploadForm(Form):
    file = forms.FileField(
        label="需区分处理的文件（PDF 或 Word docx）",
        error_messages={"required": "请选择要上传的文件。"},
    )


class _GroundFields(Form):
    # The text and the region form are on one page: their own id prefixes keep
    # each label tied to its own field.
    id_prefix = "mark"
    ground = forms.ChoiceField(
        label="不予公开的依据",
        choices=[("", "请选择条例条款")],
        error_messages={
            "required": "请选择不予公开的依据（条例条款）。",
            "invalid_choice": "请选择不予公开的依据（条例条款）。",
        },
    )
    other_basis = forms.CharField(
        label="其他法律、法规（名称和条款）",
        required=False,
        max_length=200,
        help_text="依据为“其他法律、法规禁止公开”时填写，例如《中华人民共和国统计法》第三十九条。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        ground = self.fields["ground"]
        assert isinstance(ground, forms.ChoiceField)
        ground.choices = [("", "请选择条例条款"), *ground_choices()]


class TextMarkForm(_GroundFields):
    id_prefix = "text"
    phrase = forms.CharField(
        label="要删除的文字",
        max_length=500,
        error_messages={"required": "请填写要删除的文字。"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    occurrence = forms.IntegerField(
        label="第几处（留空为所有出现处）",
        required=False,
        min_value=1,
        max_value=100000,
        error_messages={
            "invalid": "第几处应为正整数。",
            "min_value": "第几处应为正整数。",
            "max_value": "第几处过大。",
        },
    )

    field_order = ["phrase", "occurrence", "ground", "other_basis"]


class RegionMarkForm(_GroundFields):
    id_prefix = "region"
    page = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": "请选择页面。"},
    )
    x0 = forms.FloatField(widget=forms.HiddenInput)
    y0 = forms.FloatField(widget=forms.HiddenInput)
    x1 = forms.FloatField(widget=forms.HiddenInput)
    y1 = forms.FloatField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(name in self.errors for name in ("x0", "y0", "x1", "y1", "page")):
            for name in ("x0", "y0", "x1", "y1", "page"):
                self.errors.pop(name, None)
            raise forms.ValidationError("请先在页面图上按住鼠标拖出要遮盖的区域。")
        return data

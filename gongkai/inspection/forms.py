"""Forms of the self-inspection screens."""

from __future__ import annotations

from django import forms

from gongkai.formbase import Form


class RunForm(Form):
    below = forms.BooleanField(label="含下级单位", required=False)


class FindingActionForm(Form):
    ACTIONS = [
        ("claim_fixed", "已整改，请复查"),
        ("accept", "说明不整改的理由"),
        ("reopen", "重新列为待整改"),
        ("assign", "指定整改责任人"),
    ]
    action = forms.ChoiceField(label="操作", choices=ACTIONS)
    reason = forms.CharField(
        label="理由",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.TypedChoiceField(
        label="整改责任人", required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: object,
        owners: list[tuple[int, str]] | None = None,
        **kwargs: object,
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].choices = [("", "（不指定）"), *(owners or [])]  # type: ignore[attr-defined]


class ReportForm(Form):
    year = forms.IntegerField(label="年度", min_value=2019, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    )


class DictionaryForm(Form):
    entries = forms.CharField(
        label="本地区增补的词条",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="每行一条：错误写法 => 正确写法 | 严重。不写“严重”的为一般错别字（只提示，不阻止发布）。",
    )

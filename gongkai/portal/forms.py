from __future__ import annotations

from typing import Any

from django import forms

from gongkai.core.identifiers import IdDocumentType, fold_ascii
from gongkai.core.inforequest_flow import ApplicantType
from gongkai.core.inforequest_intake import INTAKE_MAX_LENGTHS
from gongkai.formbase import Form
from gongkai.inforequests.models import InfoRequest


class _FoldedCharField(forms.CharField):
    """Full-width digits and letters read as ASCII before the field is checked
    (``fold_ascii``, the one fold of every public form's contact and id fields)."""

    def to_python(self, value: Any) -> str:
        return fold_ascii(super().to_python(value) or "")


class _FoldedEmailField(forms.EmailField):
    def to_python(self, value: Any) -> str:
        return fold_ascii(super().to_python(value) or "")


class ApplicationForm(Form):
    """The 条例第二十九条 application, as the public fills it in online."""

    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=[(t.value, t.label) for t in ApplicantType],
        help_text="个人申请选“自然人”；单位申请请选择对应的组织类别。",
    )
    applicant_name = forms.CharField(
        label="姓名或单位名称",
        max_length=INTAKE_MAX_LENGTHS["applicant_name"],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(
        label="身份证明类型",
        choices=[(d.value, d.label) for d in IdDocumentType],
        help_text="单位申请请选择“统一社会信用代码”。",
    )
    id_number = _FoldedCharField(
        label="证件号码",
        max_length=INTAKE_MAX_LENGTHS["id_number"],
    )
    legal_representative = forms.CharField(
        label="法定代表人或负责人（单位申请填写）",
        max_length=INTAKE_MAX_LENGTHS["legal_representative"],
        required=False,
    )
    contact_person = forms.CharField(
        label="联系人（单位申请填写）",
        max_length=INTAKE_MAX_LENGTHS["contact_person"],
        required=False,
    )
    phone = _FoldedCharField(
        label="联系电话",
        max_length=INTAKE_MAX_LENGTHS["phone"],
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = _FoldedEmailField(
        label="电子邮箱",
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确。"},
        max_length=INTAKE_MAX_LENGTHS["email"],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label="通信地址",
        max_length=INTAKE_MAX_LENGTHS["address"],
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = _FoldedCharField(
        label="邮政编码",
        max_length=INTAKE_MAX_LENGTHS["postcode"],
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    description = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=INTAKE_MAX_LENGTHS["description"],
    )
    form = forms.ChoiceField(
        label="希望以何种形式提供",
        choices=InfoRequest.Form.choices,
        initial="electronic",
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式", choices=InfoRequest.Delivery.choices, initial="email"
    )
    attachment = forms.FileField(
        label="附件（可选：身份证明、补充材料，PDF、图片或 Word）",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx"}
        ),
    )
    captcha = forms.CharField(label="验证题", max_length=4)
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def registration_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("captcha", "website", "attachment"):
            data.pop(key, None)
        return data


class StatusForm(Form):
    tracking_number = forms.CharField(label="申请编号", max_length=40)
    query_code = forms.CharField(
        label="查询码",
        max_length=8,
        min_length=8,
        error_messages={"min_length": "查询码为 8 位数字。"},
    )

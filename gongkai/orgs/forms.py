from __future__ import annotations

from typing import Any

from django import forms

from gongkai.core.catalogue_templates import template_choices
from gongkai.formbase import Form
from gongkai.orgs.models import Organisation

# The kinds a top body can be (a 社区/村 is never the top of a platform).
TOP_KINDS = [
    (value, label)
    for value, label in Organisation.Kind.choices
    if value
    in ("province", "city", "district", "department", "subdistrict", "township")
]


class FirstRunForm(Form):
    setup_code = forms.CharField(
        label="设置码",
        max_length=100,
        help_text="在服务器上查看：<code>cat 数据目录/setup-code.txt</code>（仅本次首次设置有效）。",
    )
    name = forms.CharField(label="最上级机构全称", max_length=100)
    kind = forms.ChoiceField(label="机构类型", choices=TOP_KINDS)
    catalogue_template = forms.ChoiceField(
        label="标准目录模板",
        choices=lambda: [("", "按机构类型选择"), *template_choices()],
        required=False,
        help_text="本机构政务公开事项标准目录所依据的模板，以后可在机构设置中修改。",
    )
    username = forms.CharField(label="系统管理员用户名", max_length=150)
    full_name = forms.CharField(label="系统管理员姓名", max_length=50, required=False)
    password1 = forms.CharField(
        label="密码", widget=forms.PasswordInput, max_length=128
    )
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput, max_length=128
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data

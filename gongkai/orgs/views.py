"""The first-run screen: on a platform without any organisation, whoever can read the
setup code on the server creates the top body and its first 系统管理员."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.config.localkeys import write_new_file
from gongkai.orgs.bootstrap import Administrator, bootstrap_platform, platform_is_empty
from gongkai.orgs.forms import FirstRunForm
from gongkai.orgs.models import Role

SETUP_CODE_FILE = "setup-code.txt"


def setup_code_path() -> Path:
    return Path(settings.VAR_DIR) / SETUP_CODE_FILE


def _setup_code() -> str:
    """The one-time code in the data directory (mode 600), created on first need: only
    someone with access to the server can claim an empty platform."""
    path = setup_code_path()
    if not path.exists():
        write_new_file(path, secrets.token_urlsafe(18) + "\n")
    return path.read_text(encoding="utf-8").strip()


def first_run(request: HttpRequest) -> HttpResponse:
    if not platform_is_empty():
        raise Http404("平台已完成首次设置。")
    expected = _setup_code()
    form = FirstRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not secrets.compare_digest(data["setup_code"].strip(), expected):
            form.add_error(
                "setup_code", "设置码不正确，请在服务器上查看 setup-code.txt。"
            )
        else:
            try:
                top = bootstrap_platform(
                    name=data["name"],
                    kind=data["kind"],
                    catalogue_template=data.get("catalogue_template") or "",
                    administrators=[
                        Administrator(
                            Role.SYSADMIN,
                            data["username"],
                            data["full_name"],
                            data["password1"],
                        )
                    ],
                    via="首次设置页面",
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "password" in exc.error_dict:
                    for message in exc.error_dict["password"]:
                        form.add_error("password1", message)
                else:
                    form.add_error(None, "；".join(exc.messages))
            else:
                setup_code_path().unlink(missing_ok=True)
                messages.success(
                    request,
                    f"已创建“{top.name}”和系统管理员 {data['username']}。"
                    "请登录，绑定动态口令后在“系统管理”中建立机构树和岗位授权。",
                )
                return redirect("login")
    return render(request, "orgs/first_run.html", {"form": form})

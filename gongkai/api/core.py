from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from gongkai.orgs.services import TokenRefused, TokenScopeRefused

TOO_LARGE = "请求内容过大。"
# Any exception without a handler here propagates (the request's transaction rolls
# back and Django logs it); gongkai.api.errors.server_error answers it with this.
SERVER_ERROR = "服务器内部错误，请稍后重试。"

api = NinjaAPI(
    title="Gongkai 政府信息公开平台 API",
    version="1",
    description=(
        "工作人员接口使用登录会话认证（与后台相同，写操作需 CSRF 令牌）。"
        "其他系统（如 OA 公文系统）用接口令牌：请求头 `Authorization: Bearer gk_…`，"
        "只能调用标明可用令牌的接口（读取公开目录、新建信息草稿），见 docs/api-tokens.md。"
        "所有按机构划分的数据都经过统一的权限判断。错误信息为中文，字段 `detail`。"
    ),
    auth=django_auth,
    docs_url="/docs",
    urls_namespace="api",
)


def _messages(exc: DjangoValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@api.exception_handler(DjangoValidationError)
def _validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    messages = _messages(exc)
    return api.create_response(
        request, {"detail": "；".join(messages), "errors": messages}, status=400
    )


# What each kind of schema error (pydantic's ``type``) means, said in Chinese: the
# API answers bad input in the same words as the screens, never pydantic's English.
_SCHEMA_ERRORS = {
    "missing": "必须填写",
    "string_type": "须为文字",
    "string_too_short": "太短",
    "string_too_long": "太长",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "bool_type": "须为是或否（true/false）",
    "bool_parsing": "须为是或否（true/false）",
    "date_type": "须为日期（如 2026-12-08）",
    "date_parsing": "须为日期（如 2026-12-08）",
    "date_from_datetime_parsing": "须为日期（如 2026-12-08）",
    "datetime_type": "须为日期时间",
    "datetime_parsing": "须为日期时间",
    "greater_than": "超出允许的范围",
    "greater_than_equal": "超出允许的范围",
    "less_than": "超出允许的范围",
    "less_than_equal": "超出允许的范围",
    "literal_error": "不是可选的值",
    "enum": "不是可选的值",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "json_invalid": "不是有效的 JSON",
    "too_long": "项数太多",
    "too_short": "项数太少",
    "extra_forbidden": "不是可用的字段",
}


# The kinds whose limit the error carries (pydantic's ``ctx``): said with the limit.
_LIMITED = {
    "greater_than_equal": ("ge", "须不小于{}"),
    "less_than_equal": ("le", "须不大于{}"),
    "greater_than": ("gt", "须大于{}"),
    "less_than": ("lt", "须小于{}"),
    "string_too_long": ("max_length", "最多{}个字"),
    "string_too_short": ("min_length", "至少{}个字"),
}


def _schema_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in _LIMITED and _LIMITED[kind][0] in ctx:
        key, words = _LIMITED[kind]
        return words.format(ctx[key])
    if kind == "value_error":
        # A validator of ours: its message is already Chinese.
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return _SCHEMA_ERRORS.get(kind, "格式不正确")


def _schema_field(error: dict[str, Any]) -> str:
    return ".".join(
        str(part)
        for part in error.get("loc", ())
        if part not in ("body", "query", "path", "payload")
    )


@api.exception_handler(NinjaValidationError)
def _schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": _schema_field(error) or "请求",
            "msg": _schema_message(error),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    detail = (
        "请求数据格式不正确："
        + "；".join(f"{e['field']}{e['msg']}" for e in errors)
        + "。"
    )
    return api.create_response(
        request, {"detail": detail, "errors": errors}, status=422
    )


# django-ninja's own refusals are English ("Cannot parse request body"): each is
# said in Chinese by its status.
_HTTP_ERRORS = {
    400: "请求正文不是有效的 JSON，或格式不正确。",
    # django-ninja's session check ("CSRF check Failed"): a signed-in browser's
    # write must carry the token.
    403: "请求缺少有效的 CSRF 令牌：以登录会话调用时，写操作须带 X-CSRFToken 请求头（或改用接口令牌）。",
    405: "此接口不支持该请求方法。",
    429: "请求过于频繁，请稍后再试。",
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if not message or message.isascii():
        message = _HTTP_ERRORS.get(exc.status_code, "请求未能处理。")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "您无权执行此操作。"}, status=403
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "未找到。"}, status=404)


@api.exception_handler(OverflowError)
def _out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # A path id larger than any database integer: nothing can have it.
    return api.create_response(request, {"detail": "未找到。"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
    return api.create_response(request, {"detail": "请先登录。"}, status=401)


@api.exception_handler(TokenRefused)
def _token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    # RFC 6750 §3.1: an unknown, expired, revoked or disabled token.
    response = api.create_response(request, {"detail": str(exc)}, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(TokenScopeRefused)
def _token_scope_refused(request: HttpRequest, exc: TokenScopeRefused) -> HttpResponse:
    # RFC 6750 §3.1: a valid token without the scope the endpoint needs.
    response = api.create_response(request, {"detail": str(exc)}, status=403)
    response["WWW-Authenticate"] = (
        f'Bearer error="insufficient_scope", scope="{exc.scope}"'
    )
    return response


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": TOO_LARGE}, status=413)

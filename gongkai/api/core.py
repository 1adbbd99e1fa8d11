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
from ninja.errors import AuthenticationError
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


@api.exception_handler(NinjaValidationError)
def _schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = []
    for error in exc.errors:
        loc = ".".join(
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        )
        fields.append(loc or "请求")
    detail = "请求数据格式不正确：" + "、".join(fields) + "。"
    return api.create_response(
        request, {"detail": detail, "errors": exc.errors}, status=422
    )


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

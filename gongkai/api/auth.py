"""Bearer tokens for other systems (an OA 公文系统): ``Authorization: Bearer gk_…``.

An endpoint that a token may call lists ``token_or_session(scope)`` as its auth:
a request with a bearer token is checked against the token (live, not expired, not
revoked, holding ``scope``) and then acts as the token's service account, so the one
permission helper and the audit log see it like any user. A refused token answers
401 in Chinese and the token itself is never echoed back.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from gongkai.orgs.models import ApiToken
from gongkai.orgs.services import TokenRefused, api_token_authenticate


class BearerToken(HttpBearer):
    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_authenticate(token, self.scope)  # TokenRefused if not
        request.user = found.service_user
        return found


def token_or_session(scope: ApiToken.Scope) -> list[Any]:
    """Auth of an endpoint open to tokens with ``scope`` and to signed-in staff."""
    return [BearerToken(scope.value), django_auth]


__all__ = ["BearerToken", "TokenRefused", "token_or_session"]

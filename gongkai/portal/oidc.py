"""我的申请 through a province's 统一身份认证 (OpenID Connect, authorization-code flow).

``mozilla-django-oidc`` does the protocol: the token request, the id_token's
signature and nonce (HS256 with the client secret, or RS256/ES256 with the
provider's JWKS), and the userinfo call. It is used for those pieces only, never as
an authentication backend: an applicant is an address, not a ``User`` row, so the
verified mobile number (``phone_number`` + ``phone_number_verified``) or e-mail
(``email`` + ``email_verified``) from the provider signs in to the same space as a
one-time code would (``portal.applicant.Identity``). When the province's system
also vouches for the person's identity number (the claim named by
``GONGKAI_OIDC_ID_NUMBER_CLAIM``, counted only with ``<claim>_verified`` true and a
valid 居民身份证号码), the space also lists the applications made with that number
(``InfoRequest.id_digest``); such a number alone is enough to sign in.

Settings (``.env.example``): ``GONGKAI_OIDC_AUTHORIZATION_ENDPOINT`` (empty: the
button is not shown), ``GONGKAI_OIDC_TOKEN_ENDPOINT``, ``GONGKAI_OIDC_USERINFO_ENDPOINT``,
``GONGKAI_OIDC_JWKS_ENDPOINT``, ``GONGKAI_OIDC_CLIENT_ID``, ``GONGKAI_OIDC_CLIENT_SECRET``,
``GONGKAI_OIDC_SIGN_ALGO`` (HS256), ``GONGKAI_OIDC_NAME`` (the button's label).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import (
    ImproperlyConfigured,
    SuspiciousOperation,
    ValidationError,
)
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from gongkai.audit.services import audit_record
from gongkai.core.applicant_contact import (
    EMAIL,
    PHONE,
    mask_contact,
    normalise_email,
    normalise_phone,
)
from gongkai.core.identifiers import (
    IdentifierError,
    mask_identifier,
    validate_resident_id,
)
from gongkai.portal.applicant import ID_NUMBER, Identity
from gongkai.security.fields import digest_of

SESSION_KEY = "gongkai_oidc"
FAILED = "统一身份认证登录未成功，请重试，或改用手机号码、电子邮箱验证码登录。"
NO_CONTACT = (
    "统一身份认证没有提供经过验证的手机号码、电子邮箱或身份证号码，无法找到您的申请。"
    "请改用验证码登录。"
)


class ApplicantOidc(OIDCAuthenticationBackend):
    """The library's token, JWS and userinfo handling; no user is looked up or created."""

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        value = getattr(settings, attr, None)
        if value is None or value == "":
            if args:
                return args[0]
            raise ImproperlyConfigured(f"{attr} 未配置")
        return value


def oidc_enabled() -> bool:
    return bool(settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


def oidc_start(session: Any, redirect_uri: str) -> str:
    """Remember a fresh state and nonce in the session; the provider's URL to go to."""
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    session[SESSION_KEY] = {"state": state, "nonce": nonce}
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": "openid email phone",
            "state": state,
            "nonce": nonce,
        }
    )
    return f"{settings.OIDC_OP_AUTHORIZATION_ENDPOINT}?{query}"


def oidc_finish(
    session: Any, *, code: str, state: str, redirect_uri: str
) -> tuple[Identity, str]:
    """The identity behind the provider's answer and its masked address; else a
    Chinese ``ValidationError`` (never the provider's text, which may name the person)."""
    started = session.pop(SESSION_KEY, None)
    if (
        not isinstance(started, dict)
        or not code
        or not secrets.compare_digest(str(started.get("state", "")), state or "")
    ):
        raise ValidationError(FAILED)
    backend = ApplicantOidc()
    try:
        token = backend.get_token(
            {
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "client_secret": settings.OIDC_RP_CLIENT_SECRET,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
            }
        )
        payload = backend.verify_token(token["id_token"], nonce=started["nonce"])
        claims = backend.get_userinfo(token["access_token"], token["id_token"], payload)
    except (
        requests.RequestException,
        SuspiciousOperation,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        audit_record(
            action="portal.applicant_oidc_failed",
            result="failure",
            details={"error": exc.__class__.__name__},
        )
        raise ValidationError(FAILED) from exc
    if claims.get("sub") != payload.get("sub"):
        raise ValidationError(FAILED)
    phone = normalise_phone(str(claims.get("phone_number") or ""))
    email = normalise_email(str(claims.get("email") or ""))
    number = verified_id_number(claims)
    id_digest = digest_of(number) if number else ""
    if phone and claims.get("phone_number_verified") is True:
        kind, value = PHONE, phone
    elif email and claims.get("email_verified") is True:
        kind, value = EMAIL, email
    elif number:
        audit_record(
            action="portal.applicant_sign_in", details={"kind": f"oidc_{ID_NUMBER}"}
        )
        return Identity(
            kind=ID_NUMBER, digest=id_digest, masked="", id_digest=id_digest
        ), mask_identifier(number)
    else:
        raise ValidationError(NO_CONTACT)
    audit_record(
        action="portal.applicant_sign_in",
        details={"kind": f"oidc_{kind}", "id_number": bool(number)},
    )
    identity = Identity(
        kind=kind, digest=digest_of(value), masked="", id_digest=id_digest
    )
    return identity, mask_contact(kind, value)


def verified_id_number(claims: dict[str, Any]) -> str:
    """The 居民身份证号码 the provider vouches for (normalised), else ""."""
    claim = settings.OIDC_ID_NUMBER_CLAIM
    if not claim or claims.get(f"{claim}_verified") is not True:
        return ""
    try:
        return validate_resident_id(str(claims.get(claim) or ""))
    except IdentifierError:
        return ""

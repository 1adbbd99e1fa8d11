"""Who needs the TOTP second factor, and the enrolment helpers."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.orgs.models import Membership, Role

ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)


def demo_exempt(user: Any) -> bool:
    return bool(settings.ALLOW_DEMO_ACCOUNTS and getattr(user, "is_demo", False))


def otp_required(user: Any) -> bool:
    """TOTP is required for the three administrator roles (and all staff if configured)."""
    if not getattr(user, "is_authenticated", False) or demo_exempt(user):
        return False
    memberships = Membership.objects.filter(user=user)
    if settings.OTP_REQUIRED_FOR_ALL and (user.is_staff or memberships.exists()):
        return True
    return memberships.filter(role__in=ADMIN_ROLES).exists()


def confirmed_devices(user: Any) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True))


def pending_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed device for enrolment (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=False)
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    return str(device.config_url)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (rendered on the server, no CDN)."""
    return str(
        segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    )


def secret_base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")

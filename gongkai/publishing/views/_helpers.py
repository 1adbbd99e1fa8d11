"""Helpers of the publishing screens: the active organisation, form errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
)

from gongkai.backoffice.context import active_organisation
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can

FEED_SIZE = 50


def _org(request: HttpRequest, perm: Perm = Perm.VIEW) -> Organisation:
    org = active_organisation(request)
    if org is None or not can(request.user, perm, org):
        raise PermissionDenied("请先选择您有权办理的机构。")
    return org


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    msgs = (
        [m for ms in exc.message_dict.values() for m in ms]
        if hasattr(exc, "error_dict")
        else exc.messages
    )
    for message in msgs:
        messages.error(request, message)

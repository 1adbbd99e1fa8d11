"""Test builders for organisations, users and memberships (through the services)."""

from __future__ import annotations

import itertools
from typing import Any

from gongkai.accounts.models import User
from gongkai.core.identifiers import credit_code_check_character
from gongkai.orgs.models import Membership, Organisation
from gongkai.orgs.services import membership_grant, organisation_create

_serial = itertools.count(1)
PASSWORD = "Test-password-2026"


def credit_code(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    first17 = f"11410302MC{n:07d}"
    return first17 + credit_code_check_character(first17)


def make_org(
    name: str,
    parent: Organisation | None = None,
    kind: str = "subdistrict",
    **fields: Any,
) -> Organisation:
    fields.setdefault("credit_code", credit_code())
    return organisation_create(
        actor=None, parent=parent, name=name, kind=kind, **fields
    )


def make_user(
    username: str,
    org: Organisation | None = None,
    role: str | None = None,
    **fields: Any,
) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    if org is not None and role is not None:
        membership_grant(actor=None, user=user, organisation=org, role=role)
    return user


def grant(user: User, org: Organisation, role: str) -> Membership:
    return membership_grant(actor=None, user=user, organisation=org, role=role)

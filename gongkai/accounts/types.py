"""Who does something: the type every service's ``actor=`` takes.

A signed-in ``User``; ``AnonymousUser`` for the public (an online application, a
survey answer); ``None`` for the system itself (a scheduled task, a data fill).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from gongkai.accounts.models import User

Actor: TypeAlias = User | AnonymousUser | None


def stored_user(actor: Actor) -> User | None:
    """The user to store in a ``…_by`` column: a signed-in user, else None (public, system)."""
    return actor if isinstance(actor, User) else None

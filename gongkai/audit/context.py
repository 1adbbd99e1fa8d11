"""Who and where the current request comes from, for audit rows written by services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""


current_request: ContextVar[RequestContext] = ContextVar(
    "gongkai_request_context",
    default=RequestContext(),  # noqa: B039 - frozen dataclass, immutable
)

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gongkai.audit.context import RequestContext, current_request

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``value``, or None for anything that is not one IP address."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return None  # "fe80::1%eth0" does not fit an inet column
    return address


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
    networks: Sequence[_Network],
) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the one helper for the audit log, the sign-in lockout and
    every rate limit.

    REMOTE_ADDR, unless the connection comes from a proxy in GONGKAI_TRUSTED_PROXIES;
    then the right-most address of X-Forwarded-For (else X-Real-IP) that is not itself
    a trusted proxy. A header that does not parse falls back to REMOTE_ADDR, so a
    client can neither choose its address nor store arbitrary text in the audit log.
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    networks = _networks(tuple(getattr(settings, "GONGKAI_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part for part in forwarded.split(",") if part.strip()]
    if not chain:
        chain = [request.META.get("HTTP_X_REAL_IP", "")]
    found = remote
    for raw in reversed(chain):
        address = _address(raw)
        if address is None:
            return str(remote)
        found = address
        if not _trusted(address, networks):
            break
    return str(found)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(
            RequestContext(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

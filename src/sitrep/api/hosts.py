"""The Host check: a server on loopback answers only requests addressed to a loopback name.

Why: a web page on any site can make the analyst's browser send requests to 127.0.0.1 under a
name of the page's choosing that resolves there (DNS rebinding); the browser then lets the page read
the answers as same-origin. Such requests carry the page's host name in ``Host``, so refusing names
other than the loopback ones closes that path. A server opened to the network names its own hosts
(``sitrep serve --allowed-host``, ``SITREP_ALLOWED_HOSTS``) or accepts any.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable
from typing import Any

from sitrep.api.errors import envelope

HOSTS_VARIABLE = "SITREP_ALLOWED_HOSTS"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    """Whether a listening address is loopback only (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def hosts_from_env() -> frozenset[str] | None:
    """The names in $SITREP_ALLOWED_HOSTS (comma-separated), or None: any host."""
    raw = os.environ.get(HOSTS_VARIABLE, "")
    names = [name.strip().lower() for name in raw.split(",") if name.strip()]
    return frozenset(names) or None


def serving_hosts(listen: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """The names a server listening on ``listen`` answers to: loopback names for a loopback
    address, plus ``extra``; None (any) for a network address with no names given."""
    names = {name.strip().lower() for name in extra if name.strip()}
    if is_loopback(listen):
        names |= LOOPBACK_NAMES | {listen.strip("[]").lower()}
    return frozenset(names) or None


def host_name(header: str) -> str:
    """The name in a Host header, without its port: ``[::1]:8000`` gives ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """Pure ASGI middleware (no per-request task, unlike BaseHTTPMiddleware): 400 with the error
    envelope for a request whose Host is not allowed."""

    def __init__(self, app: Any, allowed: frozenset[str]):
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if host_name(given) not in self.allowed:
                response = envelope(400, "bad_request", f"host {given[:100]!r} is not served here; "
                                    f"allowed: {', '.join(sorted(self.allowed))} (sitrep serve --allowed-host)")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

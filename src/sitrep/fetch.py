"""Fetching a URL without being turned against the network sitrep runs in (SSRF).

A feed URL, or a redirect that a feed's server answers with, can point at the analyst's own
machine or network: a router's admin page, a cloud metadata service (169.254.169.254), a database
on localhost. ``fetch_url`` refuses those unless the user allowed them (``UrlPolicy``):

- only http and https, on the first request and on every redirect;
- every address the host resolves to must be public (``address_problem``): loopback, private,
  link-local, multicast, reserved, unspecified and shared (CGNAT) addresses are refused, and so
  are IPv6 addresses that embed one of them (IPv4-mapped, 6to4, Teredo, NAT64);
- the connection goes to an address that was checked (it is pinned): the name is resolved once,
  checked, and the socket connects to those addresses, so a name that re-resolves to 127.0.0.1
  between the check and the connection (DNS rebinding) gets nowhere. TLS still verifies the
  certificate against the host name;
- proxies from the environment are not used: a proxy would connect, on sitrep's behalf, to an
  address sitrep never saw.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Union
from urllib.parse import urlsplit

from sitrep import __version__
from sitrep.errors import InputError

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
# Resolves (host, port) to the IP addresses a connection may go to.
Resolver = Callable[[str, int], list[str]]

SCHEMES = ("http", "https")
USER_AGENT = f"sitrep/{__version__}"
ALLOW_VARIABLE = "SITREP_ALLOW_PRIVATE_URLS"
ALLOW_HINT = f"to allow private addresses, set {ALLOW_VARIABLE}=1 or pass --allow-private-urls (ingest --follow)"
# A server that trickles one byte per socket timeout would otherwise hold a poll for days.
DEFAULT_DEADLINE_S = 120.0
_READ_CHUNK = 64 * 1024
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are an IPv4 address


class UrlRefused(InputError):
    """A URL (or a redirect) that the policy does not let sitrep fetch."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host``, in its order, without duplicates."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OSError(f"cannot resolve {host} ({error})") from None
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


@dataclass(frozen=True)
class UrlPolicy:
    """Which addresses may be fetched. ``allow_private`` lifts the address check (the user said so);
    ``allowed_networks`` lets through only these non-public networks (tests, a known intranet)."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()
    resolver: Resolver = field(default=system_resolver, compare=False)

    def problem(self, address: str) -> str | None:
        """Why ``address`` may not be fetched, or None when it may."""
        if self.allow_private:
            return None
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
        if any(ip.version == network.version and ip in network for network in self.allowed_networks):
            return None
        return address_problem(ip)


def address_problem(ip: IPAddress) -> str | None:
    """What kind of non-public address ``ip`` is ("a loopback address"), or None for a public one."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        found = address_problem(embedded)
        if found or ip in _NAT64 or (isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None):
            # Mapped and NAT64 addresses are their IPv4 address; 6to4 is also checked as itself below.
            return f"{found.removesuffix('address')}address inside an IPv6 address" if found else None
    checks = (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
              ("link-local", ip.is_link_local), ("multicast", ip.is_multicast), ("reserved", ip.is_reserved),
              ("private", ip.is_private), ("non-public", not ip.is_global))
    for kind, matches in checks:
        if matches:
            return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address"
    return None


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (IPv4-mapped, 6to4, NAT64), if any. Teredo's
    2001::/32 is not public in itself (IANA), so it is refused without looking inside."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def check_url(url: str, policy: UrlPolicy) -> None:
    """Refuse a URL by what it says, before any network: its scheme, a missing host, and a host
    that is a non-public IP address."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        given = f"not {parts.scheme}:" if parts.scheme else "and this names no scheme"
        raise UrlRefused(url, f"refused: only http and https URLs are fetched, {given} (give a local file as "
                              "a plain path)")
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as error:
        raise UrlRefused(url, f"refused: not a valid URL ({error})") from None
    if not host:
        raise UrlRefused(url, "refused: the URL names no host")
    if _is_ip(host):
        why = policy.problem(host)
        if why:
            raise UrlRefused(url, f"refused: {host} is {why}; {ALLOW_HINT}")


def checked_addresses(host: str, port: int, policy: UrlPolicy) -> list[str]:
    """The addresses to connect to for ``host``: every one it resolves to, each checked; one
    non-public address refuses the host (an attacker's DNS may answer with a public and a private one)."""
    addresses = [host] if _is_ip(host) else policy.resolver(host, port)
    if not addresses:
        raise OSError(f"{host} resolves to no address")
    for address in addresses:
        why = policy.problem(address)
        if why:
            shown = host if address == host else f"{host} resolves to {address}, which"
            raise _Refusal(host, f"{shown} is {why}")
    return addresses


class _Refusal(Exception):
    """Raised inside urllib's connection (not an OSError, so urllib passes it through unwrapped)."""

    def __init__(self, host: str, reason: str):
        super().__init__(reason)
        self.host = host
        self.reason = reason


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _connect_checked(policy: UrlPolicy, address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,
                     source_address: Any = None) -> socket.socket:
    """``socket.create_connection``, but only to the checked addresses of the host (pinning)."""
    host, port = address
    last_error: OSError | None = None
    for ip in checked_addresses(host, port, policy):
        try:
            return socket.create_connection((ip, port), timeout, source_address)
        except OSError as error:
            last_error = error
    assert last_error is not None
    raise last_error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, policy: UrlPolicy, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_connect_checked, policy)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    # HTTPSConnection.connect calls the same _create_connection, then wraps the socket in TLS with
    # server_hostname=self.host: the certificate is checked against the name, not the pinned address.
    def __init__(self, *args: Any, policy: UrlPolicy, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_connect_checked, policy)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, policy: UrlPolicy):
        super().__init__()
        self.policy = policy

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_PinnedHTTPConnection, policy=self.policy), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, policy: UrlPolicy):
        super().__init__(context=ssl.create_default_context())
        self.policy = policy

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_PinnedHTTPSConnection, policy=self.policy), req,
                            context=self._context)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects (urllib's limit of 10) and checks each target's scheme and literal host
    before it is requested; the connection then checks the addresses it resolves to."""

    def __init__(self, policy: UrlPolicy):
        super().__init__()
        self.policy = policy
        self.chain: list[str] = []

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        self.chain.append(newurl)
        check_url(newurl, self.policy)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@contextmanager
def open_url(url: str, policy: UrlPolicy, *, timeout: float) -> Iterator[http.client.HTTPResponse]:
    """The response to GET ``url`` under ``policy``, for reading in the ``with`` block; ``timeout``
    bounds each socket operation.

    Raises UrlRefused when the policy refuses the URL or a redirect, InputError when the fetch fails
    (also while the block reads).
    """
    check_url(url, policy)
    redirects = _RedirectHandler(policy)
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler({}), urllib.request.UnknownHandler(), _HTTPHandler(policy),
                    _HTTPSHandler(policy), redirects, urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            yield response
    except _Refusal as refusal:
        where = f" (redirected to {redirects.chain[-1]})" if redirects.chain else ""
        raise UrlRefused(url, f"refused{where}: {refusal.reason}; {ALLOW_HINT}") from None
    except UrlRefused as refused:
        if refused.source == url:
            raise
        raise UrlRefused(url, f"{refused.cause} (redirected to {refused.source})") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise InputError(url, f"cannot fetch it ({reason})") from None


def fetch_url(url: str, policy: UrlPolicy, *, max_bytes: int, timeout: float,
              deadline: float = DEFAULT_DEADLINE_S) -> bytes:
    """The body of ``url`` (at most ``max_bytes`` + 1 bytes, so a caller can tell it was cut), read
    under ``policy``. ``timeout`` bounds each socket operation and ``deadline`` the whole fetch."""
    with open_url(url, policy, timeout=timeout) as response:
        return _read_capped(response, max_bytes, time.monotonic() + deadline, url)


def _read_capped(response: Any, max_bytes: int, deadline: float, url: str) -> bytes:
    data = bytearray()
    while len(data) <= max_bytes:
        if time.monotonic() > deadline:
            raise InputError(url, "the server is sending too slowly; gave up (try again later)")
        chunk = response.read(min(_READ_CHUNK, max_bytes + 1 - len(data)))
        if not chunk:
            break
        data.extend(chunk)
    return bytes(data)

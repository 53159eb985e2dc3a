"""The access rules of one server run, as pure functions (no I/O, no Streamlit).

A run has a fresh random secret that never leaves the server's process and
its 0600 state file. Links carry one-time codes instead (`?code=`), each an
HMAC of a fresh nonce under the secret, so anyone who knows the secret (the
server, `bash run.sh` run again) can mint one, and the gate lets each be used
once. The gate swaps a code for a cookie that names this browser and is
signed with the secret.

Browsers send a host's cookies to every port of that host, so a cookie for
127.0.0.1 would also reach any program another account runs on another port
of 127.0.0.1. The cookie is therefore set on the run's private name,
`journal-<128 random bits>.localhost`: Chromium, Edge and Firefox resolve
every `*.localhost` name to the loopback themselves (no DNS query), the
cookie is host-only, and no other program knows the name, so no web page can
send the patient's browser to it on another port. Safari does not resolve
such names; the gate's hand-over page checks that the name can be reached and
otherwise sets the cookie on the numeric address (see access/gate.py).

Requests must name this server as Host (a web page that rebinds its own
domain to 127.0.0.1 sends its own name), and an `Origin`, when a browser
sends one, must be this very server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

# 256 bits, URL-safe: the printed link must survive copy and paste.
SECRET_BYTES = 32
BROWSER_ID_BYTES = 16
CODE_NONCE_BYTES = 16
NAME_BYTES = 16
CODE_PARAM = "code"
# Set on the hand-over to the numeric address, by a browser that cannot reach the private name.
HERE_PARAM = "here"
PRIVATE_SUFFIX = ".localhost"
COOKIE_PREFIX = "healing_journal_"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")
# Answered without the cookie: the launcher and the tests poll it, and a bare
# "ok" tells nothing that an open port does not already tell.
HEALTH_PATH = "/_stcore/health"
# Lets `bash run.sh` check that the server on the port is the one it started
# (it knows the secret) without sending the secret to whoever listens there.
PROOF_PATH = "/_journal/launch-proof"
PROOF_CONTEXT = b"healing-journal launch proof\x00"
COOKIE_CONTEXT = b"healing-journal browser\x00"
CODE_CONTEXT = b"healing-journal one-time code\x00"


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def new_private_name() -> str:
    """A host name of this run alone: lower-case hex (host names ignore case) under .localhost."""
    return f"journal-{secrets.token_hex(NAME_BYTES)}{PRIVATE_SUFFIX}"


def cookie_name(port: int) -> str:
    """Cookies are shared by every port of a host: the name keeps two journals apart."""
    return f"{COOKIE_PREFIX}{port}"


def parse_host(value: str | None, *, https: bool = False) -> tuple[str, int] | None:
    """(hostname, port) of a Host header or an origin's authority, or None if malformed."""
    if not value or any(char in value for char in "/?#@\\ \t"):
        return None
    try:
        parts = urlsplit(f"//{value}")
        port = parts.port
    except ValueError:
        return None
    hostname = parts.hostname
    if not hostname:
        return None
    return hostname.rstrip("."), port if port is not None else (443 if https else 80)


def parse_origin(value: str | None) -> tuple[str, str, int] | None:
    """(scheme, hostname, port) of an Origin header; None for "null" or anything malformed."""
    if not value or value == "null":
        return None
    scheme, separator, authority = value.partition("://")
    if not separator or scheme not in ("http", "https"):
        return None
    host = parse_host(authority, https=scheme == "https")
    return None if host is None else (scheme, *host)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Policy:
    """What one server run accepts."""

    secret: str
    port: int
    # The address served with --allow-remote (a name or an IP), accepted as Host too.
    served_address: str | None = None
    https: bool = False
    # The run's own name under .localhost, where the cookie lives (None: the cookie
    # lives on the address the browser used, as with --allow-remote).
    private_name: str | None = None
    hosts: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        if len(self.secret) < 22:  # 22 URL-safe characters are 128 bits
            raise ValueError("the launch secret must carry at least 128 bits")
        if self.private_name is not None and not _is_private_name(self.private_name):
            raise ValueError("the private name must be a random name under .localhost")
        served = (self.served_address or "").strip("[]").lower().rstrip(".")
        extra = () if served in WILDCARD_ADDRESSES else (served,)
        named = (self.private_name,) if self.private_name else ()
        object.__setattr__(self, "hosts", frozenset((*LOOPBACK_HOSTS, *extra, *named)))

    @property
    def cookie_name(self) -> str:
        return cookie_name(self.port)

    @property
    def scheme(self) -> str:
        return "https" if self.https else "http"

    # --- where requests come from ------------------------------------------------

    def host_allowed(self, host_header: str | None) -> bool:
        host = parse_host(host_header, https=self.https)
        return host is not None and host[0] in self.hosts and host[1] == self.port

    def same_origin(self, origin_header: str, host_header: str | None) -> bool:
        """Whether the Origin a browser sent is this server, under the name the request used."""
        origin = parse_origin(origin_header)
        host = parse_host(host_header, https=self.https)
        return (
            origin is not None
            and host is not None
            and origin == (self.scheme, *host)
            and self.host_allowed(host_header)
        )

    # --- the secret and the cookie ------------------------------------------------

    def is_private_host(self, host_header: str | None) -> bool:
        """Whether the request came by the run's private name (where the cookie cannot leak)."""
        host = parse_host(host_header, https=self.https)
        return self.private_name is not None and host is not None and host[0] == self.private_name

    def hands_over(self, host_header: str | None) -> bool:
        """Whether a code used at this Host is passed on to the private name rather than swapped here."""
        host = parse_host(host_header, https=self.https)
        return self.private_name is not None and host is not None and host[0] in LOOPBACK_HOSTS

    def new_code(self) -> str:
        """A one-time code: a fresh nonce and its HMAC under the secret."""
        nonce = secrets.token_urlsafe(CODE_NONCE_BYTES)
        return f"{nonce}.{self._mac(CODE_CONTEXT, nonce)}"

    def code_nonce(self, code: str) -> str | None:
        """The nonce of a genuine code (to be used once), or None for anything else."""
        nonce, separator, mac = code.partition(".")
        if not separator or not nonce or len(nonce) > 64:
            return None
        expected = self._mac(CODE_CONTEXT, nonce)
        return nonce if hmac.compare_digest(mac.encode("ascii", "replace"), expected.encode("ascii")) else None

    def new_cookie_value(self) -> str:
        """A value naming one browser (its id), signed with this run's secret."""
        browser_id = secrets.token_urlsafe(BROWSER_ID_BYTES)
        return f"{browser_id}.{self._signature(browser_id)}"

    def cookie_valid(self, value: str | None) -> bool:
        if not value or value.count(".") != 1:
            return False
        browser_id, signature = value.split(".")
        expected = self._signature(browser_id)
        return hmac.compare_digest(signature.encode("ascii", "replace"), expected.encode("ascii"))

    def _signature(self, browser_id: str) -> str:
        return self._mac(COOKIE_CONTEXT, browser_id)

    def _mac(self, context: bytes, text: str) -> str:
        key = self.secret.encode("utf-8")
        return _b64(hmac.new(key, context + text.encode("utf-8", "replace"), hashlib.sha256).digest())

    def set_cookie_header(self, value: str) -> str:
        # No Max-Age: a session cookie; the secret dies with the server anyway.
        secure = "; Secure" if self.https else ""
        return f"{self.cookie_name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}"

    def proof(self, nonce: str) -> str:
        """HMAC of a caller's nonce: shows knowledge of the secret without revealing it."""
        return self._mac(PROOF_CONTEXT, nonce)

    def origin(self, host: str = "127.0.0.1") -> str:
        """scheme://host:port of this server under the name `host`."""
        shown = f"[{host}]" if ":" in host else host
        return f"{self.scheme}://{shown}:{self.port}"

    def link(self, host: str = "127.0.0.1", path: str = "/", *, here: bool = False) -> str:
        """A fresh one-time link: http://127.0.0.1:PORT/?code=CODE."""
        query = urlencode([(CODE_PARAM, self.new_code()), *([(HERE_PARAM, "1")] if here else [])])
        return f"{self.origin(host)}{path}?{query}"


def browser_id(cookie_value: str | None) -> str | None:
    """The browser's id from a (checked) cookie value."""
    if not cookie_value or "." not in cookie_value:
        return None
    return cookie_value.split(".", 1)[0] or None


def cookies(header: str | None) -> dict[str, list[str]]:
    """Every value of every cookie in a Cookie header (a name may repeat)."""
    found: dict[str, list[str]] = {}
    for part in (header or "").split(";"):
        name, separator, value = part.strip().partition("=")
        if separator and name:
            found.setdefault(name, []).append(value.strip().strip('"'))
    return found


def _is_private_name(name: str) -> bool:
    label = name.removesuffix(PRIVATE_SUFFIX)
    return name.endswith(PRIVATE_SUFFIX) and re.fullmatch(r"journal-[0-9a-f]{32}", label) is not None


@dataclass(frozen=True)
class LinkQuery:
    """What a request's query string says about the link: the code, the hand-over mark, the rest."""

    code: str | None
    here: bool
    rest: str


def split_code(query_string: str) -> LinkQuery:
    """The code (the last one given), whether `here=1` was given, and the query without them."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    codes = [value for key, value in pairs if key == CODE_PARAM]
    here = any(key == HERE_PARAM and value == "1" for key, value in pairs)
    rest = urlencode([(key, value) for key, value in pairs if key not in (CODE_PARAM, HERE_PARAM)])
    return LinkQuery(codes[-1] if codes else None, here, rest)


def local_redirect(path: str, query: str) -> str:
    """A Location on this server: a path of the journal's own, never another host.

    "//host", "/\\host" and the like would leave it (browsers read a backslash
    as a slash), and so would control characters; any such path becomes "/".
    """
    safe = re.fullmatch(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*", path) is not None and not path.startswith("//")
    target = path if safe else "/"
    return f"{target}?{query}" if query else target

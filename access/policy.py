"""The access rules of one server run, as pure functions (no I/O, no Streamlit).

A run has a fresh random secret. The link the launcher prints carries it
(`?token=`); the gate swaps it for a cookie that names this browser and is
signed with the secret, so the secret itself does not stay in the browser's
history or in every request. Requests must name this server as Host (a web
page that rebinds its own domain to 127.0.0.1 sends its own name), and an
`Origin`, when a browser sends one, must be this very server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

# 256 bits, URL-safe: the printed link must survive copy and paste.
SECRET_BYTES = 32
BROWSER_ID_BYTES = 16
TOKEN_PARAM = "token"
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


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


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
    hosts: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        if len(self.secret) < 22:  # 22 URL-safe characters are 128 bits
            raise ValueError("the launch secret must carry at least 128 bits")
        served = (self.served_address or "").strip("[]").lower().rstrip(".")
        extra = () if served in WILDCARD_ADDRESSES else (served,)
        object.__setattr__(self, "hosts", frozenset((*LOOPBACK_HOSTS, *extra)))

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

    def token_valid(self, token: str) -> bool:
        return hmac.compare_digest(token.encode("utf-8", "replace"), self.secret.encode("utf-8"))

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
        key = self.secret.encode("utf-8")
        return _b64(hmac.new(key, COOKIE_CONTEXT + browser_id.encode("utf-8", "replace"), hashlib.sha256).digest())

    def set_cookie_header(self, value: str) -> str:
        # No Max-Age: a session cookie; the secret dies with the server anyway.
        secure = "; Secure" if self.https else ""
        return f"{self.cookie_name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}"

    def proof(self, nonce: str) -> str:
        """HMAC of a caller's nonce: shows knowledge of the secret without revealing it."""
        key = self.secret.encode("utf-8")
        return _b64(hmac.new(key, PROOF_CONTEXT + nonce.encode("utf-8", "replace"), hashlib.sha256).digest())

    def link(self, host: str = "127.0.0.1") -> str:
        """The URL to open: http://127.0.0.1:PORT/?token=SECRET."""
        shown = f"[{host}]" if ":" in host else host
        return f"{self.scheme}://{shown}:{self.port}/?{TOKEN_PARAM}={self.secret}"


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


def split_token(query_string: str) -> tuple[str | None, str]:
    """(the token, the rest of the query string without it)."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    tokens = [value for key, value in pairs if key == TOKEN_PARAM]
    rest = urlencode([(key, value) for key, value in pairs if key != TOKEN_PARAM])
    return (tokens[-1] if tokens else None), rest


def local_redirect(path: str, query: str) -> str:
    """A Location that stays on this server ("//host" would leave it)."""
    target = "/" + path.lstrip("/")
    return f"{target}?{query}" if query else target

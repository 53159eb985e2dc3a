"""ASGI middleware: only the browser that opened the printed link gets in.

Every HTTP request and WebSocket handshake is checked, in this order:

1. Host must be this server (127.0.0.1, localhost or [::1] with our port;
   with --allow-remote also the served address). Stops DNS rebinding.
2. An Origin, when present, must be this very server (scheme, name and
   port). Stops cross-site WebSockets, and pages on other local ports.
3. The health check and the launch proof are answered without the cookie.
4. `?token=SECRET` (checked in constant time) becomes an HttpOnly,
   SameSite=Strict cookie, and the browser is sent to the same address
   without the token.
5. Everything else needs that cookie; without it an HTTP request gets a
   short "locked" page (403) and a WebSocket is refused (403).

Every HTTP response also gets `Content-Security-Policy: frame-ancestors
'none'` (merged into a policy the app already sends) and
`X-Frame-Options: DENY`, so no other page can frame the journal.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from access.policy import HEALTH_PATH, PROOF_PATH, Policy, cookies, local_redirect, split_token

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOCKED_TEXT = "This journal is locked: open the link that run.sh printed."
LOCKED_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Healing Journal is locked</title></head>\n'
    f"<body><p>{LOCKED_TEXT}</p>\n<p>The link changes each time the journal starts.</p></body></html>\n"
).encode()
WRONG_HOST_TEXT = b"This address is not served here: open the link that run.sh printed.\n"
WRONG_ORIGIN_TEXT = b"Requests from other web pages are refused.\n"
FRAME_ANCESTORS = "frame-ancestors 'none'"
# The gate's own pages load nothing at all.
OWN_PAGE_CSP = f"default-src 'none'; {FRAME_ANCESTORS}"
NO_STORE = "no-store"
NO_REFERRER = (b"referrer-policy", b"no-referrer")
MAX_NONCE = 128
LOG = logging.getLogger(__name__)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            text: str = value.decode("latin-1")
            return text
    return None


def with_frame_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The response headers with framing forbidden; an existing CSP keeps its other directives."""
    kept: list[tuple[bytes, bytes]] = []
    policies: list[str] = []
    for key, value in headers:
        name = key.lower()
        if name == b"content-security-policy":
            policies.append(value.decode("latin-1"))
        elif name != b"x-frame-options":
            kept.append((key, value))
    merged = [_forbid_framing(policy) for policy in policies] or [FRAME_ANCESTORS]
    kept.extend((b"content-security-policy", policy.encode("latin-1")) for policy in merged)
    kept.append((b"x-frame-options", b"DENY"))
    return kept


def _forbid_framing(policy: str) -> str:
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    others = [d for d in directives if d.split()[0].lower() != "frame-ancestors"]
    return "; ".join([*others, FRAME_ANCESTORS])


class AccessGate:
    """The middleware (pass it to st.App / Starlette as `Middleware(AccessGate, policy=...)`)."""

    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)  # lifespan
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, body, content_type = refusal
            await self._refuse(scope, send, status, body, content_type)
            return
        if kind == "http":
            answered = await self._answer_own(scope, send)
            if answered:
                return
        await self.app(scope, receive, self._framing(send) if kind == "http" else send)

    # --- decisions ---------------------------------------------------------------

    def _refusal(self, scope: Scope) -> tuple[int, bytes, str] | None:
        """Why this request may not reach the app (status, body, content type), or None."""
        host = _header(scope, b"host")
        if not self.policy.host_allowed(host):
            LOG.debug("refused Host %r", host)
            return 403, WRONG_HOST_TEXT, "text/plain"
        origin = _header(scope, b"origin")
        if origin is not None and not self.policy.same_origin(origin, host):
            LOG.debug("refused Origin %r for Host %r", origin, host)
            return 403, WRONG_ORIGIN_TEXT, "text/plain"
        if scope["type"] == "http":
            # The token first: a wrong one is refused on every path, the open ones too.
            token, _ = split_token(scope.get("query_string", b"").decode("latin-1"))
            if token is not None:
                return None if self.policy.token_valid(token) else (403, LOCKED_PAGE, "text/html")
            if self._open_path(scope):
                return None
        if self._has_valid_cookie(scope):
            return None
        return 403, LOCKED_PAGE, "text/html"

    def _open_path(self, scope: Scope) -> bool:
        return scope["method"] in ("GET", "HEAD") and scope["path"] in (HEALTH_PATH, PROOF_PATH)

    def _has_valid_cookie(self, scope: Scope) -> bool:
        values = cookies(_header(scope, b"cookie")).get(self.policy.cookie_name, [])
        return any(self.policy.cookie_valid(value) for value in values)

    # --- responses ---------------------------------------------------------------

    async def _answer_own(self, scope: Scope, send: Send) -> bool:
        """The launch proof and the token redirect; True if answered here."""
        query = scope.get("query_string", b"").decode("latin-1")
        if scope["path"] == PROOF_PATH and scope["method"] in ("GET", "HEAD"):
            nonce = dict(parse_qsl(query)).get("nonce", "")[:MAX_NONCE]
            await _plain(send, 200, self.policy.proof(nonce).encode("ascii"), "text/plain")
            return True
        token, rest = split_token(query)
        if token is None or not self.policy.token_valid(token):  # a wrong one never gets here (_refusal)
            return False
        # Set the cookie, drop the token from the address.
        location = local_redirect(scope.get("root_path", "") + scope["path"], rest)
        cookie = (b"set-cookie", self.policy.set_cookie_header(self.policy.new_cookie_value()).encode("latin-1"))
        if _header(scope, b"sec-fetch-site") == "cross-site":
            # The link was clicked on another site's page: after a redirect the browser would
            # still count the request as cross-site and withhold the SameSite=Strict cookie.
            # A page that moves on by itself makes the next request this server's own.
            await _plain(send, 200, _moving_on_page(location), "text/html", [cookie, NO_REFERRER])
        else:
            await _plain(send, 303, b"", "text/plain", [(b"location", location.encode("latin-1")), cookie])
        return True

    async def _refuse(self, scope: Scope, send: Send, status: int, body: bytes, content_type: str) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        await _plain(send, status, body, content_type)

    def _framing(self, send: Send) -> Send:
        async def send_framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = with_frame_headers(list(message.get("headers", [])))
            await send(message)

        return send_framed


def _moving_on_page(location: str) -> bytes:
    target = html.escape(location, quote=True)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}"><title>Healing Journal</title></head>\n'
        f'<body><p><a href="{target}">Open the journal</a></p></body></html>\n'
    ).encode()


async def _plain(
    send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [
        (b"content-type", f"{content_type}; charset=utf-8".encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", NO_STORE.encode()),
        (b"content-security-policy", OWN_PAGE_CSP.encode()),
        (b"x-frame-options", b"DENY"),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def server_error(request: Any, exc: Exception) -> Any:
    """Starlette's handler for unexpected errors, with the anti-framing headers too."""
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(
        "Internal Server Error",
        status_code=500,
        headers={"content-security-policy": OWN_PAGE_CSP, "x-frame-options": "DENY", "cache-control": NO_STORE},
    )

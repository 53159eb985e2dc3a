"""ASGI middleware: only the browser that opened a printed link gets in.

Every HTTP request and WebSocket handshake is checked, in this order:

1. Host must be this server (127.0.0.1, localhost or [::1] with our port,
   or the run's private name; with --allow-remote also the served address).
   Stops DNS rebinding.
2. An Origin, when present, must be this very server (scheme, name and
   port). Stops cross-site WebSockets, and pages on other local ports.
3. The health check and the launch proof are answered without the cookie.
4. `?code=CODE`, a one-time code (an HMAC under the run's secret, checked in
   constant time, each accepted once):
   - at a numeric address (127.0.0.1, ...) it is passed on: a small page
     checks that the browser reaches the run's private name and moves it
     there with a fresh code, or, if it cannot (Safari), back here with
     `here=1`;
   - at the private name (or with `here=1`, or with --allow-remote) it
     becomes an HttpOnly, SameSite=Strict cookie of that host, and the
     browser is sent to the same path without the code;
   - used a second time it opens nothing: a browser that already has the
     cookie goes on to the journal, any other gets "link used".
5. Everything else needs that cookie; without it an HTTP request gets a
   short "locked" page (403) and a WebSocket is refused (403).

Every HTTP response also gets `Content-Security-Policy: frame-ancestors
'none'` (merged into a policy the app already sends), `X-Frame-Options:
DENY`, `Referrer-Policy: no-referrer` and `X-Content-Type-Options: nosniff`;
photos and uploads also `Cache-Control: no-store`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from access import document
from access.notices import (
    FRAME_ANCESTORS,
    LOCKED_PAGE,
    OWN_PAGE_CSP,
    USED_PAGE,
    hand_over_csp,
    hand_over_page,
    moving_on_page,
)
from access.policy import (
    CODE_PARAM,
    HEALTH_PATH,
    HERE_PARAM,
    PROOF_PATH,
    LinkQuery,
    Policy,
    cookies,
    local_redirect,
    split_code,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WRONG_HOST_TEXT = b"This address is not served here: open the link that the start command printed.\n"
WRONG_ORIGIN_TEXT = b"Requests from other web pages are refused.\n"
NO_STORE = "no-store"
NO_REFERRER = (b"referrer-policy", b"no-referrer")
NO_SNIFF = (b"x-content-type-options", b"nosniff")
# Photos and uploads are health data: never kept in the browser's cache.
PRIVATE_PREFIXES = ("/media/", "/_stcore/upload_file")
MAX_NONCE = 128
LOG = logging.getLogger(__name__)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            text: str = value.decode("latin-1")
            return text
    return None


def with_frame_headers(headers: list[tuple[bytes, bytes]], *, private: bool = False) -> list[tuple[bytes, bytes]]:
    """The response headers with framing, referrers and sniffing forbidden (and caching, if `private`).

    An existing CSP keeps its other directives.
    """
    replaced = {b"x-frame-options", b"referrer-policy", b"x-content-type-options"}
    if private:
        replaced.add(b"cache-control")
    kept: list[tuple[bytes, bytes]] = []
    policies: list[str] = []
    for key, value in headers:
        name = key.lower()
        if name == b"content-security-policy":
            policies.append(value.decode("latin-1"))
        elif name not in replaced:
            kept.append((key, value))
    merged = [_forbid_framing(policy) for policy in policies] or [FRAME_ANCESTORS]
    kept.extend((b"content-security-policy", policy.encode("latin-1")) for policy in merged)
    kept.extend([(b"x-frame-options", b"DENY"), NO_REFERRER, NO_SNIFF])
    if private:
        kept.append((b"cache-control", NO_STORE.encode()))
    return kept


def _forbid_framing(policy: str) -> str:
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    others = [d for d in directives if d.split()[0].lower() != "frame-ancestors"]
    return "; ".join([*others, FRAME_ANCESTORS])


class UsedCodes:
    """The nonces of the codes used so far in this run (each code opens the journal once)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def use(self, nonce: str) -> bool:
        """True the first time a nonce is used, False ever after."""
        # No lock: the gate runs on the server's one event loop, and this does not await.
        if nonce in self._used:
            return False
        self._used.add(nonce)
        return True


class AccessGate:
    """The middleware (pass it to st.App / Starlette as `Middleware(AccessGate, policy=...)`)."""

    def __init__(self, app: ASGIApp, policy: Policy, folder: Path | None = None) -> None:
        self.app = app
        self.policy = policy
        self.used_codes = UsedCodes()
        # The journal's folder: its profile names the page's language (access.document).
        self.folder = folder

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
        if kind == "http" and document.is_page_request(scope.get("method", ""), str(scope.get("path", ""))):
            headers = list(scope.get("headers", []))
            code = document.page_language(self.folder)
            scope = {**scope, "headers": document.plain_request_headers(headers)}
            await self.app(scope, receive, self._in_language(code, self._framing(scope, send)))
            return
        await self.app(scope, receive, self._framing(scope, send) if kind == "http" else send)

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
            # The code first: a forged one is refused on every path, the open ones too.
            code = _link(scope).code
            if code is not None:
                return None if self.policy.code_nonce(code) is not None else (403, LOCKED_PAGE, "text/html")
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
        """The launch proof and the one-time link; True if answered here."""
        if scope["path"] == PROOF_PATH and scope["method"] in ("GET", "HEAD"):
            query = scope.get("query_string", b"").decode("latin-1")
            nonce = dict(parse_qsl(query)).get("nonce", "")[:MAX_NONCE]
            await _plain(send, 200, self.policy.proof(nonce).encode("ascii"), "text/plain")
            return True
        link = _link(scope)
        nonce = None if link.code is None else self.policy.code_nonce(link.code)
        if nonce is None:  # a forged one never gets here (_refusal)
            return False
        path = local_redirect(scope.get("root_path", "") + scope["path"], "")
        location = local_redirect(path, link.rest)
        if not self.used_codes.use(nonce):
            if self._has_valid_cookie(scope):  # this browser is in already: a reload, a second click
                await _plain(send, 303, b"", "text/plain", [(b"location", location.encode("latin-1"))])
            else:
                await _plain(send, 403, USED_PAGE, "text/html")
            return True
        host = _header(scope, b"host")
        if self.policy.hands_over(host) and not link.here:
            await self._hand_over(send, path, link)
        else:
            await self._swap_for_cookie(scope, send, location)
        return True

    async def _hand_over(self, send: Send, path: str, link: LinkQuery) -> None:
        """The page that moves the browser to the private name, or back here where it cannot."""
        name = self.policy.private_name
        assert name is not None  # hands_over() says so
        rest = f"&{link.rest}" if link.rest else ""
        code = urlencode([(CODE_PARAM, self.policy.new_code())])  # one code: whichever way is taken first
        page = hand_over_page(
            named=f"{self.policy.origin(name)}{path}?{code}{rest}",
            here=f"{path}?{code}&{HERE_PARAM}=1{rest}",
            probe=f"{self.policy.origin(name)}{HEALTH_PATH}",
        )
        csp = (b"content-security-policy", hand_over_csp(self.policy.origin(name)).encode("latin-1"))
        await _plain(send, 200, page, "text/html", csp=csp)

    async def _swap_for_cookie(self, scope: Scope, send: Send, location: str) -> None:
        cookie = (b"set-cookie", self.policy.set_cookie_header(self.policy.new_cookie_value()).encode("latin-1"))
        if _header(scope, b"sec-fetch-site") == "cross-site":
            # The link was opened from elsewhere (a file, another site, the hand-over): after a
            # redirect the browser would still count the request as cross-site and withhold the
            # SameSite=Strict cookie. A page that moves on by itself makes the next request ours.
            await _plain(send, 200, moving_on_page(location), "text/html", [cookie])
        else:
            await _plain(send, 303, b"", "text/plain", [(b"location", location.encode("latin-1")), cookie])

    async def _refuse(self, scope: Scope, send: Send, status: int, body: bytes, content_type: str) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        await _plain(send, status, body, content_type)

    def _framing(self, scope: Scope, send: Send) -> Send:
        private = str(scope.get("path", "")).startswith(PRIVATE_PREFIXES)

        async def send_framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = with_frame_headers(list(message.get("headers", [])), private=private)
            await send(message)

        return send_framed

    @staticmethod
    def _in_language(code: str, send: Send) -> Send:
        """An HTML page's <html> tag set to `code` and its direction (access.document); other answers pass."""
        start: Message | None = None
        body: list[bytes] = []

        async def send_in_language(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if not content_type.startswith(b"text/html"):
                    await send(message)
                    return
                start = dict(message)
                return
            if start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = document.rewritten(b"".join(body), code)
            await send({**start, "headers": document.fresh_headers(list(start.get("headers", [])), len(page))})
            await send({"type": "http.response.body", "body": page})

        return send_in_language


def _link(scope: Scope) -> LinkQuery:
    return split_code(scope.get("query_string", b"").decode("latin-1"))


async def _plain(
    send: Send,
    status: int,
    body: bytes,
    content_type: str,
    extra: list[tuple[bytes, bytes]] | None = None,
    *,
    csp: tuple[bytes, bytes] = (b"content-security-policy", OWN_PAGE_CSP.encode()),
) -> None:
    headers = [
        (b"content-type", f"{content_type}; charset=utf-8".encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", NO_STORE.encode()),
        csp,
        (b"x-frame-options", b"DENY"),
        NO_SNIFF,
        NO_REFERRER,
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
        headers={
            "content-security-policy": OWN_PAGE_CSP,
            "x-frame-options": "DENY",
            "cache-control": NO_STORE,
            "referrer-policy": "no-referrer",
            "x-content-type-options": "nosniff",
        },
    )

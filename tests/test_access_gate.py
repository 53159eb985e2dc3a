"""The access gate as ASGI middleware, around a real Starlette app (no Streamlit, no browser).

The app below stands in for Streamlit's routes: a page, a photo under /media,
the health check, an upload, a WebSocket, a route that sends its own CSP and
one that fails. Starlette's TestClient drives it in-process, by default at
the run's private name (where the cookie lives); `numeric` goes by 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from access.gate import AccessGate, server_error, with_frame_headers
from access.notices import LOCKED_TEXT, USED_TEXT
from access.policy import (
    HEALTH_PATH,
    PROOF_PATH,
    Policy,
    browser_id,
    cookies,
    local_redirect,
    new_private_name,
    new_secret,
    parse_host,
    parse_origin,
    split_code,
)

PORT = 8765
# Fixed names (not new_private_name()): pytest-xdist's workers must collect the same parameters.
NAME = "journal-0123456789abcdef0123456789abcdef.localhost"
OTHER_RUNS_NAME = "journal-fedcba9876543210fedcba9876543210.localhost"
BASE = f"http://{NAME}:{PORT}"
NUMERIC = f"http://127.0.0.1:{PORT}"
# Absolute: TestClient would otherwise send the WebSocket to "testserver".
STREAM = f"ws://{NAME}:{PORT}/_stcore/stream"
SECRET = new_secret()


async def page(request: Request) -> Response:
    return PlainTextResponse(f"the journal at {request.url.path}")


async def photo(request: Request) -> Response:
    return Response(b"\xff\xd8 a photo", media_type="image/jpeg")


async def health(request: Request) -> Response:
    return PlainTextResponse("ok")


async def upload(request: Request) -> Response:
    return PlainTextResponse(f"stored {len(await request.body())} bytes")


async def own_csp(request: Request) -> Response:
    return PlainTextResponse("csp", headers={"Content-Security-Policy": "default-src 'self'; frame-ancestors *"})


async def fails(request: Request) -> Response:
    raise RuntimeError("boom")


async def stream(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text("notes and photos")
    await websocket.close()


def make_app(policy: Policy) -> Starlette:
    return Starlette(
        routes=[
            Route("/", page),
            Route("/gallery", page),
            Route("/media/{name}", photo),
            Route(HEALTH_PATH, health, methods=["GET", "HEAD"]),
            Route("/_stcore/upload_file/{session}/{file}", upload, methods=["PUT"]),
            Route("/own-csp", own_csp),
            Route("/fails", fails),
            WebSocketRoute("/_stcore/stream", stream),
        ],
        middleware=[Middleware(AccessGate, policy=policy)],
        exception_handlers={Exception: server_error},
    )


@pytest.fixture
def policy() -> Policy:
    return Policy(SECRET, PORT, private_name=NAME)


@pytest.fixture
def app(policy: Policy) -> Starlette:
    """One server run: every client below talks to the same gate (and its used codes)."""
    return make_app(policy)


def browser(app: Starlette, base: str = BASE) -> TestClient:
    return TestClient(app, base_url=base, follow_redirects=False, raise_server_exceptions=False)


@pytest.fixture
def client(app: Starlette) -> TestClient:
    return browser(app)


def code_of(link: str) -> str:
    code = split_code(link.split("?", 1)[1]).code
    assert code is not None
    return code


def signed_in(client: TestClient, policy: Policy | None = None) -> TestClient:
    policy = policy or Policy(SECRET, PORT, private_name=NAME)
    response = client.get(f"/?code={code_of(policy.link(NAME))}")
    assert response.status_code == 303
    return client


def assert_framing_forbidden(response) -> None:
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


# --- without the cookie ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/gallery", "/media/abc.jpg", "/static/js/index.js", "/_stcore/host-config"])
def test_without_cookie_every_path_gets_the_locked_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 403
    assert LOCKED_TEXT in response.text
    assert "the journal at" not in response.text and b"a photo" not in response.content
    assert_framing_forbidden(response)
    assert response.headers["cache-control"] == "no-store"


def test_without_cookie_no_upload_and_no_websocket(client: TestClient) -> None:
    assert client.put("/_stcore/upload_file/s/f", content=b"photo").status_code == 403
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(STREAM):
        pass
    assert refused.value.code == 1008


def test_health_answers_without_cookie(client: TestClient) -> None:
    response = client.get(HEALTH_PATH)
    assert response.status_code == 200 and response.text == "ok"
    assert_framing_forbidden(response)


@pytest.mark.parametrize("path", ["/", HEALTH_PATH, PROOF_PATH, "/media/abc.jpg"])
def test_a_forged_code_is_refused_on_every_path(client: TestClient, policy: Policy, path: str) -> None:
    genuine = code_of(policy.link(NAME))
    nonce, mac = genuine.split(".")
    foreign = code_of(Policy(new_secret(), PORT, private_name=NAME).link(NAME))
    for code in ("", "x", SECRET, genuine[:-1], genuine + "x", f"{nonce}x.{mac}", f"{nonce}.", foreign):
        response = client.get(path, params={"code": code})
        assert response.status_code == 403 and LOCKED_TEXT in response.text, code
        assert "set-cookie" not in response.headers


# --- the link ------------------------------------------------------------------------------------


def test_a_code_becomes_a_strict_http_only_cookie_of_the_private_name(client: TestClient, policy: Policy) -> None:
    link = policy.link(NAME, "/gallery")
    response = client.get(f"/gallery?code={code_of(link)}&x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/gallery?x=1"
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith(f"healing_journal_{PORT}=")
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Path=/" in set_cookie
    assert "domain=" not in set_cookie.lower()  # host-only: never sent to other names of this computer
    value = set_cookie.split(";")[0].split("=", 1)[1]
    assert SECRET not in value and policy.cookie_valid(value)
    assert_framing_forbidden(response)

    page_response = client.get("/gallery?x=1")
    assert page_response.status_code == 200 and page_response.text == "the journal at /gallery"
    assert_framing_forbidden(page_response)


def test_a_code_opens_the_journal_once(app: Starlette, policy: Policy) -> None:
    code = code_of(policy.link(NAME))
    first, second = browser(app), browser(app)
    assert first.get(f"/?code={code}").status_code == 303
    again = second.get(f"/?code={code}")
    assert again.status_code == 403 and USED_TEXT in again.text
    assert "set-cookie" not in again.headers and second.get("/").status_code == 403
    # The browser that used it (a reload, a second click) simply goes on to the journal.
    reload = first.get(f"/gallery?code={code}")
    assert reload.status_code == 303 and reload.headers["location"] == "/gallery"
    assert "set-cookie" not in reload.headers


def test_every_link_has_its_own_code(policy: Policy) -> None:
    links = {policy.link() for _ in range(20)}
    assert len(links) == 20
    assert all(
        re.fullmatch(rf"http://127\.0\.0\.1:{PORT}/\?code=[A-Za-z0-9_-]{{22}}\.[A-Za-z0-9_-]{{43}}", link)
        for link in links
    )
    assert not any(SECRET in link for link in links)


def test_at_the_numeric_address_a_code_is_handed_over_to_the_private_name(app: Starlette, policy: Policy) -> None:
    numeric = browser(app, NUMERIC)
    response = numeric.get(f"/gallery?code={code_of(policy.link())}&x=1")
    assert response.status_code == 200 and "set-cookie" not in response.headers
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    data = dict(re.findall(r'data-(named|here|probe)="([^"]+)"', response.text))
    named, here = data["named"].replace("&amp;", "&"), data["here"].replace("&amp;", "&")
    assert named.startswith(f"{BASE}/gallery?code=") and named.endswith("&x=1")
    assert here.startswith("/gallery?code=") and "here=1" in here
    assert data["probe"] == f"{BASE}{HEALTH_PATH}"
    # Only its own script runs (by hash), and it may reach only the private name.
    csp = response.headers["content-security-policy"]
    script = re.search(r"<script>(.*)</script>", response.text, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and f"connect-src {BASE}" in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    # One fresh code for both ways: whichever the browser takes first; the other is then used up.
    there = browser(app)
    assert there.get(named.removeprefix(BASE)).status_code == 303
    assert there.get("/gallery?x=1").status_code == 200
    assert numeric.get(here).status_code == 403


def test_a_browser_that_cannot_reach_the_private_name_stays_at_the_numeric_address(
    app: Starlette, policy: Policy
) -> None:
    numeric = browser(app, NUMERIC)
    response = numeric.get(f"/?code={code_of(policy.link())}")
    here = re.search(r'data-here="([^"]+)"', response.text)
    assert here is not None
    swapped = numeric.get(here.group(1).replace("&amp;", "&"))
    assert swapped.status_code == 303 and swapped.headers["location"] == "/"
    assert numeric.get("/").status_code == 200


def test_each_browser_gets_its_own_cookie(app: Starlette, policy: Policy) -> None:
    first, second = browser(app), browser(app)
    values = [c.get(f"/?code={code_of(policy.link(NAME))}").cookies[policy.cookie_name] for c in (first, second)]
    assert values[0] != values[1]
    assert browser_id(values[0]) != browser_id(values[1])


def test_link_opened_from_elsewhere_moves_on_by_itself(client: TestClient, policy: Policy) -> None:
    # After a cross-site redirect a browser would withhold the SameSite=Strict cookie.
    code = code_of(policy.link(NAME))
    response = client.get(f"/?code={code}", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200
    assert "set-cookie" in response.headers and response.headers["referrer-policy"] == "no-referrer"
    assert re.search(r'http-equiv="refresh" content="0; url=/"', response.text)
    assert SECRET not in response.text and code not in response.text


def test_with_cookie_the_app_is_served(client: TestClient) -> None:
    signed_in(client)
    assert client.get("/media/abc.jpg").content == b"\xff\xd8 a photo"
    assert client.put("/_stcore/upload_file/s/f", content=b"12345").text == "stored 5 bytes"
    with client.websocket_connect(STREAM, headers={"Origin": BASE}) as socket_:
        assert socket_.receive_text() == "notes and photos"


def test_a_tampered_or_foreign_cookie_is_refused(client: TestClient, policy: Policy) -> None:
    other = Policy(new_secret(), PORT)
    for value in (other.new_cookie_value(), "abc.def", "abc", "", policy.new_cookie_value() + "x"):
        client.cookies.set(policy.cookie_name, value)
        assert client.get("/").status_code == 403, value
    client.cookies.clear()
    client.cookies.set(policy.cookie_name, policy.new_cookie_value())
    assert client.get("/").status_code == 200


def test_cookie_of_another_port_does_not_open_this_one(app: Starlette) -> None:
    other_port = Policy(SECRET, PORT + 1)
    client = browser(app)
    client.cookies.set(other_port.cookie_name, other_port.new_cookie_value())
    assert client.get("/").status_code == 403


# --- Host and Origin ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:8765",
        "127.0.0.1:8766",
        "127.0.0.1",
        "127.0.0.2:8765",
        "localhost.evil:8765",
        f"{NAME}:8766",
        f"x.{NAME}:8765",
        f"{OTHER_RUNS_NAME}:8765",
        "",
        "a b",
    ],
)
def test_foreign_host_is_refused_even_with_cookie(client: TestClient, host: str) -> None:
    signed_in(client)
    assert client.get("/", headers={"Host": host}).status_code == 403
    assert client.get(HEALTH_PATH, headers={"Host": host}).status_code == 403
    with pytest.raises(WebSocketDisconnect), client.websocket_connect(STREAM, headers={"Host": host}):
        pass


@pytest.mark.parametrize(
    "host",
    [f"{NAME}:8765", f"{NAME.upper()}:8765", "127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost.:8765"],
)
def test_this_computer_under_any_of_its_names(client: TestClient, host: str) -> None:
    signed_in(client)
    assert client.get("/", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example:8765",
        f"http://{NAME}:9999",
        "http://127.0.0.1:8765",
        f"https://{NAME}:8765",
        "null",
        "file://",
    ],
)
def test_foreign_origin_is_refused_even_with_cookie(client: TestClient, origin: str) -> None:
    signed_in(client)
    assert client.get("/", headers={"Origin": origin}).status_code == 403
    with pytest.raises(WebSocketDisconnect), client.websocket_connect(STREAM, headers={"Origin": origin}):
        pass


def test_origin_must_match_the_name_the_request_used(client: TestClient) -> None:
    # Both are this computer, but a page on localhost is another origin than 127.0.0.1.
    signed_in(client)
    headers = {"Host": "127.0.0.1:8765", "Origin": "http://localhost:8765"}
    assert client.get("/", headers=headers).status_code == 403
    assert client.get("/", headers={"Host": "localhost:8765", "Origin": "http://localhost:8765"}).status_code == 200


def test_allow_remote_accepts_the_served_address_only() -> None:
    policy = Policy(SECRET, PORT, served_address="192.168.1.20", https=True)
    assert policy.host_allowed("192.168.1.20:8765") and policy.host_allowed("127.0.0.1:8765")
    assert not policy.host_allowed("192.168.1.21:8765")
    assert policy.link("192.168.1.20").startswith("https://192.168.1.20:8765/?code=")
    wildcard = Policy(SECRET, PORT, served_address="0.0.0.0")
    assert wildcard.hosts == {"127.0.0.1", "localhost", "::1"}


def test_over_tls_the_code_becomes_a_secure_cookie_where_it_was_used() -> None:
    policy = Policy(SECRET, PORT, served_address="127.0.0.2", https=True)
    remote = browser(make_app(policy), f"https://127.0.0.2:{PORT}")
    response = remote.get(f"/?code={code_of(policy.link('127.0.0.2'))}")
    assert response.status_code == 303  # no private name to hand over to: the phone keeps it here
    assert "; Secure" in response.headers["set-cookie"]
    assert remote.get("/").status_code == 200


def test_the_private_name_is_random_and_under_localhost() -> None:
    names = {new_private_name() for _ in range(50)}
    assert len(names) == 50
    assert all(re.fullmatch(r"journal-[0-9a-f]{32}\.localhost", name) for name in names)
    for bad in ("localhost", "journal.localhost", "evil.example", f"{NAME}.evil", "JOURNAL-" + "a" * 32 + ".localhost"):
        with pytest.raises(ValueError, match="private name"):
            Policy(SECRET, PORT, private_name=bad)


# --- framing -------------------------------------------------------------------------------------------


def test_an_existing_csp_keeps_its_directives_and_loses_its_framing(client: TestClient) -> None:
    signed_in(client)
    response = client.get("/own-csp")
    assert response.headers["content-security-policy"] == "default-src 'self'; frame-ancestors 'none'"
    assert response.headers["x-frame-options"] == "DENY"


def test_pages_send_no_referrer_and_photos_are_never_cached_or_sniffed(client: TestClient) -> None:
    signed_in(client)
    page_response = client.get("/gallery")
    assert page_response.headers["referrer-policy"] == "no-referrer"
    assert page_response.headers["x-content-type-options"] == "nosniff"
    photo_response = client.get("/media/abc.jpg")
    assert photo_response.headers["cache-control"] == "no-store"
    assert photo_response.headers["x-content-type-options"] == "nosniff"
    assert photo_response.headers["referrer-policy"] == "no-referrer"
    for refused in (browser(client.app).get("/"), client.get("/", headers={"Host": "evil:1"})):
        assert refused.headers["referrer-policy"] == "no-referrer"
        assert refused.headers["x-content-type-options"] == "nosniff"


def test_frame_headers_replace_rather_than_duplicate() -> None:
    headers = with_frame_headers([(b"X-Frame-Options", b"SAMEORIGIN"), (b"content-type", b"text/html")])
    assert headers.count((b"x-frame-options", b"DENY")) == 1
    assert not any(value == b"SAMEORIGIN" for _, value in headers)
    assert (b"content-security-policy", b"frame-ancestors 'none'") in headers


def test_an_unexpected_error_still_forbids_framing(client: TestClient) -> None:
    signed_in(client)
    response = client.get("/fails")
    assert response.status_code == 500 and "boom" not in response.text
    assert_framing_forbidden(response)


# --- the launch proof ---------------------------------------------------------------------------------------


def test_launch_proof_shows_the_secret_is_known_without_revealing_it(client: TestClient, policy: Policy) -> None:
    response = client.get(PROOF_PATH, params={"nonce": "n1"})
    assert response.status_code == 200 and response.text == policy.proof("n1")
    assert SECRET not in response.text
    assert response.text != policy.proof("n2")
    assert Policy(new_secret(), PORT).proof("n1") != response.text


# --- the policy's small parts ---------------------------------------------------------------------------------


def test_secrets_are_long_and_fresh() -> None:
    assert len({new_secret() for _ in range(50)}) == 50
    assert len(new_secret()) >= 43  # 32 random bytes, URL-safe
    with pytest.raises(ValueError, match="128 bits"):
        Policy("short", PORT)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1:8501", ("127.0.0.1", 8501)),
        ("[::1]:8501", ("::1", 8501)),
        ("LocalHost.:8501", ("localhost", 8501)),
        ("127.0.0.1", ("127.0.0.1", 80)),
        ("127.0.0.1:99999", None),
        ("127.0.0.1:x", None),
        ("user@127.0.0.1:8501", None),
        ("127.0.0.1:8501/path", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_host(value: str | None, expected: tuple[str, int] | None) -> None:
    assert parse_host(value) == expected


def test_parse_origin() -> None:
    assert parse_origin("http://127.0.0.1:8501") == ("http", "127.0.0.1", 8501)
    assert parse_origin("https://localhost") == ("https", "localhost", 443)
    assert parse_origin("null") is None and parse_origin("ftp://x") is None and parse_origin(None) is None


def test_the_code_is_split_from_the_query() -> None:
    found = split_code("code=abc&page=2&here=1")
    assert (found.code, found.here, found.rest) == ("abc", True, "page=2")
    assert split_code("page=2") == type(found)(None, False, "page=2")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/gallery", "/gallery"),
        ("/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("/\\/evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("/a\r\nLocation: x", "/"),
        ("/%2F%2Fevil", "/%2F%2Fevil"),
        ("https://evil.example/", "/"),
        ("/café", "/"),
    ],
)
def test_the_redirect_goes_only_to_a_path_of_the_journal(path: str, expected: str) -> None:
    assert local_redirect(path, "") == expected
    assert local_redirect(path, "a=1") == f"{expected}?a=1"


def test_an_odd_path_with_a_code_is_sent_home(client: TestClient, policy: Policy) -> None:
    response = client.get(f"/\\evil.example?code={code_of(policy.link(NAME))}")
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_cookie_header_parsing() -> None:
    assert cookies("a=1; b=2; a=3") == {"a": ["1", "3"], "b": ["2"]}
    assert cookies(None) == {} and cookies("junk") == {}

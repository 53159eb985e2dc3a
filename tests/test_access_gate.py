"""The access gate as ASGI middleware, around a real Starlette app (no Streamlit, no browser).

The app below stands in for Streamlit's routes: a page, a photo under /media,
the health check, an upload, a WebSocket, a route that sends its own CSP and
one that fails. Starlette's TestClient drives it in-process.
"""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from access.gate import LOCKED_TEXT, AccessGate, server_error, with_frame_headers
from access.policy import (
    HEALTH_PATH,
    PROOF_PATH,
    Policy,
    browser_id,
    cookies,
    local_redirect,
    new_secret,
    parse_host,
    parse_origin,
    split_token,
)

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
# Absolute: TestClient would otherwise send the WebSocket to "testserver".
STREAM = f"ws://127.0.0.1:{PORT}/_stcore/stream"
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
    return Policy(SECRET, PORT)


@pytest.fixture
def client(policy: Policy) -> TestClient:
    return TestClient(make_app(policy), base_url=BASE, follow_redirects=False, raise_server_exceptions=False)


def signed_in(client: TestClient) -> TestClient:
    response = client.get(f"/?token={SECRET}")
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
def test_wrong_token_is_refused_on_every_path(client: TestClient, path: str) -> None:
    for token in ("", "x", new_secret(), SECRET[:-1], SECRET + "x"):
        response = client.get(path, params={"token": token})
        assert response.status_code == 403 and LOCKED_TEXT in response.text, token
        assert "set-cookie" not in response.headers


# --- the link ------------------------------------------------------------------------------------


def test_token_becomes_a_strict_http_only_cookie_and_leaves_the_address(client: TestClient, policy: Policy) -> None:
    response = client.get(f"/gallery?token={SECRET}&x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/gallery?x=1"
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith(f"healing_journal_{PORT}=")
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Path=/" in set_cookie
    value = set_cookie.split(";")[0].split("=", 1)[1]
    assert SECRET not in value and policy.cookie_valid(value)
    assert_framing_forbidden(response)

    page_response = client.get("/gallery?x=1")
    assert page_response.status_code == 200 and page_response.text == "the journal at /gallery"
    assert_framing_forbidden(page_response)


def test_each_browser_gets_its_own_cookie(policy: Policy) -> None:
    first = TestClient(make_app(policy), base_url=BASE, follow_redirects=False)
    second = TestClient(make_app(policy), base_url=BASE, follow_redirects=False)
    values = [c.get(f"/?token={SECRET}").cookies[policy.cookie_name] for c in (first, second)]
    assert values[0] != values[1]
    assert browser_id(values[0]) != browser_id(values[1])


def test_link_clicked_on_another_site_moves_on_by_itself(client: TestClient) -> None:
    # After a cross-site redirect a browser would withhold the SameSite=Strict cookie.
    response = client.get(f"/?token={SECRET}", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200
    assert "set-cookie" in response.headers and response.headers["referrer-policy"] == "no-referrer"
    assert re.search(r'http-equiv="refresh" content="0; url=/"', response.text)
    assert SECRET not in response.text


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


def test_cookie_of_another_port_does_not_open_this_one(policy: Policy) -> None:
    other_port = Policy(SECRET, PORT + 1)
    client = TestClient(make_app(policy), base_url=BASE, follow_redirects=False)
    client.cookies.set(other_port.cookie_name, other_port.new_cookie_value())
    assert client.get("/").status_code == 403


# --- Host and Origin ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example:8765", "127.0.0.1:8766", "127.0.0.1", "127.0.0.2:8765", "localhost.evil:8765", "", "a b"]
)
def test_foreign_host_is_refused_even_with_cookie(client: TestClient, host: str) -> None:
    signed_in(client)
    assert client.get("/", headers={"Host": host}).status_code == 403
    assert client.get(HEALTH_PATH, headers={"Host": host}).status_code == 403
    with pytest.raises(WebSocketDisconnect), client.websocket_connect(STREAM, headers={"Host": host}):
        pass


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765", "[::1]:8765", "localhost.:8765"]
)
def test_this_computer_under_any_of_its_names(client: TestClient, host: str) -> None:
    signed_in(client)
    assert client.get("/", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "origin", ["http://evil.example:8765", "http://127.0.0.1:9999", "https://127.0.0.1:8765", "null", "file://"]
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
    policy = Policy(SECRET, PORT, served_address="192.168.1.20")
    assert policy.host_allowed("192.168.1.20:8765") and policy.host_allowed("127.0.0.1:8765")
    assert not policy.host_allowed("192.168.1.21:8765")
    assert policy.link("192.168.1.20") == f"http://192.168.1.20:8765/?token={SECRET}"
    wildcard = Policy(SECRET, PORT, served_address="0.0.0.0")
    assert wildcard.hosts == {"127.0.0.1", "localhost", "::1"}


# --- framing -------------------------------------------------------------------------------------------


def test_an_existing_csp_keeps_its_directives_and_loses_its_framing(client: TestClient) -> None:
    signed_in(client)
    response = client.get("/own-csp")
    assert response.headers["content-security-policy"] == "default-src 'self'; frame-ancestors 'none'"
    assert response.headers["x-frame-options"] == "DENY"


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


def test_token_is_split_from_the_query_and_the_redirect_stays_here() -> None:
    assert split_token("token=abc&page=2") == ("abc", "page=2")
    assert split_token("page=2") == (None, "page=2")
    assert local_redirect("//evil.example/x", "") == "/evil.example/x"
    assert local_redirect("/gallery", "a=1") == "/gallery?a=1"


def test_cookie_header_parsing() -> None:
    assert cookies("a=1; b=2; a=3") == {"a": ["1", "3"], "b": ["2"]}
    assert cookies(None) == {} and cookies("junk") == {}

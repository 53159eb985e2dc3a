"""Network audit for the tests: every connection and name lookup of this Python process.

Put this folder on PYTHONPATH and name a log file in HJ_NET_AUDIT_LOG; Python
imports `sitecustomize` at start-up. Every `connect`, `connect_ex`, `sendto`
and `bind` target and every `getaddrinfo`, `gethostbyname(_ex)` and
`gethostbyaddr` name is appended to the log as one JSON line
`[verdict, call, target]`. A target that is not this computer (the loopback,
a Unix socket, a wildcard bind) is refused before the call reaches the
system, so the audit itself never sends a packet or a DNS query out.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import socket
import threading
from typing import Any

LOG = os.environ.get("HJ_NET_AUDIT_LOG")
LOCAL_NAMES = {"localhost", "localhost.", ""}
_guard = threading.Lock()


def _is_local_host(host: Any) -> bool:
    if host is None:
        return True  # passive lookups (getaddrinfo(None, port)) name no host
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%", 1)[0]
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: looking it up could ask a DNS server
    return address.is_loopback or address.is_unspecified


def _is_local_address(address: Any) -> bool:
    if isinstance(address, (str, bytes)):
        return True  # AF_UNIX path
    if isinstance(address, tuple) and address:
        return _is_local_host(address[0])
    return False


def _record(verdict: str, call: str, target: Any) -> None:
    if not LOG:
        return
    line = json.dumps([verdict, call, repr(target)]) + "\n"
    with _guard, open(LOG, "a", encoding="utf-8") as log:
        log.write(line)


def _checked(call: str, target: Any, local: bool) -> None:
    _record("local" if local else "refused", call, target)
    if not local:
        raise OSError(errno.ENETUNREACH, f"network audit: {call} to {target!r} refused (not this computer)")


def _install() -> None:
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_sendto = socket.socket.sendto
    original_bind = socket.socket.bind
    original_getaddrinfo = socket.getaddrinfo
    original_gethostbyname = socket.gethostbyname
    original_gethostbyname_ex = socket.gethostbyname_ex
    original_gethostbyaddr = socket.gethostbyaddr

    def connect(self: socket.socket, address: Any) -> None:
        _checked("connect", address, _is_local_address(address))
        return original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _checked("connect_ex", address, _is_local_address(address))
        return original_connect_ex(self, address)

    def sendto(self: socket.socket, *args: Any) -> int:
        address = args[-1]
        _checked("sendto", address, _is_local_address(address))
        return original_sendto(self, *args)

    def bind(self: socket.socket, address: Any) -> None:
        _checked("bind", address, _is_local_address(address))
        return original_bind(self, address)

    def lookup(name: str, original: Any) -> Any:
        def wrapper(host: Any, *args: Any, **kwargs: Any) -> Any:
            local = _is_local_host(host)
            _record("local" if local else "refused", name, host)
            if not local:
                raise socket.gaierror(socket.EAI_NONAME, f"network audit: lookup of {host!r} refused")
            return original(host, *args, **kwargs)

        return wrapper

    socket.socket.connect = connect  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign, assignment]
    socket.socket.sendto = sendto  # type: ignore[method-assign, assignment]
    socket.socket.bind = bind  # type: ignore[method-assign, assignment]
    socket.getaddrinfo = lookup("getaddrinfo", original_getaddrinfo)
    socket.gethostbyname = lookup("gethostbyname", original_gethostbyname)
    socket.gethostbyname_ex = lookup("gethostbyname_ex", original_gethostbyname_ex)
    socket.gethostbyaddr = lookup("gethostbyaddr", original_gethostbyaddr)
    _record("local", "installed", os.getpid())


if LOG:
    _install()

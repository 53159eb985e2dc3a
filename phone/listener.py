"""Phone access, on and off: the HTTPS listener in a background thread of the server's process.

The journal's server (Streamlit) and its pages run in one process; so does
this listener, started by `launch.py --phone` once the server is up, or by
"Use my phone" on a page (ui.phone_access), and stopped by "Stop phone
access" or when the server stops. It binds to the one chosen address of this
computer (never every interface), serves TLS only with the per-install key,
and takes the first free port from 8543 (the same one every time, as far as
it can, so a phone's home-screen icon keeps working).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from access.launch_state import first_free_port
from healing_journal import Journal
from phone import addresses, certificate
from phone.app import PhoneService, build_app
from phone.devices import PairedPhones
from phone.pairing import PairingCodes
from recovery.language import _
from store.settings import Settings

DEFAULT_PORT = 8543
START_TIMEOUT_S = 20
# launch.py's --phone-address and --phone-port, for a listener turned on later from a page.
ADDRESS_ENV = "JOURNAL_PHONE_ADDRESS"
PORT_ENV = "JOURNAL_PHONE_PORT"


class PhoneAccessProblem(Exception):
    """Phone access cannot be turned on; the message says why, in plain words."""


@dataclass(frozen=True)
class Running:
    address: str
    port: int
    short_code: str
    fingerprint: str


class PhoneAccess:
    """The phone listener of this server process (one per process: `phone_access()`)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._service: PhoneService | None = None
        self._journal: Journal | None = None
        self.codes = PairingCodes()

    # --- state --------------------------------------------------------------------------

    @property
    def running(self) -> Running | None:
        service = self._service
        if service is None or self._thread is None or not self._thread.is_alive():
            return None
        cert = certificate.for_address(service.journal.folder, service.address)
        return Running(service.address, service.port, cert.short_code, cert.fingerprint)

    def phones(self, folder: Path) -> PairedPhones:
        return PairedPhones(folder)

    def link_works(self, link: str) -> bool:
        """Whether a pairing link made earlier would still pair a phone (unused, under 10 minutes old)."""
        service = self._service
        code = link.rsplit("code=", 1)[-1]
        return service is not None and link.startswith(service.origin) and self.codes.valid(code)

    def pairing_link(self) -> str:
        service = self._service
        if service is None:
            raise PhoneAccessProblem(_("Phone access is off."))
        return service.pairing_link()

    # --- on and off ---------------------------------------------------------------------

    def turn_on(self, settings: Settings | None = None) -> Running:
        """Start the listener (if it is not running) and return where it listens."""
        with self._guard:
            running = self.running
            if running is not None:
                return running
            settings = settings or Settings.from_environment()
            address = os.environ.get(ADDRESS_ENV) or addresses.detected()
            if address is None:
                raise PhoneAccessProblem(
                    _(
                        "This computer is not on a network a phone could share (no Wi-Fi or cable address was "
                        "found). Connect it to your home Wi-Fi, then try again."
                    )
                )
            problem = addresses.problem(address)
            if problem is not None:
                raise PhoneAccessProblem(problem)
            address = address.strip("[]")
            wanted = int(os.environ.get(PORT_ENV) or DEFAULT_PORT)
            try:
                port = first_free_port(address, wanted)
            except OSError as exc:
                raise PhoneAccessProblem(
                    _("Phone access cannot listen on {address}: it is not an address of this computer ({why}).").format(
                        address=address, why=exc.strerror or exc
                    )
                ) from exc
            if port is None:
                raise PhoneAccessProblem(
                    _("No free port from {port} on {address}.").format(port=wanted, address=address)
                )
            journal = self._journal or Journal.open(settings=settings)
            self._journal = journal
            cert = certificate.for_address(journal.folder, address)
            service = PhoneService(journal, PairedPhones(journal.folder), self.codes, address, port, cert.short_code)
            config = uvicorn.Config(
                build_app(service),
                host=address,
                port=port,
                ssl_certfile=str(cert.cert_path),
                ssl_keyfile=str(cert.key_path),
                ws="none",  # the phone's page has no WebSocket: an upgrade is answered as plain HTTP
                lifespan="off",
                proxy_headers=False,
                server_header=False,
                access_log=False,
                log_level="warning",
                limit_concurrency=32,
                timeout_keep_alive=5,
            )
            server = uvicorn.Server(config)
            thread = threading.Thread(target=server.run, name="phone-listener", daemon=True)
            thread.start()
            deadline = time.monotonic() + START_TIMEOUT_S
            while not server.started and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            if not server.started:
                server.should_exit = True
                raise PhoneAccessProblem(f"Phone access could not start on {address}:{port}.")
            self._server, self._thread, self._service = server, thread, service
            return Running(address, port, cert.short_code, cert.fingerprint)

    def turn_off(self) -> None:
        """Stop the listener: phones reach nothing until it is turned on again; codes made so far are void."""
        with self._guard:
            server, thread = self._server, self._thread
            self._server = self._thread = self._service = None
            self.codes.forget_all()
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=10)


_ACCESS = PhoneAccess()


def phone_access() -> PhoneAccess:
    """This process's phone access (the server's pages and launch.py share it)."""
    return _ACCESS

"""Start the Healing Journal server: `python launch.py [--allow-remote] [--phone] [streamlit options]`.

What it does before Streamlit starts:

- Refuses to listen on anything but this computer unless asked with
  `--allow-remote`, and then only over TLS (`--server.sslCertFile` and
  `--server.sslKeyFile`): over plain HTTP the link and the cookie would cross
  the network readable by anyone on it (see README, "Privacy").
- Sets umask 077 and makes the data folder 0700: whatever the server writes
  is the patient's alone.
- If this journal's server is already running (its 0600 state file names a
  port where a server answers and proves it knows the secret), prints a
  fresh one-time link to it instead of starting a second one.
- Checks the port (8501 unless --server.port says otherwise); if another
  program holds it, says so and takes the next free one, so the patient's
  bookmark never silently reaches someone else's server.
- Makes a fresh random secret and private host name and hands them to
  journal_asgi.py, which serves journal_app.py behind the access gate
  (access/policy.py says why). Once the server is up it prints a one-time
  link `http://127.0.0.1:PORT/?code=CODE` on a line of its own and, on a
  desktop, opens the browser on a private file that leads to another one
  (not with `--server.headless true`): no secret is ever in a command line.
- With `--phone` (and `--phone-address ADDRESS`, `--phone-port PORT`), turns
  phone access on once the server is up (phone/listener.py): an HTTPS
  listener on that one address, and prints its pairing link on a line of its
  own, with the QR code in the terminal and the certificate's code to compare.
- Switches off Streamlit's old automatic page list: Streamlit treats a
  folder named `pages/` as its page list until the entry script has run
  once, so a bookmarked page opened first would appear without the app's
  frame; the pages are declared with `st.navigation` in journal_app.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}
WILDCARD_ADDRESSES = {"0.0.0.0", "::"}
# As in .streamlit/config.toml.
DEFAULT_PORT = 8501
PRIVATE_UMASK = 0o077


def _option(args: list[str], name: str) -> str | None:
    """The value of `--name VALUE` or `--name=VALUE` (the last one given)."""
    found = None
    for index, arg in enumerate(args):
        if arg.startswith(f"{name}="):
            found = arg.split("=", 1)[1]
        elif arg == name and index + 1 < len(args):
            found = args[index + 1]
    return found


def _without_option(args: list[str], name: str) -> list[str]:
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == name:
            skip = True
        elif not arg.startswith(f"{name}="):
            kept.append(arg)
    return kept


def _requested_port(args: list[str]) -> int | None:
    value = _option(args, "--server.port")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _phone_options(args: list[str]) -> tuple[bool, str | None, str | None, list[str]]:
    """(--phone given, --phone-address, --phone-port, the other options)."""
    wanted = "--phone" in args
    address, port = _option(args, "--phone-address"), _option(args, "--phone-port")
    rest = [arg for arg in args if arg != "--phone"]
    rest = _without_option(_without_option(rest, "--phone-address"), "--phone-port")
    return wanted, address, port, rest


def announce_phone() -> None:
    """Turn phone access on (in the running server's process) and print how to pair a phone."""
    from phone.listener import PhoneAccessProblem, phone_access
    from phone.qr import terminal_text

    access = phone_access()
    try:
        running = access.turn_on()
    except PhoneAccessProblem as problem:
        print(f"Phone access is off: {problem}", file=sys.stderr, flush=True)
        return
    link = access.pairing_link()
    print("Phone access is on. Scan this QR code with your phone's camera, or open this link on the phone:", flush=True)
    print(link, flush=True)
    print(terminal_text(link), flush=True)
    print(
        "The link pairs one phone, once, within 10 minutes. The phone's browser warns about the certificate "
        f"the first time: its SHA-256 fingerprint must begin with {running.short_code}.",
        flush=True,
    )


def stop_phone() -> None:
    listener = sys.modules.get("phone.listener")  # never turned on: nothing to stop, nothing to import
    if listener is not None:
        listener.phone_access().turn_off()


def main(args: list[str]) -> int:
    allow_remote = "--allow-remote" in args
    args = [arg for arg in args if arg != "--allow-remote"]
    phone, phone_address, phone_port, args = _phone_options(args)
    if phone_address is not None:
        from phone.addresses import problem

        wrong = problem(phone_address)
        if wrong is not None:
            print(f"Refusing --phone-address {phone_address}: {wrong}", file=sys.stderr)
            return 2
        os.environ["JOURNAL_PHONE_ADDRESS"] = phone_address  # this process's own: a page may turn it on later
    if phone_port is not None:
        if not phone_port.isdigit() or not 0 < int(phone_port) < 65536:
            print(f"Refusing --phone-port {phone_port}: a port is a number from 1 to 65535.", file=sys.stderr)
            return 2
        os.environ["JOURNAL_PHONE_PORT"] = phone_port
    address = _option(args, "--server.address")
    if address and address not in LOCAL_ADDRESSES:
        if not allow_remote:
            print(
                f"Refusing to listen on {address}: other computers could see your health photos. "
                "Add --allow-remote if you really mean it (see README, 'Privacy').",
                file=sys.stderr,
            )
            return 2
        if not (_option(args, "--server.sslCertFile") and _option(args, "--server.sslKeyFile")):
            print(
                f"Refusing to serve {address} over plain HTTP: the link and the browser's cookie would cross "
                "the network readable by anyone on it. Give a certificate with --server.sslCertFile and "
                "--server.sslKeyFile (see README, 'Privacy').",
                file=sys.stderr,
            )
            return 2
        os.environ["JOURNAL_ALLOW_REMOTE"] = "1"
    os.umask(PRIVATE_UMASK)  # every file and folder the server creates: the patient's alone
    os.chdir(HERE)  # .streamlit/config.toml is read from the working folder
    sys.path.insert(0, str(HERE))
    from access import launch_state, offline, serving
    from access.policy import Policy, new_private_name, new_secret
    from store.privacy import private_folder
    from store.settings import Settings
    from ui import warm_up

    folder = Settings.from_environment().data_dir
    try:
        private_folder(folder)
        print(f"Healing Journal keeps this journal in {folder}", flush=True)
    except OSError as exc:  # the app explains it on screen as well
        print(f"The journal folder {folder} cannot be created: {exc.strerror or exc}", file=sys.stderr)
    headless = (_option(args, "--server.headless") or "").lower() == "true"
    open_browser = serving.desktop_present() and not headless

    running = launch_state.running_server(folder)
    if running is not None:
        serving.announce(running.fresh_link(), already_running=True)
        if phone:
            print(
                "Phone access is not changed by a second start: on the computer, open Home and press "
                "“Use my phone” for the QR code.",
                flush=True,
            )
        if open_browser:
            serving.open_in_browser(folder, running.fresh_link(), background=False)
        return 0

    bind_address = address or "127.0.0.1"
    wanted = _requested_port(args) or DEFAULT_PORT
    port = launch_state.first_free_port(bind_address, wanted)
    if port is None:
        print(
            f"Ports {wanted} to {wanted + launch_state.PORT_SEARCH - 1} are all in use; none is free.", file=sys.stderr
        )
        return 1
    if port != wanted:
        print(
            f"Port {wanted} is already used by another program (or another journal), so Healing Journal "
            f"starts on port {port}. A bookmark of port {wanted} would reach that other program: "
            "use the new link below.",
            flush=True,
        )
    args = [*_without_option(args, "--server.port"), "--server.port", str(port)]

    served = address if allow_remote and address and address not in WILDCARD_ADDRESSES else None
    https = _option(args, "--server.sslCertFile") is not None
    # With --allow-remote the cookie lives on the served address (over TLS, Secure).
    private_name = None if allow_remote else new_private_name()
    policy = Policy(new_secret(), port, served_address=served, https=https, private_name=private_name)
    # Streamlit's own Host and Origin check (host names, any port) must know the private name and
    # the served one. sys.argv is this process's own copy: /proc/PID/cmdline never shows these.
    for host in sorted(policy.hosts):
        args += ["--server.allowedHosts", host]
    serving.configure(
        serving.Launch(
            policy=policy,
            folder=folder,
            link_host=served or "127.0.0.1",
            open_browser=open_browser,
            when_started=(warm_up.start, announce_phone) if phone else (warm_up.start,),
            when_stopping=(stop_phone,),
        )
    )
    offline.keep_streamlit_offline()

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(HERE / "journal_asgi.py"), *args]
    cli.main()  # a click command: it exits the process itself
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

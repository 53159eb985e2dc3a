"""The phone listener's pure parts: the certificate and its code, the address rules, the QR code,
the paired-phones file."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import zxingcpp
from PIL import Image

from phone import addresses, certificate, qr
from phone.devices import FILE_NAME, PairedPhones, phone_name


def test_one_key_per_folder_and_a_certificate_per_address(tmp_path: Path) -> None:
    first = certificate.for_address(tmp_path, "192.168.1.20")
    assert (tmp_path / certificate.KEY_NAME).stat().st_mode & 0o777 == 0o600
    assert re.fullmatch(r"([0-9A-F]{2} ){3}[0-9A-F]{2}  ([0-9A-F]{2} ){3}[0-9A-F]{2}", first.short_code)
    assert first.fingerprint.replace(":", " ").startswith(first.short_code.replace("  ", " "))
    assert certificate.for_address(tmp_path, "192.168.1.20").der == first.der, "kept while the address stays"
    moved = certificate.for_address(tmp_path, "10.0.0.5")
    assert moved.der != first.der and moved.key_path.read_bytes() == first.key_path.read_bytes()
    late = dt.datetime.now(dt.UTC) + dt.timedelta(days=certificate.VALID_DAYS - 10)
    assert certificate.for_address(tmp_path, "10.0.0.5", now=late).der != moved.der, "renewed before it ends"


def test_the_listener_never_takes_every_interface() -> None:
    for wildcard in ("0.0.0.0", "::", "[::]", ""):
        assert addresses.problem(wildcard) is not None
    assert addresses.problem("wifi.example") is not None
    assert addresses.problem("192.168.1.20") is None
    assert all(not a.startswith("127.") for a in addresses.candidates())


def test_the_qr_code_reads_back_as_the_link() -> None:
    link = "https://192.168.1.20:8543/pair?code=XQM5Tkfn4jyFd55LxVNYXA"
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.png(link))))
    assert found.text == link
    text = qr.terminal_text(link)
    assert len(text.splitlines()) > 10 and set(text) <= set("█▀▄ \n")


def test_a_damaged_phones_file_pairs_nobody(tmp_path: Path) -> None:
    phones = PairedPhones(tmp_path)
    phone, credential = phones.add("Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile")
    assert phone.name == "Android phone" and phones.check(credential) == phone
    (tmp_path / FILE_NAME).write_text("{not json")
    assert phones.check(credential) is None and phones.all() == []


def test_last_used_is_written_at_most_once_a_minute(tmp_path: Path) -> None:
    phones = PairedPhones(tmp_path)
    start = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    _phone, credential = phones.add("iPhone", now=start)
    assert phones.check(credential, now=start + dt.timedelta(seconds=30)).last_used == start.isoformat()  # type: ignore[union-attr]
    later = start + dt.timedelta(minutes=5)
    assert phones.check(credential, now=later).last_used == later.isoformat()  # type: ignore[union-attr]


def test_phone_names() -> None:
    assert phone_name("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)") == "iPad"
    assert phone_name("Mozilla/5.0 (X11; Linux x86_64)") == "Phone or tablet"

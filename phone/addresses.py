"""Which address of this computer a phone on the same network can reach.

Auto-detected from the network interfaces (ifaddr): the first private IPv4
address (192.168.x.x, 10.x.x.x, 172.16-31.x.x), never a loopback, link-local
or wildcard one. `--phone-address` names another; it must be one single
address (the listener binds to it alone, never to every interface).
"""

from __future__ import annotations

import ipaddress

import ifaddr

WILDCARDS = {"0.0.0.0", "::", ""}


def candidates() -> list[str]:
    """This computer's private IPv4 addresses, the usual home-network ranges first."""
    found: list[ipaddress.IPv4Address] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not isinstance(ip.ip, str):
                continue  # IPv6: a phone's browser and a QR code both do better with IPv4
            try:
                address = ipaddress.IPv4Address(ip.ip)
            except ValueError:
                continue
            if address.is_private and not (address.is_loopback or address.is_link_local):
                found.append(address)
    home = ipaddress.IPv4Network("192.168.0.0/16")
    return [str(address) for address in sorted(set(found), key=lambda a: (a not in home, a))]


def detected() -> str | None:
    """The address to offer phones, or None when this computer has no network a phone could share."""
    found = candidates()
    return found[0] if found else None


def problem(address: str) -> str | None:
    """Why `address` cannot be the phone listener's address, or None when it can."""
    if address.strip("[]") in WILDCARDS:
        return (
            f"{address or 'An empty address'} means every network of this computer; phone access listens "
            "on one address only. Name this computer's address on your Wi-Fi (for example 192.168.1.20)."
        )
    try:
        ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return f"{address} is not a network address (four numbers such as 192.168.1.20)."
    return None

"""The client's address behind this instance's reverse proxies: one rule for every limit that counts per address
(idea submissions, admin login throttling)."""

import ipaddress

from django.conf import settings


def is_ip_address(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request):
    """REMOTE_ADDR, or the address the configured number of trusted proxies saw (X-Forwarded-For, counted from the
    right, because each proxy appends the address it saw). A value that is not an IP address, such as a forged or
    garbled header, is never returned: it could not be stored and would let a client pick its own identity."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies and is_ip_address(forwarded[-proxies]):
        return forwarded[-proxies]
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if is_ip_address(remote) else None

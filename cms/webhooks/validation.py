"""Which URLs a webhook may point at: http(s) only, never this instance, never internal networks."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http.request import validate_host
from wagtail.models import Site


def _own_hosts():
    """Host names under which this instance answers, as patterns for Django's `validate_host`."""
    hosts = [hostname.lower() for hostname in Site.objects.values_list("hostname", flat=True)]
    admin_host = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").hostname
    if admin_host:
        hosts.append(admin_host.lower())
    # "*" would match every host and make every webhook "own"; it says nothing about this instance's names.
    hosts.extend(host.lower() for host in settings.ALLOWED_HOSTS if host != "*")
    return hosts


def _is_internal(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _addresses(host, port):
    try:
        return {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError) as error:
        raise ValidationError(f"Der Rechnername „{host}“ lässt sich nicht auflösen.", code="unresolvable") from error


def validate_webhook_url(url):
    """Raise a ValidationError (German message) if the URL must not receive webhooks.

    Checked when an endpoint is saved and again before every delivery, because DNS may change in between.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ValidationError("Die URL ist ungültig.", code="invalid") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError("Nur URLs mit http:// oder https:// sind erlaubt.", code="scheme")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise ValidationError("Die URL enthält keinen Rechnernamen.", code="host")
    if validate_host(host, _own_hosts()):
        raise ValidationError(
            "Die URL zeigt auf diese CMS-Instanz selbst; Webhooks müssen an ein anderes System gehen.", code="own_host"
        )
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    if any(_is_internal(address) for address in _addresses(host, port)):
        raise ValidationError(
            "Die URL zeigt auf eine interne Adresse (localhost, privates Netz oder link-local); das ist nicht erlaubt.",
            code="internal",
        )

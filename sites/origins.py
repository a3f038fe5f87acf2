"""Which browser origins belong to a municipality: the rule behind the API's origin policy (docs/cors.md).

A page in a visitor's browser may submit an idea or open a preview only from the municipality's own frontend: the
origin of its frontend address, of its preview address, and the further origins its moderators list in the settings
(`additional_origins`, one per line). This module is the only place that decides it; it reads the settings object it
is handed and imports no other tenant module, so that the settings model can validate with it.

An origin is compared in the form browsers send in the `Origin` header: lower-case scheme and host, the host in its
ASCII (IDNA) form, the port only when it is not the scheme's default.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

ORIGIN_SCHEMES = {"http": 80, "https": 443}
ORIGIN_FORMAT_HELP = "Format: https://host oder https://host:port, ohne Pfad, z. B. https://beteiligung.kassel.de"
# A DNS name in its ASCII form, or an IPv6 address (urlsplit has already taken off its brackets).
_HOST = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?|[0-9a-f:.]*:[0-9a-f:.]*")


def _origin_parts(url):
    """(scheme, host, port) of an http(s) URL, the port None when it is the scheme's default; None for anything else."""
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
        host = host.encode("idna").decode("ascii") if host else ""
    except (ValueError, UnicodeError):
        return None
    if parts.scheme not in ORIGIN_SCHEMES or not _HOST.fullmatch(host):
        return None
    return parts.scheme, host, None if port == ORIGIN_SCHEMES[parts.scheme] else port


def origin_of(url):
    """The origin of a URL as a browser sends it ("https://www.kassel.de" for "https://www.kassel.de/smart/"),
    or None when the URL has no http(s) origin."""
    parts = _origin_parts(url or "")
    if parts is None:
        return None
    scheme, host, port = parts
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" if port is None else f"{scheme}://{host}:{port}"


def _origin_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _is_bare_origin(line):
    """scheme://host[:port] and nothing else: no user, path, query or fragment."""
    if _origin_parts(line) is None or any(character in line for character in "?#"):
        return False
    parts = urlsplit(line)
    return "@" not in parts.netloc and parts.path == ""


def validate_origin_list(text):
    """The settings form's check of `additional_origins`: one origin per line, each scheme://host[:port]."""
    invalid = [line for line in _origin_lines(text) if not _is_bare_origin(line)]
    if invalid:
        listed = ", ".join(f"„{line}“" for line in invalid[:5])
        raise ValidationError(
            f"Keine gültige Herkunft (Origin): {listed}. Bitte eine Adresse pro Zeile angeben. {ORIGIN_FORMAT_HELP}.",
            code="invalid_origin",
        )


def municipality_origins(municipality_settings):
    """The origins a municipality's pages are served from, according to its settings (None: no origins)."""
    if municipality_settings is None:
        return frozenset()
    urls = [
        municipality_settings.frontend_base_url,
        municipality_settings.preview_url,
        *_origin_lines(municipality_settings.additional_origins),
    ]
    return frozenset(origin for origin in map(origin_of, urls) if origin)


def accepts_origin(municipality_settings, origin):
    """True when a browser page at `origin` (the request's `Origin` header) belongs to the municipality."""
    normalised = origin_of(origin)
    return normalised is not None and normalised in municipality_origins(municipality_settings)

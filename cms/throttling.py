"""Counting per client in fixed time windows, in the instance's shared cache: one mechanism for every limit that
counts (idea submissions per address and per e-mail address, the API's cost budget per client).

The counters live in Django's default cache: Redis in production, so that every worker and every machine counts
together, local memory on a development machine. The cache is already the instance's shared store, with its outage
handling (cms.availability.ResilientRedisCache): a counter that cannot be reached raises CacheUnavailableError, and
each caller decides whether to refuse (idea submission) or to go on without the limit (reads). A fixed window needs
two cache operations per count (`add`, `incr`), both atomic in Redis; a library of rate limiters would bring a second
Redis client with its own configuration and outage path for the same two operations.

Windows are aligned to the clock (a window of 60 s starts at every full minute), so that a refusal can say when the
next window starts (Retry-After)."""

import ipaddress
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

# Addresses of one IPv6 network of this size are counted as one client: a single customer usually gets a /64 and
# could otherwise pick a fresh address for every request.
IPV6_CLIENT_PREFIX = 64


@dataclass(frozen=True)
class WindowCount:
    """A counter's value in the current window (after the amount just added), and the seconds until the window ends."""

    count: int
    retry_after: int


def _window(key, window, now):
    index = int(now // window)
    retry_after = max(math.ceil((index + 1) * window - now), 1)
    return f"throttle:{key}:{window}:{index}", retry_after


def count_in_window(key, window, amount=1):
    """Adds `amount` to the counter `key` in the current window of `window` seconds and returns its value. Raises
    CacheUnavailableError when the cache cannot count."""
    cache_key, retry_after = _window(key, window, time.time())
    # The key outlives its window by a little, so that it never expires between add() and incr().
    timeout = retry_after + 5
    cache.add(cache_key, 0, timeout=timeout)
    try:
        count = cache.incr(cache_key, amount)
    except ValueError:  # evicted between add() and incr() (a full local-memory cache)
        cache.add(cache_key, amount, timeout=timeout)
        count = amount
    return WindowCount(count, retry_after)


def current_count(key, window):
    """The counter's value in the current window, without counting. A cache that cannot be reached reads as 0."""
    cache_key, retry_after = _window(key, window, time.time())
    return WindowCount(cache.get(cache_key, 0), retry_after)


def client_key(address):
    """Who is counted for a request from `address` (cms.security.addresses.client_address): the address itself, its
    IPv6 network of IPV6_CLIENT_PREFIX bits, or one shared key for requests without a usable address."""
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))

"""Degraded, not broken: what the instance answers while the database or the cache cannot be reached
(docs/operations.md, "Outages").

Database. A request that needs the database while it is down or unreachable is answered 503 with `Retry-After`:
the GraphQL API and open data with a JSON error (`extensions.code` SERVICE_UNAVAILABLE), everything else (the admin,
the confirmation link of an idea) with the German page `503.html`, which needs no database. No answer names a host,
port or driver message; the log does, once per request. `ServiceAvailabilityMiddleware` catches the error wherever it
is raised: in a view (`process_exception`), in another middleware (Django's `got_request_exception` signal marks the
request, the middleware replaces the 500 it would get), and in GraphQL execution, which catches every exception itself:
the view passes its errors to `raise_for_outage`. Nothing is kept about an outage: the next request tries again, so the
instance recovers by itself as soon as the database answers (CONN_HEALTH_CHECKS replaces a persistent connection that
the outage broke, DATABASE_CONNECT_TIMEOUT bounds how long a worker waits for an unreachable host).

Cache. Redis only saves work: `ResilientRedisCache` answers reads with a miss and skips writes while Redis cannot be
reached, so reads go on from the database. Counters (`add`, `incr`, `decr`) and `clear` raise `CacheUnavailableError`
instead, because a rate limit that silently counted nothing would be no limit; idea submission therefore refuses with
TEMPORARILY_UNAVAILABLE (503) and stores nothing (`retry_later`). After a failure Redis is skipped for
CACHE_RETRY_INTERVAL seconds, so that an unreachable host costs a worker at most one timeout per interval.
"""

import logging
import sys
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from cms.graphql_base.errors import SERVICE_UNAVAILABLE
from graphql import GraphQLError

logger = logging.getLogger(__name__)

DATABASE = "database"
CACHE = "cache"

UNAVAILABLE_MESSAGE = "The service is temporarily unavailable. Please try again later."

# PostgreSQL SQLSTATEs that say the server cannot serve now, not that a statement was wrong: connection exceptions
# (08), insufficient resources such as too many connections or a full disk (53), shutdown and start-up (57P01-57P03),
# errors outside PostgreSQL (58). A cancelled statement (57014, the statement timeout), a deadlock or a lock timeout is
# the request's own failure and no outage.
UNAVAILABLE_SQLSTATES = ("08", "53", "57P01", "57P02", "57P03", "58")
# SQLite's primary result codes with the same meaning: busy or locked beyond its timeout, an I/O error, a full disk,
# a database file that cannot be opened.
UNAVAILABLE_SQLITE_CODES = {5, 6, 10, 13, 14}
REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError)

# Request attributes: the outage an inner middleware ran into, and a response that is to be sent as 503.
_OUTAGE_ATTRIBUTE = "_cms_service_outage"
_RETRY_LATER_ATTRIBUTE = "_cms_retry_later"


class ServiceUnavailableError(Exception):
    """A service the instance depends on cannot be reached; the request is answered 503 with `Retry-After`."""

    service = "service"

    def __init__(self):
        super().__init__(f"The {self.service} is unavailable.")


class DatabaseUnavailableError(ServiceUnavailableError):
    service = DATABASE


class CacheUnavailableError(ServiceUnavailableError):
    service = CACHE


def _causes(error):
    """`error`, the exception a GraphQL error wraps, and the exceptions it was raised from."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        # Not __context__: an exception that was merely being handled (a cache miss, say) is no cause.
        error = getattr(error, "original_error", None) or error.__cause__


def _operational_error_is_outage(driver_error):
    sqlstate = getattr(driver_error, "pgcode", None) or getattr(driver_error, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(UNAVAILABLE_SQLSTATES)
    sqlite_code = getattr(driver_error, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in UNAVAILABLE_SQLITE_CODES
    # Without a SQLSTATE the error comes from the client library: the server could not be reached, or it closed the
    # connection.
    return True


def _is_database_outage(error):
    """Whether `error` (Django's wrapper or the driver's own exception) says the database cannot be reached."""
    driver_error = error.__cause__ if isinstance(error, (OperationalError, InterfaceError)) else error
    for alias in connections:
        connection = connections[alias]
        if isinstance(driver_error, connection.Database.InterfaceError):
            # psycopg2: the connection is closed or broken. sqlite3: a programming error, such as a wrong type.
            return connection.vendor == "postgresql"
        if isinstance(driver_error, connection.Database.OperationalError):
            return _operational_error_is_outage(driver_error)
    return False


def outage_of(error):
    """DATABASE or CACHE if `error` (an exception or a GraphQL error) means that service is unavailable, else None."""
    for cause in _causes(error):
        if isinstance(cause, GraphQLError) and (cause.extensions or {}).get("code"):
            # An error written for the client (TEMPORARILY_UNAVAILABLE of a submission, say) is its answer already.
            return None
        if isinstance(cause, ServiceUnavailableError):
            return cause.service
        if isinstance(cause, REDIS_ERRORS):
            return CACHE
        if _is_database_outage(cause):
            return DATABASE
    return None


def is_outage(error):
    return outage_of(error) is not None


def raise_for_outage(errors):
    """Raises ServiceUnavailableError if one of `errors` (exceptions, or GraphQL errors that wrap one) means the
    database or the cache is unavailable; ServiceAvailabilityMiddleware answers it with 503."""
    for error in errors or ():
        service = outage_of(error)
        if service is not None:
            unavailable = CacheUnavailableError() if service == CACHE else DatabaseUnavailableError()
            raise unavailable from _root_cause(error)


def retry_later(request):
    """Has the response to `request` sent as 503 with `Retry-After`, whatever its body says; returns the seconds.

    For an answer that is meaningful but cannot be carried out now, such as an idea submission while the rate limit
    cannot be counted (its body carries the error code for the client)."""
    setattr(request, _RETRY_LATER_ATTRIBUTE, True)
    return settings.SERVICE_UNAVAILABLE_RETRY_AFTER


def _root_cause(error):
    *_, last = _causes(error)
    return last


def _describe(error):
    """The cause for the operator's log: its class and the first line of its message (which may name a host)."""
    cause = _root_cause(error)
    message = str(cause).strip().splitlines()
    return f"{type(cause).__module__}.{type(cause).__name__}: {message[0] if message else ''}"


def _answers_programs(request):
    """The GraphQL API and open data are read by programs: they get JSON. Everything else is for people."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name == "graphql" or "opendata" in match.namespaces


def unavailable_response(request, service):
    retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER
    if _answers_programs(request):
        error = {"message": UNAVAILABLE_MESSAGE, "extensions": {"code": SERVICE_UNAVAILABLE, "retryAfter": retry_after}}
        response = JsonResponse({"errors": [error]}, status=503)
    else:
        # Rendered without the request: context processors would ask the database for the user.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _log_outage(request, service, error):
    logger.warning("%s unavailable, %s %s answered 503: %s", service, request.method, request.path, _describe(error))


def _note_outage(sender, request=None, **kwargs):
    """An exception that no view handled (raised in a middleware, say): remember an outage for the middleware."""
    error = sys.exception()
    if request is not None and error is not None and is_outage(error):
        setattr(request, _OUTAGE_ATTRIBUTE, error)


got_request_exception.connect(_note_outage, dispatch_uid="cms.availability")


class ServiceAvailabilityMiddleware:
    """Answers 503 instead of 500 while the database or the cache is unavailable (see the module docstring). Listed
    above every middleware that touches the database (sessions, users, two-factor login, login throttling)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, _OUTAGE_ATTRIBUTE, None)
        if error is not None:
            service = outage_of(error)
            _log_outage(request, service, error)
            return unavailable_response(request, service)
        if getattr(request, _RETRY_LATER_ATTRIBUTE, False) and response.status_code == 200:
            response.status_code = 503
            response["Retry-After"] = str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
        return response

    def process_exception(self, request, exception):
        service = outage_of(exception)
        if service is None:
            return None
        _log_outage(request, service, exception)
        return unavailable_response(request, service)


class _Breaker:
    """Per process and Redis location: until when Redis is skipped after a failure."""

    skip_until = {}

    @classmethod
    def closed(cls, location):
        return time.monotonic() >= cls.skip_until.get(location, 0.0)

    @classmethod
    def trip(cls, location, error):
        if location not in cls.skip_until:
            logger.warning("cache unavailable, skipping it for %ss at a time: %s", _retry_interval(), _describe(error))
        cls.skip_until[location] = time.monotonic() + _retry_interval()

    @classmethod
    def reset(cls, location):
        if cls.skip_until.pop(location, None) is not None:
            logger.warning("cache available again")


def _retry_interval():
    return settings.CACHE_RETRY_INTERVAL


class ResilientRedisCache(RedisCache):
    """Django's Redis cache for a cache that only saves work; see the module docstring."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = tuple(self._servers)

    def _soft(self, operation, fallback, *args, **kwargs):
        if not _Breaker.closed(self._location):
            return fallback
        try:
            result = operation(*args, **kwargs)
        except REDIS_ERRORS as error:
            _Breaker.trip(self._location, error)
            return fallback
        _Breaker.reset(self._location)
        return result

    def _strict(self, operation, *args, **kwargs):
        if not _Breaker.closed(self._location):
            raise CacheUnavailableError()
        try:
            result = operation(*args, **kwargs)
        except REDIS_ERRORS as error:
            _Breaker.trip(self._location, error)
            raise CacheUnavailableError() from error
        _Breaker.reset(self._location)
        return result

    # What the cache only speeds up: a miss, or nothing stored.
    def get(self, key, default=None, version=None):
        return self._soft(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._soft(super().has_key, False, key, version)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, self._missing_key, version=version)
        if value is not self._missing_key:
            return value
        if callable(default):
            default = default()
        try:
            self.add(key, default, timeout=timeout, version=version)
        except CacheUnavailableError:
            return default
        # Another process may have added a value between get() and add(); everyone answers with the stored one.
        return self.get(key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(super().set_many, [], data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(super().touch, False, key, timeout, version)

    # An invalidation that cannot reach Redis is skipped, too: if Redis was unreachable rather than restarted, the
    # entry outlives it until its timeout (docs/operations.md).
    def delete(self, key, version=None):
        return self._soft(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._soft(super().delete_many, None, keys, version)

    # What must not silently do nothing: counters and locks, and emptying the cache.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._strict(super().add, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._strict(super().incr, key, delta, version)

    def clear(self):
        return self._strict(super().clear)

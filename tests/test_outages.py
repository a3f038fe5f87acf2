"""Outages of the database and the cache, over real HTTP against a server that keeps its database connection, as a
gunicorn worker does: 503 with Retry-After and nothing from inside while a service is down, answers again as soon as
it is back, without restarting anything (cms.availability, docs/operations.md "Outages").

The database is cut with a TCP proxy in front of PostgreSQL (refused, or accepting and never answering); on SQLite
the server's database file becomes one that cannot be opened. The cache is a redis-server of the test's own.
"""

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError, OperationalError, connection, connections, transaction
from django.test import Client

from cms.availability import is_outage
from regions.ideas.models import IdeaSubmission

pytestmark = pytest.mark.django_db(transaction=True)

POSTGRESQL = connection.vendor == "postgresql"
HOST = "kiel.test"
READ = "{ municipality { title } images { rendition(width: 320) { url } } }"
# Over GRAPHQL_HEAVY_COST: the introspection of GraphQL tools.
HEAVY_READ = "{ __schema { types { name } } }"
SUBMIT = "mutation ($input: SubmitIdeaInput!) { submitIdea(input: $input) { reference errors { code } } }"
# What no answer may contain: the database's or the cache's address, the driver, the exception.
INTERNALS = ("127.0.0.1", "localhost", "5432", "psycopg", "sqlite", "redis", "OperationalError", "connection", "Error ")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class SingleWorkerServer:
    """Django in one thread that handles one request after another with one persistent database connection, like a
    gunicorn sync worker. `database` is that thread's own copy of the connection settings."""

    def __init__(self, database):
        self.database = database
        self.httpd = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=QuietHandler)
        self.httpd.timeout = 0.02
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self._tasks = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        connections["default"].settings_dict = self.database
        try:
            while not self._stopped.is_set():
                while self._tasks:
                    task, done = self._tasks.pop(0)
                    try:
                        task()
                    finally:
                        done.set()
                self.httpd.handle_request()
        finally:
            connections.close_all()
            self.httpd.server_close()

    def run(self, task):
        """Runs `task` in the server's thread, between two requests."""
        done = threading.Event()
        self._tasks.append((task, done))
        assert done.wait(10)

    def stop(self):
        self._stopped.set()
        self._thread.join(10)

    def get(self, path, **kwargs):
        return requests.get(self.url + path, headers={"Host": HOST, **kwargs.pop("headers", {})}, timeout=20, **kwargs)

    def graphql(self, query, variables=None):
        return requests.post(
            self.url + "/graphql/",
            json={"query": query, "variables": variables or {}},
            headers={"Host": HOST},
            timeout=20,
        )


class TcpProxy:
    """127.0.0.1:<port> forwarded to PostgreSQL. `cut()` refuses new connections and breaks the open ones, as a stopped
    server does; `blackhole()` accepts and never answers, as an unreachable host does; `restore()` forwards again."""

    def __init__(self, target):
        self.target = target
        self.port = None
        self.mode = "forward"
        self._listener = None
        self._sockets = []
        self._lock = threading.Lock()
        self._listen()

    def _listen(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.append(client)
            if self.mode == "forward":
                upstream = socket.create_connection(self.target)
                with self._lock:
                    self._sockets.append(upstream)
                threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
                threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def _break_open_connections(self):
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for open_socket in sockets:
            with contextlib.suppress(OSError):
                open_socket.shutdown(socket.SHUT_RDWR)
            open_socket.close()

    def cut(self):
        self.mode = "refuse"
        self._close_listener()
        self._break_open_connections()

    def _close_listener(self):
        # shutdown() first: it wakes the thread blocked in accept(), which would otherwise keep the port listening.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()

    def blackhole(self):
        self.mode = "blackhole"
        self._break_open_connections()

    def restore(self):
        if self.mode == "refuse":
            self._listen()
        self._break_open_connections()
        self.mode = "forward"

    def close(self):
        self._close_listener()
        self._break_open_connections()


class DatabaseOutage:
    """Takes the server's database away and gives it back."""

    def __init__(self, server, proxy):
        self.server = server
        self.proxy = proxy
        self.name = server.database["NAME"]

    def cut(self):
        if self.proxy:
            self.proxy.cut()
        else:
            # A database file that cannot be opened, as on a volume that is gone. Closing after renaming closes even the
            # in-memory test database, which Django otherwise keeps open.
            self.server.database["NAME"] = "/nonexistent/outage/db.sqlite3"
            self.server.run(lambda: connections["default"].close())

    def restore(self):
        if self.proxy:
            self.proxy.restore()
        else:
            self.server.database["NAME"] = self.name


@pytest.fixture
def city(live_tree, settings):
    """Kiel with an open call for ideas and one image."""
    from cms.media.factories import ImageFactory
    from regions.calls.factories import CallForIdeasPageFactory
    from regions.calls.models import CallIndexPage
    from tests.tenancy import onboard

    municipality = onboard("Kiel", "010020000000", HOST)
    ImageFactory(collection_id=municipality.home_page.media_collection_id)
    return CallForIdeasPageFactory(parent=CallIndexPage.objects.child_of(municipality.home_page).get(), is_open=True)


@pytest.fixture
def proxy():
    if not POSTGRESQL:
        yield None
        return
    settings_dict = connection.settings_dict
    tcp_proxy = TcpProxy((settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)))
    yield tcp_proxy
    tcp_proxy.close()


@pytest.fixture
def server(proxy):
    database = {
        **connection.settings_dict,
        "OPTIONS": dict(connection.settings_dict["OPTIONS"]),
        # Persistent, as in production; CONN_HEALTH_CHECKS comes from the settings under test.
        "CONN_MAX_AGE": 600,
    }
    if proxy:
        database.update(HOST="127.0.0.1", PORT=str(proxy.port))
        # libpq's smallest connect timeout; the setting's default is 3 s.
        database["OPTIONS"]["connect_timeout"] = 2
    single_worker = SingleWorkerServer(database)
    yield single_worker
    single_worker.stop()


@pytest.fixture
def outage(server, proxy):
    return DatabaseOutage(server, proxy)


def submission(call, key):
    return {
        "input": {
            "callId": str(call.pk),
            "title": "Mehr Bänke am Hafen",
            "description": "Entlang der Kiellinie fehlen Sitzgelegenheiten für ältere Menschen.",
            "email": f"{key}@example.org",
            "consent": True,
            "consentTextVersion": "2026-01",
            "idempotencyKey": f"outage-{key}",
        }
    }


def assert_unavailable_json(response):
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert int(response.headers["Retry-After"]) > 0
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE", error
    assert_no_internals(response)


def assert_no_internals(response):
    for internal in INTERNALS:
        assert internal not in response.text, (internal, response.text)


def assert_unavailable_page(response):
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"].startswith("text/html")
    assert int(response.headers["Retry-After"]) > 0
    assert "Vorübergehend nicht erreichbar" in response.text
    assert_no_internals(response)


def admin_session_cookie():
    """A logged-in admin session, created before the outage."""
    user = get_user_model().objects.create_user("redaktion", password="x", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return {"sessionid": client.cookies["sessionid"].value}


def test_database_outage_answers_503_everywhere_and_recovers(server, outage, city, caplog):
    # Earlier tests' submissions from 127.0.0.1 count against the same per-address rate limit.
    cache.clear()
    session = admin_session_cookie()
    assert server.graphql(READ).json()["data"]["municipality"]["title"] == "Kiel"
    assert server.get("/opendata/catalog").status_code == 200
    assert server.get("/admin/login/").status_code == 200
    assert server.get("/admin/", cookies=session).status_code < 400
    # An outage between two requests goes unnoticed: the broken persistent connection is replaced before its use.
    outage.cut()
    outage.restore()
    assert server.graphql(READ).status_code == 200

    outage.cut()
    caplog.set_level("WARNING", logger="cms.availability")
    # A query fails in its resolvers, a mutation when its transaction opens: both are the database's outage.
    assert_unavailable_json(server.graphql(READ))
    assert_unavailable_json(server.graphql(SUBMIT, submission(city, "during-outage")))
    assert_unavailable_json(server.get("/opendata/catalog"))
    assert_unavailable_json(server.get("/opendata/010020000000/projects.json"))
    # The login page fails in its view, a logged-in page already in the middleware that loads the user.
    assert_unavailable_page(server.get("/admin/login/"))
    assert_unavailable_page(server.get("/admin/", cookies=session))
    assert any("database unavailable" in record.getMessage() for record in caplog.records), caplog.text

    outage.restore()
    body = server.graphql(READ).json()
    assert body["data"]["municipality"]["title"] == "Kiel", body
    assert server.get("/opendata/catalog").status_code == 200
    assert server.get("/admin/login/").status_code == 200
    assert server.get("/admin/", cookies=session).status_code < 400
    response = server.graphql(SUBMIT, submission(city, "after-outage"))
    assert (response.json()["data"] or {}).get("submitIdea", {}).get("errors") == [], response.text
    assert IdeaSubmission.objects.filter(idempotency_key="outage-during-outage").count() == 0
    assert IdeaSubmission.objects.filter(idempotency_key="outage-after-outage").count() == 1


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRESQL, reason="an unreachable host needs a network database (CI runs this on PostgreSQL)")
def test_unreachable_database_host_holds_a_worker_only_for_the_connect_timeout(server, proxy):
    # Reads only, so the server's own connection needs no committed data and the test no flush.
    query = "{ municipalities { title } }"
    assert server.graphql(query).json() == {"data": {"municipalities": []}}
    proxy.blackhole()
    started = time.monotonic()
    response = server.graphql(query)
    elapsed = time.monotonic() - started
    assert_unavailable_json(response)
    assert elapsed < server.database["OPTIONS"]["connect_timeout"] + 1.5, elapsed
    proxy.restore()
    assert server.graphql(query).json() == {"data": {"municipalities": []}}


@pytest.mark.django_db
def test_the_settings_bound_connection_attempts_and_check_persistent_connections(settings):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    if POSTGRESQL:
        assert connection.settings_dict["OPTIONS"]["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT


@pytest.mark.django_db
def test_a_failing_statement_is_no_outage():
    """Only an unreachable database is answered 503; a statement's own failure stays an error of its request."""
    with pytest.raises(DatabaseError) as missing_table, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_here")
    assert not is_outage(missing_table.value)
    if POSTGRESQL:
        # The statement timeout cancels a query with an OperationalError of its own (57014).
        with pytest.raises(OperationalError) as cancelled, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 10")
            cursor.execute("SELECT pg_sleep(1)")
        assert not is_outage(cancelled.value)


class RedisServer:
    """A redis-server of the test's own on a free port, without persistence, that can be stopped and started again."""

    def __init__(self):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server", path="/usr/bin:/usr/local/bin"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
            ]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    def keys(self, pattern):
        import redis

        return redis.Redis.from_url(self.url).keys(pattern)


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server", path="/usr/bin:/usr/local/bin"):
        pytest.skip("redis-server is not installed")
    own = RedisServer()
    own.start()
    yield own
    if own.process.poll() is None:
        own.stop()


@pytest.fixture
def redis_cache(redis_server, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.availability.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CACHE_RETRY_INTERVAL = 0.3
    return redis_server


def test_cache_outage_keeps_reads_and_refuses_submissions_until_it_is_back(server, redis_cache, city, settings):
    settings.GRAPHQL_CLIENT_COST_BUDGET = 10**9
    read = server.graphql(READ).json()
    assert read["data"]["images"][0]["rendition"]["url"], read
    assert redis_cache.keys("*wagtail-rendition*"), "the read path uses the cache"
    assert redis_cache.keys("*api-cost:*"), "the client's budget counts in the cache"
    response = server.graphql(SUBMIT, submission(city, "before"))
    assert response.json()["data"]["submitIdea"]["errors"] == [], response.text
    assert redis_cache.keys("*ideas:address:*"), "the rate limit counts in the cache"

    redis_cache.stop()
    response = server.graphql(READ)
    assert response.status_code == 200
    assert response.json() == read
    # A heavy operation runs without a slot of the shared cache, and nobody's budget is counted.
    response = server.graphql(HEAVY_READ)
    assert response.status_code == 200, response.text
    response = server.graphql(SUBMIT, submission(city, "during"))
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) > 0
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "TEMPORARILY_UNAVAILABLE", error
    assert_no_internals(response)
    assert not IdeaSubmission.objects.filter(idempotency_key="outage-during").exists()

    redis_cache.start()
    time.sleep(0.4)  # CACHE_RETRY_INTERVAL: the cache is tried again after it
    response = server.graphql(SUBMIT, submission(city, "during"))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["submitIdea"]["errors"] == []
    assert IdeaSubmission.objects.filter(idempotency_key="outage-during").count() == 1
    assert server.graphql(READ).json() == read

"""The demo server, for real: `manage.py runserver` on its own database.

`make demo` serves a file SQLite database from Django's threaded development
server; tests of concurrency and of the toolbar need exactly that, not the test
client and not the suite's in-memory database. A DemoServer migrates a fresh
database (a file in a temp dir on SQLite, a new database on the suite's
PostgreSQL server), loads the demo data, serves it on 127.0.0.1 with
DJANGO_DEBUG=1 as the demo does, and is stopped and removed afterwards.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    text: str
    location: str = ""


class Browser:
    """One browser: its own cookies (session, CSRF), talking to one server.

    Threads may share a Browser: that is two tabs of one signed-in user.
    """

    def __init__(self, base: str, source: str = "127.0.0.1"):
        self.base = base
        self.source = source
        self.cookies = http.cookiejar.CookieJar()

    def _open(self, request: urllib.request.Request) -> Response:
        handler = _SourceAddressHandler(self.source)
        opener = urllib.request.build_opener(
            handler, urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        try:
            with opener.open(request, timeout=60) as reply:
                return Response(reply.status, reply.read().decode())
        except urllib.error.HTTPError as reply:
            body = reply.read().decode(errors="replace")
            return Response(reply.code, body, reply.headers.get("Location", ""))

    def get(self, path: str) -> Response:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict | None = None, token: str = "") -> Response:
        fields = {"csrfmiddlewaretoken": token, **(data or {})}
        body = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base + path, body))

    def token(self, path: str = "/accounts/login/") -> str:
        """A CSRF token, from a page with a form."""
        match = CSRF_FIELD.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, username: str, password: str) -> None:
        token = self.token()
        reply = self.post(
            "/accounts/login/", {"username": username, "password": password}, token
        )
        assert reply.status == 302, (reply.status, reply.text[:200])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A 302 is an answer to check (Post/Redirect/Get), not a page to follow.
    def redirect_request(self, *args, **kwargs):
        return None


class _SourceAddressHandler(urllib.request.HTTPHandler):
    """Connect from a given local address: 127.0.0.2 is on this machine but
    not in INTERNAL_IPS, as a neighbour on the network would be."""

    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def http_open(self, request):
        import http.client

        def connection_factory(host, **kwargs):
            return http.client.HTTPConnection(
                host, source_address=(self.source, 0), **kwargs
            )

        return self.do_open(connection_factory, request)


class DemoServer:
    """`make demo` in a temp dir (or a new PostgreSQL database), on a free port."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.TemporaryDirectory(prefix="demo-server-")
        self.database = None
        self.process = None

    def environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
        env.pop("PYTEST_XDIST_WORKER", None)
        env |= {"DJANGO_DEBUG": "1", "PYTHONUNBUFFERED": "1"}
        if connection.vendor == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{Path(self.tmp.name) / 'db.sqlite3'}"
        else:
            self.database = f"demo_{secrets.token_hex(4)}"
            self.admin_sql(
                f"CREATE DATABASE {connection.ops.quote_name(self.database)}"
            )
            url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
            env["DATABASE_URL"] = url._replace(path=f"/{self.database}").geturl()
        return env

    def admin_sql(self, statement: str) -> None:
        # On the server the suite runs on, outside any test transaction: the
        # connection Django itself creates test databases with.
        with connection._nodb_cursor() as cursor:
            cursor.execute(statement)

    def start(self) -> DemoServer:
        self.env = self.environment()
        # What `make demo` runs before serving, in one process: migrate and
        # load the demo data; two users who are not staff, and one who is
        # staff with no permissions (the admin index, and a 403 on each model).
        setup = (
            "import django; django.setup();"
            "from django.core.management import call_command;"
            "from django.contrib.auth.models import User;"
            "call_command('migrate', interactive=False, verbosity=0);"
            "call_command('load_demo', verbosity=0);"
            "[User.objects.create_user(n, password=n) for n in ('reader', 'racer')];"
            "User.objects.create_user('clerk', password='clerk', is_staff=True)"
        )
        subprocess.run(
            [sys.executable, "-c", setup],
            cwd=BASE_DIR,
            env=self.env | {"DJANGO_SETTINGS_MODULE": "project.settings"},
            check=True,
            capture_output=True,
            timeout=180,
        )
        self.log = open(Path(self.tmp.name) / "server.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                f"127.0.0.1:{self.port}",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                assert self.process.poll() is None, self.server_log()
                time.sleep(0.2)
        raise TimeoutError(self.server_log())

    def server_log(self) -> str:
        return (Path(self.tmp.name) / "server.log").read_text()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.log.close()
        if self.database:
            # PostgreSQL refuses to drop a database with sessions still on it.
            force = " WITH (FORCE)" if connection.vendor == "postgresql" else ""
            name = connection.ops.quote_name(self.database)
            self.admin_sql(f"DROP DATABASE IF EXISTS {name}{force}")
        self.tmp.cleanup()

    def browser(self, source: str = "127.0.0.1") -> Browser:
        return Browser(self.base, source)

"""Settings for the GFK-alternatives reference project.

SQLite by default; set DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/db) to
run on PostgreSQL. DEBUG and the debug toolbar are off unless DJANGO_DEBUG=1
(`make demo` sets it), and never on under tests.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from project.patterns import PATTERN_APPS

BASE_DIR = Path(__file__).resolve().parent.parent

# The toolbar's docs recommend exactly this test detection: pytest exports
# PYTEST_VERSION, and `manage.py test` has "test" in argv.
TESTING = "PYTEST_VERSION" in os.environ or "test" in sys.argv[1:2]

# Off unless asked for: a server started without DJANGO_DEBUG=1 shows no
# tracebacks, no toolbar, and refuses to run on the public key below.
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1" and not TESTING

# Everyone can read this key in the repo, so it may sign only the local demo's
# and the tests' cookies.
PUBLIC_DEMO_KEY = "local-demo-only-not-a-secret"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set, and DEBUG is off. Set DJANGO_SECRET_KEY"
            " to a long random string, or DJANGO_DEBUG=1 for the local demo"
            " (`make demo` does), which uses a public, insecure key."
        )
    SECRET_KEY = PUBLIC_DEMO_KEY

# "a.example, b.example" works as well as "a.example,b.example".
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "project",
    # django-polymorphic's admin templates and its content-type handling.
    "polymorphic",
    *PATTERN_APPS,
    "swappable",
    # Not a pattern: the move off gfk_baseline to two of them, and its report.
    "off_gfk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Sends SECURE_CSP on every response, and makes the nonce the templates
    # put on their inline <style> elements (and the toolbar on its tags).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if DEBUG:
    # On every page, the admin included; the SQL panel is the point. After
    # AuthenticationMiddleware, so that show_toolbar() can ask who is signed in:
    # the toolbar shows session keys and every query's parameters.
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    )
    INTERNAL_IPS = ["127.0.0.1", "::1"]
    DEBUG_TOOLBAR_CONFIG = {
        # A superuser, signed in, from an internal IP; everyone else, staff
        # included, gets no toolbar and a 404 from its endpoints (they ask the
        # same function): its store holds every shown request's panels.
        "SHOW_TOOLBAR_CALLBACK": "project.toolbar.show_toolbar",
        # Start as the small "DJDT" handle: open, the toolbar covers the right
        # of every page. One click opens it, SQL panel and all.
        "SHOW_COLLAPSED": True,
    }

if TESTING:
    # A test-only app: the linked-models pattern with database-level cascades.
    INSTALLED_APPS.append("tests.db_cascade")
    # Real hashing costs ~0.3 s per test user; tests don't need its strength.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def flag(name: str, default: bool) -> bool:
    """An on/off environment variable: 1 or 0, unset or empty for the default."""
    value = os.environ.get(name, "")
    if value not in ("", "0", "1"):
        raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")
    return default if value == "" else value == "1"


# HTTPS only, unless DJANGO_HTTPS=0: with DEBUG off, plain http is refused
# (redirected), the session and CSRF cookies never leave over it, and HSTS
# tells browsers to ask for https first. Off for the demo (DEBUG, http on
# 127.0.0.1) and the tests (the test client speaks http). Behind a proxy that
# ends TLS, SECURE_PROXY_SSL_HEADER must say so, or every request redirects.
HTTPS = flag("DJANGO_HTTPS", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# A year, the least the browsers' preload lists take. Sent on https responses
# only, and remembered by browsers for that long: DJANGO_HSTS_SECONDS=0 for a
# host that must keep plain http (its subdomains included) working.
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "") or (31_536_000 if HTTPS else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0

# On every response, DEBUG or not: the site's own files only; no inline script
# at all, and no inline style but the <style> elements that carry this
# response's nonce (base.html's, the admin changelist's). No style="..."
# attributes, no plugins, no framing, no <base>; forms post here only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # A transaction that reads and then writes (get_or_create) can't upgrade
        # SQLite's read lock while another writer holds the write lock: SQLite
        # fails it at once with "database is locked", without waiting.
        # IMMEDIATE takes the write lock at BEGIN instead, where it waits.
        "transaction_mode": "IMMEDIATE",
        # How long a writer waits for the lock, in seconds (Django's default
        # is 5): twenty simultaneous saves queue well within it.
        "timeout": 20,
        # Readers don't block the writer, nor it them (write-ahead log).
        "init_command": "PRAGMA journal_mode=WAL",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # MariaDB (make test-mariadb). Strict mode refuses a bad value instead of
    # truncating it with a warning, whatever the server's own default. Django
    # already connects in utf8mb4 and at READ COMMITTED, which the saves rely
    # on: after an IntegrityError they must see the other request's row.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "SET sql_mode = 'STRICT_TRANS_TABLES'",
    }
    # utf8mb4_general_ci compares case- and accent-insensitively: "alice" and
    # "Alice" sort together, and a unique name treats them as one.
    DATABASES["default"]["TEST"] = {
        "CHARSET": "utf8mb4",
        "COLLATION": "utf8mb4_general_ci",
    }

AUTH_PASSWORD_VALIDATORS = []  # demo logins are deliberately simple

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "index"
LOGOUT_REDIRECT_URL = "index"

# swappable: which model its Task.owner points at (see swappable/README.md).
SWAPPABLE_OWNER_MODEL = "swappable.Owner"

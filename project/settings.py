"""Settings for the GFK-alternatives reference project.

SQLite by default; set DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/db) to
run on PostgreSQL. The debug toolbar is on in the demo and never under tests.
"""

import os
import sys
from pathlib import Path

import dj_database_url

from project.patterns import PATTERN_APPS

BASE_DIR = Path(__file__).resolve().parent.parent

# The toolbar's docs recommend exactly this test detection: pytest exports
# PYTEST_VERSION, and `manage.py test` has "test" in argv.
TESTING = "PYTEST_VERSION" in os.environ or "test" in sys.argv[1:2]

# Safe local defaults for the demo; set both from the environment anywhere else.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "local-demo-only-not-a-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1" and not TESTING
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "project",
    *PATTERN_APPS,
    "swappable",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if DEBUG:
    # On every page, the admin included; the SQL panel is the point.
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1"]
    # Start as the small "DJDT" handle: open, the toolbar covers the right of
    # every page, log-in link included. One click opens it, SQL panel and all.
    DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}

if TESTING:
    # A test-only app: the linked-models pattern with database-level cascades.
    INSTALLED_APPS.append("tests.db_cascade")
    # Real hashing costs ~0.3 s per test user; tests don't need its strength.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

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

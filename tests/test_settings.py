"""The settings fail safe: started the wrong way, the project refuses to run.

Each case starts a fresh Python with the environment a server would have (no
PYTEST_VERSION, so not the suite's settings) and reads the settings Django
ends up with, or the error it stops with.
"""

import os
import subprocess
import sys

from django.conf import settings

# Reading a setting loads the settings module, which is where the refusals
# are; the apps needn't load (django.setup()) for that.
READ = (
    "from django.conf import settings;"
    " print(settings.DEBUG, settings.SECRET_KEY == settings.PUBLIC_DEMO_KEY,"
    " settings.ALLOWED_HOSTS)"
)


def start(code: str = READ, **environ: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST_")) and k != "DATABASE_URL"
    }
    env |= {"DJANGO_SETTINGS_MODULE": "project.settings", **environ}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_unless_asked_for():
    run = start(DJANGO_SECRET_KEY="x" * 50)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == "False"


def test_without_a_secret_key_and_debug_off_startup_refuses_with_a_clear_message():
    run = start()
    assert run.returncode != 0
    assert "DJANGO_SECRET_KEY is not set, and DEBUG is off" in run.stderr
    # The same message from manage.py, as one line rather than a traceback.
    managed = start(
        "import runpy, sys; sys.argv = ['manage.py', 'check'];"
        " runpy.run_path('manage.py', run_name='__main__')"
    )
    assert managed.returncode == 1
    assert managed.stderr.strip().startswith("manage.py: DJANGO_SECRET_KEY is not set")
    assert "Traceback" not in managed.stderr


def test_the_demo_runs_in_debug_on_the_public_key():
    run = start(DJANGO_DEBUG="1")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[:2] == ["True", "True"]


def test_a_set_secret_key_is_used_and_allowed_hosts_are_trimmed():
    run = start(
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS=" a.example , b.example ,, ",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False False ['a.example', 'b.example']"


def test_the_toolbar_is_installed_only_in_debug():
    code = (
        "from django.conf import settings;"
        " print('debug_toolbar' in settings.INSTALLED_APPS)"
    )
    assert start(code, DJANGO_DEBUG="1").stdout.strip() == "True"
    assert start(code, DJANGO_SECRET_KEY="x" * 50).stdout.strip() == "False"


# A key check --deploy accepts: 50 characters or more, not Django's
# "django-insecure-" prefix, and more than five different ones.
DEPLOY_KEY = "deploy-" + "k3y-0f-f1fty-ch4r4cters-" * 3
CHECK_DEPLOY = (
    "import runpy, sys;"
    " sys.argv = ['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'];"
    " runpy.run_path('manage.py', run_name='__main__')"
)


def test_check_deploy_finds_nothing_with_debug_off():
    run = start(CHECK_DEPLOY, DJANGO_SECRET_KEY=DEPLOY_KEY)
    assert run.returncode == 0, run.stderr
    assert "System check identified no issues (0 silenced)." in run.stdout


HTTPS = (
    "from django.conf import settings;"
    " print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE,"
    " settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS,"
    " settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)"
)


def test_https_is_required_with_debug_off_and_not_by_the_demo_or_when_turned_off():
    on = "True True True 31536000 True True"
    off = "False False False 0 False False"
    assert start(HTTPS, DJANGO_SECRET_KEY=DEPLOY_KEY).stdout.strip() == on
    # `make demo` and the live tests serve http on 127.0.0.1.
    assert start(HTTPS, DJANGO_DEBUG="1").stdout.strip() == off
    # Production settings over plain http, on a machine of one's own.
    local = start(HTTPS, DJANGO_SECRET_KEY=DEPLOY_KEY, DJANGO_HTTPS="0")
    assert local.stdout.strip() == off
    # HTTPS, with HSTS remembered for an hour while trying it out.
    trial = start(HTTPS, DJANGO_SECRET_KEY=DEPLOY_KEY, DJANGO_HSTS_SECONDS="3600")
    assert trial.stdout.strip() == "True True True 3600 True True"


def test_an_https_switch_that_is_not_1_or_0_is_refused():
    run = start(DJANGO_SECRET_KEY=DEPLOY_KEY, DJANGO_HTTPS="yes")
    assert run.returncode != 0
    assert "DJANGO_HTTPS must be 1 or 0, not 'yes'." in run.stderr


def test_the_suite_runs_over_http():
    # The test client speaks http: with the redirect on, every page would be
    # a 301 to https.
    assert not settings.SECURE_SSL_REDIRECT and not settings.SESSION_COOKIE_SECURE

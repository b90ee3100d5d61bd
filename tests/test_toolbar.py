"""django-debug-toolbar shows only to signed-in staff on this machine, in DEBUG.

Its SQL panel lists every query with its parameters, the session key among
them, and its endpoints serve any request's panels by id. Shown to anyone on
127.0.0.1 (its default), it handed the demo superuser's session to any local
process. Checked on the demo server itself, and on the callback alone.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory, override_settings

from project.toolbar import show_toolbar

REQUEST_ID = re.compile(r'id="djDebug"[^>]*data-request-id="([0-9a-f]+)"')


def toolbar_request_id(page: str) -> str | None:
    match = REQUEST_ID.search(page)
    return match.group(1) if match else None


@pytest.fixture(scope="module")
def staff_request(demo_server):
    """A page the demo superuser loaded, with the toolbar recording it."""
    admin = demo_server.browser()
    admin.sign_in("demo", "demo")
    page = admin.get("/gfk_baseline/items/").text
    request_id = toolbar_request_id(page)
    session = next(c.value for c in admin.cookies if c.name == "sessionid")
    return admin, request_id, session


def panel_urls(request_id: str) -> list[str]:
    return [
        f"/__debug__/render_panel/?request_id={request_id}&panel_id=SQLPanel",
        f"/__debug__/render_panel/?request_id={request_id}&panel_id=HistoryPanel",
        f"/__debug__/history_sidebar/?request_id={request_id}",
        f"/__debug__/history_refresh/?request_id={request_id}",
    ]


@pytest.mark.xdist_group("demo_server")
def test_the_signed_in_staff_user_gets_the_toolbar_and_its_panels(staff_request):
    admin, request_id, session = staff_request
    assert request_id, "no toolbar on the staff user's page"
    sql = admin.get(panel_urls(request_id)[0])
    assert sql.status == 200 and "gfk_baseline" in sql.text


@pytest.mark.xdist_group("demo_server")
@pytest.mark.parametrize(
    "who",
    [
        pytest.param("anonymous", id="signed-out"),
        pytest.param("reader", id="signed-in-not-staff"),
        pytest.param("neighbour", id="staff-from-another-address"),
    ],
)
def test_nobody_else_sees_the_toolbar_or_gets_anything_from_it(
    who, demo_server, staff_request
):
    _, request_id, session = staff_request
    if who == "neighbour":
        # The demo superuser's own login, from 127.0.0.2: on this machine, but
        # not an internal IP, as a host on the network would be.
        browser = demo_server.browser(source="127.0.0.2")
        browser.sign_in("demo", "demo")
    else:
        browser = demo_server.browser()
        if who == "reader":
            browser.sign_in("reader", "reader")
    assert toolbar_request_id(browser.get("/gfk_baseline/items/").text) is None
    for url in panel_urls(request_id):
        reply = browser.get(url)
        assert reply.status == 404, (url, reply.status)
        assert session not in reply.text
    select = browser.post("/__debug__/sql_select/", {"signed": "x"})
    assert select.status in (403, 404)


STAFF = User(username="staff", is_staff=True, is_active=True)
MEMBER = User(username="member", is_staff=False, is_active=True)
GONE = User(username="gone", is_staff=True, is_active=False)


@pytest.mark.parametrize(
    "debug, address, user, shown",
    [
        (True, "127.0.0.1", STAFF, True),
        (True, "::1", STAFF, True),
        (False, "127.0.0.1", STAFF, False),
        (True, "10.0.0.7", STAFF, False),
        (True, "127.0.0.1", MEMBER, False),
        (True, "127.0.0.1", GONE, False),
        (True, "127.0.0.1", AnonymousUser(), False),
        (True, "127.0.0.1", None, False),
    ],
)
def test_show_toolbar_needs_debug_an_internal_ip_and_active_staff(
    debug, address, user, shown
):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    if user is not None:
        request.user = user
    with override_settings(DEBUG=debug, INTERNAL_IPS=["127.0.0.1", "::1"]):
        assert show_toolbar(request) is shown

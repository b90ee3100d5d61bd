"""django-debug-toolbar shows only to signed-in superusers on this machine, in DEBUG.

Its SQL panel lists every query with its parameters, the session key among
them, its Templates panel a page's context, and its endpoints serve any
stored request's panels by id. Shown to anyone on 127.0.0.1 (its default), it
handed the demo superuser's session to any local process; shown to any staff,
it handed a staff user without permissions the superuser's password hash
from a page the admin refuses them. Checked on the demo server itself, as
each kind of visitor, and on the callback alone.
"""

import html
import json
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory, override_settings

from project.toolbar import show_toolbar

REQUEST_ID = re.compile(r'id="djDebug"[^>]*data-request-id="([0-9a-f]+)"')
SIGNED = re.compile(r'name="signed" value="([^"]+)"')
HASH = re.compile(r"pbkdf2_sha256\$\d+\$[^'\"\s]+")
DEMO_CHANGE = re.compile(r'href="(/admin/auth/user/\d+/change/)">demo<')
# The panels that keep what a request showed: its queries with their
# parameters, its template context, its headers and session, and the others'.
PANELS = ["SQLPanel", "TemplatesPanel", "RequestPanel", "HeadersPanel", "HistoryPanel"]


def toolbar_request_id(page: str) -> str | None:
    match = REQUEST_ID.search(page)
    return match.group(1) if match else None


def panel(browser, request_id: str, panel_id: str) -> str:
    reply = browser.get(
        f"/__debug__/render_panel/?request_id={request_id}&panel_id={panel_id}"
    )
    assert reply.status == 200, (panel_id, reply.status)
    return json.loads(reply.text)["content"]


@pytest.fixture(scope="module")
def superuser_request(demo_server):
    """Two pages the demo superuser loaded, with the toolbar recording them: a
    listing, and the superuser's own change page, whose template context holds
    the password hash."""
    admin = demo_server.browser()
    admin.sign_in("demo", "demo")
    listing = toolbar_request_id(admin.get("/gfk_baseline/items/").text)
    change_url = DEMO_CHANGE.search(admin.get("/admin/auth/user/").text).group(1)
    change = toolbar_request_id(admin.get(change_url).text)
    session = next(c.value for c in admin.cookies if c.name == "sessionid")
    return SimpleNamespace(
        browser=admin,
        listing=listing,
        change=change,
        change_url=change_url,
        session=session,
    )


def panel_urls(request_id: str) -> list[str]:
    return [
        *(
            f"/__debug__/render_panel/?request_id={request_id}&panel_id={panel_id}"
            for panel_id in PANELS
        ),
        f"/__debug__/history_sidebar/?request_id={request_id}",
        f"/__debug__/history_refresh/?request_id={request_id}",
    ]


@pytest.mark.xdist_group("demo_server")
def test_the_signed_in_superuser_gets_the_toolbar_and_its_panels(superuser_request):
    admin = superuser_request.browser
    assert superuser_request.listing, "no toolbar on the superuser's page"
    sql = panel(admin, superuser_request.listing, "SQLPanel")
    assert "gfk_baseline" in sql
    # What the others must not get: the hash, in the change page's context.
    assert HASH.search(panel(admin, superuser_request.change, "TemplatesPanel"))
    select = admin.post("/__debug__/sql_select/", {"signed": signed_query(sql)})
    assert select.status == 200 and "gfk_baseline" in select.text


def signed_query(sql_panel: str) -> str:
    # The SQL panel's Sel/Expl forms carry their query signed with SECRET_KEY:
    # a real one, as the page's owner would post it.
    return html.unescape(SIGNED.search(sql_panel).group(1))


@pytest.mark.xdist_group("demo_server")
@pytest.mark.parametrize(
    "who",
    [
        pytest.param("anonymous", id="signed-out"),
        pytest.param("reader", id="signed-in-not-staff"),
        pytest.param("clerk", id="staff-without-permissions"),
        pytest.param("neighbour", id="superuser-from-another-address"),
    ],
)
def test_nobody_else_sees_the_toolbar_or_gets_anything_from_it(
    who, demo_server, superuser_request
):
    admin = superuser_request.browser
    password_hash = HASH.search(
        panel(admin, superuser_request.change, "TemplatesPanel")
    ).group()
    signed = signed_query(panel(admin, superuser_request.listing, "SQLPanel"))
    if who == "neighbour":
        # The demo superuser's own login, from 127.0.0.2: on this machine, but
        # not an internal IP, as a host on the network would be.
        browser = demo_server.browser(source="127.0.0.2")
        browser.sign_in("demo", "demo")
    else:
        browser = demo_server.browser()
        if who != "anonymous":
            browser.sign_in(who, who)
    if who == "clerk":
        # Staff: the admin lets them in, but not to the page whose panels
        # they would read.
        assert browser.get("/admin/").status == 200
        assert browser.get(superuser_request.change_url).status == 403
    assert toolbar_request_id(browser.get("/gfk_baseline/items/").text) is None
    assert toolbar_request_id(browser.get("/admin/").text) is None
    for request_id in (superuser_request.listing, superuser_request.change):
        for url in panel_urls(request_id):
            reply = browser.get(url)
            assert reply.status == 404, (url, reply.status)
            assert superuser_request.session not in reply.text
            assert password_hash not in reply.text
    for url in ("sql_select", "sql_explain", "sql_profile"):
        reply = browser.post(f"/__debug__/{url}/", {"signed": signed})
        # 404, not the rows of the superuser's query (DEBUG's 404 page lists
        # the URL patterns, app names and all).
        assert reply.status == 404, (url, reply.status)


SUPERUSER = User(username="root", is_staff=True, is_superuser=True, is_active=True)
STAFF = User(username="staff", is_staff=True, is_active=True)
MEMBER = User(username="member", is_staff=False, is_active=True)
GONE = User(username="gone", is_staff=True, is_superuser=True, is_active=False)


@pytest.mark.parametrize(
    "debug, address, user, shown",
    [
        (True, "127.0.0.1", SUPERUSER, True),
        (True, "::1", SUPERUSER, True),
        (False, "127.0.0.1", SUPERUSER, False),
        (True, "10.0.0.7", SUPERUSER, False),
        (True, "127.0.0.1", STAFF, False),
        (True, "127.0.0.1", MEMBER, False),
        (True, "127.0.0.1", GONE, False),
        (True, "127.0.0.1", AnonymousUser(), False),
        (True, "127.0.0.1", None, False),
    ],
)
def test_show_toolbar_needs_debug_an_internal_ip_and_an_active_superuser(
    debug, address, user, shown
):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    if user is not None:
        request.user = user
    with override_settings(DEBUG=debug, INTERNAL_IPS=["127.0.0.1", "::1"]):
        assert show_toolbar(request) is shown

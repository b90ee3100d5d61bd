"""Every page sends the Content-Security-Policy, and its own markup keeps to it.

The policy (project/settings.py) allows the site's own files and, inline,
only a <style> that carries the response's nonce. The walk starts at the
landing page and the admin index, signed in as a superuser over the demo
data, and follows every link on the site once per shape of URL (ids and
query strings aside): every pattern page, compare, performance, each app's
admin and each model's changelist, add and change pages. Whether a browser
agrees is tests/browser/'s to show: it fails on any violation it reports.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from project.patterns import PATTERN_APPS, SAVES_APPS

pytestmark = pytest.mark.django_db

POLICY = re.compile(
    r"default-src 'self'; script-src 'self';"
    r" style-src 'self'(?: 'nonce-(?P<nonce>[^']+)')?;"
    r" object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Not pages: the logout is a POST, the toolbar's endpoints are DEBUG's only.
SKIP = ("/static/", "/__debug__/", "/admin/logout/", "/accounts/logout/")


class Markup(HTMLParser):
    """What a page's HTML asks of the policy, as the reasons it would refuse it."""

    def __init__(self, html: str, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.refused: list[str] = []
        self.links: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.refused.append(f"<{tag} {name}=...>: an inline attribute")
            if name in ("href", "src", "action") and value:
                if value.strip().lower().startswith(("javascript:", "data:")):
                    self.refused.append(f"<{tag} {name}={value[:30]}>")
                elif name != "href" or tag == "link":
                    if urlsplit(value).netloc:
                        self.refused.append(f"<{tag} {name}={value}>: not 'self'")
        if tag == "script" and not attrs.get("src"):
            self.refused.append("an inline <script>: script-src takes no nonce")
        if tag == "style" and (not self.nonce or attrs.get("nonce") != self.nonce):
            self.refused.append("a <style> without this response's nonce")
        if tag in ("iframe", "object", "embed", "base"):
            self.refused.append(f"<{tag}>")


def changelists() -> list[str]:
    # Every registered model's, polymorphic children too: the admin index
    # hides them (show_in_index), and no page links them.
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def walk(client) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Every page reached from the landing page and the admin index: its
    policy's problems, and its links, by path."""
    call_command("load_demo", stdout=io.StringIO())
    queue, shapes, found, links = ["/", "/admin/", *changelists()], set(), {}, {}
    while queue:
        url = urlsplit(queue.pop(0))
        # Another site's page (an article, a package) is not this one's.
        if url.scheme or url.netloc:
            continue
        path = url.path
        shape = re.sub(r"/\d+/", "/N/", path)
        if shape in shapes or path.startswith(SKIP) or not path.startswith("/"):
            continue
        shapes.add(shape)
        response = client.get(path)
        header = response.headers.get("Content-Security-Policy", "")
        policy = POLICY.fullmatch(header)
        if policy is None:
            found[path] = [f"{response.status_code}: policy {header!r}"]
            continue
        if "text/html" in response.headers.get("Content-Type", ""):
            markup = Markup(response.text, policy["nonce"])
            found[path], links[path] = markup.refused, markup.links
            queue += markup.links
        else:
            found[path] = []
    return found, links


def test_every_page_sends_the_policy_and_keeps_to_it(admin_client):
    found, links = walk(admin_client)
    assert {path: problems for path, problems in found.items() if problems} == {}
    # The walk reached what it is for: the site's pages and each app's admin.
    expected = [
        "/",
        "/compare/",
        "/performance/",
        *(reverse("pattern", args=[app]) for app in PATTERN_APPS),
        *(reverse(f"{app}:media_list") for app in SAVES_APPS),
        *(
            reverse("admin:app_list", args=[app])
            for app in [*PATTERN_APPS, "swappable"]
        ),
        *changelists(),
    ]
    assert [path for path in expected if path not in found] == []
    # And, from each changelist with rows, a change page and its history.
    shapes = {re.sub(r"/\d+/", "/N/", path) for path in found}
    for changelist in changelists():
        change = re.compile(f"{changelist}\\d+/change/")
        if any(change.match(link) for link in links[changelist]):
            assert f"{changelist}N/change/" in shapes, changelist


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/no-such-page/", "/admin/login/", "/patterns/nope/"],
)
def test_signed_out_pages_and_errors_send_the_policy_too(client, path):
    response = client.get(path)
    policy = POLICY.fullmatch(response.headers.get("Content-Security-Policy", ""))
    assert policy, (path, response.status_code)
    assert Markup(response.content.decode(), policy["nonce"]).refused == []

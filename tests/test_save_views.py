"""The Save button end to end, through the test client, for every pattern.

Every POST endpoint (save, unsave) is attacked the same three ways: without
a CSRF token, signed out, and as another user. Concurrent requests against a
real server are tests/test_concurrency.py's.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests import patterns
from tests.conftest import make_saves_world, saves_params

pytestmark = pytest.mark.django_db

APPS = saves_params()
POSTS = ["save", "unsave"]


@pytest.fixture
def sworld(app, django_user_model, warm_content_types):
    return make_saves_world(app, django_user_model)


def url(app, name, item=None):
    if item is None:
        return reverse(f"{app}:{name}")
    return reverse(f"{app}:{name}", args=[type(item)._meta.model_name, item.pk])


def target(sworld, action):
    # Save what isn't saved yet, unsave what is: either way, a change.
    return sworld.unsaved if action == "save" else sworld.movie


@pytest.fixture
def viewer_client(client, sworld):
    client.force_login(sworld.user)
    return client


@pytest.mark.parametrize("app", APPS)
def test_detail_page_offers_save_or_unsave_by_state(app, sworld, viewer_client):
    saved = viewer_client.get(url(app, "media_detail", sworld.movie))
    unsaved = viewer_client.get(url(app, "media_detail", sworld.unsaved))
    assert url(app, "unsave", sworld.movie) in saved.text
    assert url(app, "save", sworld.unsaved) in unsaved.text
    assert "year: 1979" in saved.text and "volumes: 8" in unsaved.text


@pytest.mark.parametrize("app", APPS)
def test_every_page_answers_head_as_it_answers_get(app, sworld, viewer_client):
    pages = [
        "/",
        reverse("pattern", args=[app]),
        f"{reverse('compare')}?a={app}",
        url(app, "media_list"),
        url(app, "media_detail", sworld.movie),
        url(app, "saved"),
    ]
    for page in pages:
        assert viewer_client.head(page).status_code == 200, page
        assert viewer_client.get(page).status_code == 200, page


def test_the_index_answers_only_get_and_head(client):
    assert client.get("/").status_code == 200
    assert client.post("/").status_code == 405
    assert client.put("/").status_code == 405


@pytest.mark.parametrize("app", APPS)
def test_unknown_kind_or_id_is_404(app, sworld, viewer_client):
    movie = sworld.movie.pk
    assert viewer_client.get(f"/{app}/items/podcast/{movie}/").status_code == 404
    assert viewer_client.post(f"/{app}/items/podcast/{movie}/save/").status_code == 404
    assert viewer_client.get(f"/{app}/items/movie/{10**9}/").status_code == 404
    # Past any 64-bit id: a 404 from the URL, not an OverflowError from SQLite.
    assert viewer_client.get(f"/{app}/items/movie/{10**25}/").status_code == 404
    assert viewer_client.post(f"/{app}/items/movie/{10**25}/save/").status_code == 404
    assert viewer_client.post(f"/{app}/items/anime/{10**9}/unsave/").status_code == 404


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("app", APPS)
def test_save_and_unsave_refuse_get(app, action, sworld, viewer_client):
    item = target(sworld, action)
    assert viewer_client.get(url(app, action, item)).status_code == 405
    assert sworld.queries.is_saved(sworld.user, item) == (action == "unsave")


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("app", APPS)
def test_save_and_unsave_require_sign_in(app, action, sworld, client):
    item = target(sworld, action)
    response = client.post(url(app, action, item))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert sworld.queries.saved_count(sworld.user) == 3
    assert sworld.queries.is_saved(sworld.user, item) == (action == "unsave")


def test_the_dashboard_requires_sign_in(client):
    for app in patterns.saves_apps():
        response = client.get(url(app, "saved"))
        assert response.status_code == 302, app
        assert response["Location"].startswith(reverse("login")), app


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("app", APPS)
def test_save_and_unsave_without_a_csrf_token_are_refused(app, action, sworld):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sworld.user)
    item = target(sworld, action)
    refused = client.post(url(app, action, item))
    assert refused.status_code == 403
    assert sworld.queries.is_saved(sworld.user, item) == (action == "unsave")
    # The form's own token works: the page sets the cookie, the POST echoes it.
    client.get(url(app, "media_detail", item))
    token = client.cookies["csrftoken"].value
    accepted = client.post(url(app, action, item), {"csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert sworld.queries.is_saved(sworld.user, item) == (action == "save")


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("app", APPS)
def test_another_user_changes_only_their_own_saves(app, action, sworld, client):
    q = sworld.queries
    client.force_login(sworld.other)
    item = target(sworld, action)
    assert client.post(url(app, action, item)).status_code == 302
    # The user's saves are as they were; the other user saved (or had
    # nothing to unsave) on their own account.
    assert q.saved_count(sworld.user) == 3
    assert q.is_saved(sworld.user, item) == (action == "unsave")
    assert q.is_saved(sworld.other, item) == (action == "save")


@pytest.mark.parametrize("app", APPS)
def test_save_redirects_back_to_the_item(app, sworld, viewer_client):
    detail = url(app, "media_detail", sworld.unsaved)
    response = viewer_client.post(url(app, "save", sworld.unsaved))
    # Post/Redirect/Get: a reload of the result page is a GET, not a re-POST.
    assert response.status_code == 302
    assert response["Location"] == detail
    assert sworld.queries.is_saved(sworld.user, sworld.unsaved)
    page = viewer_client.get(detail)
    assert "is in your saved items" in page.text


@pytest.mark.parametrize("app", APPS)
def test_double_clicked_save_stores_one_save_and_shows_no_error(
    app, sworld, viewer_client
):
    first = viewer_client.post(url(app, "save", sworld.unsaved))
    second = viewer_client.post(url(app, "save", sworld.unsaved))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    assert sworld.queries.saved_count(sworld.user) == 4


@pytest.mark.parametrize("app", APPS)
def test_unsave_says_when_nothing_was_saved(app, sworld, viewer_client):
    viewer_client.post(url(app, "unsave", sworld.unsaved))
    page = viewer_client.get(url(app, "media_detail", sworld.unsaved))
    assert "was not in your saved items" in page.text


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("app", APPS)
def test_a_next_url_off_this_site_is_ignored(app, action, sworld, viewer_client):
    item = target(sworld, action)
    response = viewer_client.post(
        url(app, action, item), {"next": "https://evil.example/"}
    )
    assert response["Location"] == url(app, "media_detail", item)


@pytest.mark.parametrize("app", APPS)
def test_dashboard_lists_only_the_users_saves_newest_first_and_pages(
    app, sworld, viewer_client, client
):
    q = sworld.queries
    for n in range(12):
        q.save_item(
            sworld.user, q.create_media("manga", f"Volume run {n:02d}", volumes=n + 1)
        )
    first = viewer_client.get(url(app, "saved"))
    second = viewer_client.get(url(app, "saved") + "?page=2")
    assert first.context["page"].paginator.count == 15
    assert len(first.context["page"].object_list) == 10
    assert len(second.context["page"].object_list) == 5
    titles = [row[1] for row in first.context["page"].object_list] + [
        row[1] for row in second.context["page"].object_list
    ]
    newest_first = [f"Volume run {n:02d}" for n in reversed(range(12))] + [
        "Monster",
        "Mushishi",
        "Alien",
    ]
    if patterns.module(app).SAVES.feed_newest_first:
        assert titles == newest_first
    else:
        assert sorted(titles) == sorted(newest_first)
    client.force_login(sworld.other)
    assert client.get(url(app, "saved")).context["page"].paginator.count == 0


@pytest.mark.parametrize("app", APPS)
def test_dashboard_pages_past_the_end_show_the_last_page(app, sworld, viewer_client):
    for page in ("99", "0", "-1", "x", "1e9", "\x00"):
        response = viewer_client.get(url(app, "saved"), {"page": page})
        assert response.status_code == 200, page
        assert response.context["page"].object_list, page


def gone_item_params():
    # The patterns whose database keeps a save of a deleted item, and the
    # delete that leaves it (its declared verdict says ACCEPTED).
    params = []
    for app in patterns.saves_apps():
        integrity = patterns.module(app).SAVES.integrity
        for rule in (patterns.RAW_DELETE_ITEM, patterns.ORM_DELETE_ITEM):
            if integrity[rule].outcome == patterns.ACCEPTED:
                params.append(pytest.param(app, rule, id=f"{app}-{rule.label}"))
    return params


@pytest.mark.parametrize("app, rule", gone_item_params())
def test_the_dashboard_lists_a_save_whose_item_is_gone(
    app, rule, sworld, viewer_client
):
    # The reader sees it listed as no longer available (or, where the kind is
    # what went, of unknown kind), not a 500.
    verdict = patterns.module(app).SAVES.integrity[rule]
    if verdict.probe:
        verdict.probe(sworld, "anime")
    else:
        sworld.anime.delete()
    page = viewer_client.get(url(app, "saved"))
    assert page.status_code == 200
    rows = [(kind, title) for kind, title, *_ in page.context["page"].object_list]
    # The two saves whose items remain keep their real titles.
    kept = [("manga", "Monster"), ("movie", "Alien")]
    assert sorted(row for row in rows if row in kept) == kept
    assert "Alien" in page.text and "Monster" in page.text
    # The gone one keeps its kind where the kind outlives the item, and its
    # real title where the row holding it survives (an MTI parent), never a
    # stand-in for either.
    [(kind, title)] = [row for row in rows if row not in kept]
    assert kind in ("anime", None) and title in ("Mushishi", None)
    if title is None:
        assert "no longer available" in page.text
    else:
        assert title in page.text and "no longer available" not in page.text
    if kind is None:
        assert "unknown kind" in page.text

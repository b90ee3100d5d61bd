"""The Save button end to end, through the test client, for every pattern."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests import patterns
from tests.conftest import make_saves_world, saves_params

pytestmark = pytest.mark.django_db

APPS = saves_params()


@pytest.fixture
def sworld(app, django_user_model, warm_content_types):
    return make_saves_world(app, django_user_model)


def url(app, name, item=None, kind=None):
    if item is None:
        return reverse(f"{app}:{name}")
    return reverse(f"{app}:{name}", args=[kind, item.pk])


@pytest.fixture
def viewer_client(client, sworld):
    client.force_login(sworld.user)
    return client


@pytest.mark.parametrize("app", APPS)
def test_detail_page_offers_save_or_unsave_by_state(app, sworld, viewer_client):
    saved = viewer_client.get(url(app, "media_detail", sworld.movie, "movie"))
    unsaved = viewer_client.get(url(app, "media_detail", sworld.manga, "manga"))
    assert url(app, "unsave", sworld.movie, "movie") in saved.text
    assert url(app, "save", sworld.manga, "manga") in unsaved.text
    assert "year: 1979" in saved.text and "volumes: 18" in unsaved.text


@pytest.mark.parametrize("app", APPS)
def test_unknown_kind_or_id_is_404(app, sworld, viewer_client):
    assert (
        viewer_client.get(f"/{app}/items/podcast/{sworld.movie.pk}/").status_code == 404
    )
    assert (
        viewer_client.post(f"/{app}/items/podcast/{sworld.movie.pk}/save/").status_code
        == 404
    )
    assert viewer_client.get(f"/{app}/items/movie/{10**9}/").status_code == 404
    # Past any 64-bit id: a 404 from the URL, not an OverflowError from SQLite.
    assert viewer_client.get(f"/{app}/items/movie/{10**25}/").status_code == 404
    assert viewer_client.post(f"/{app}/items/movie/{10**25}/save/").status_code == 404
    assert viewer_client.post(f"/{app}/items/anime/{10**9}/save/").status_code == 404


@pytest.mark.parametrize("app", APPS)
def test_save_and_unsave_refuse_get(app, sworld, viewer_client):
    assert viewer_client.get(url(app, "save", sworld.manga, "manga")).status_code == 405
    assert (
        viewer_client.get(url(app, "unsave", sworld.movie, "movie")).status_code == 405
    )
    assert not sworld.queries.is_saved(sworld.user, sworld.manga)
    assert sworld.queries.is_saved(sworld.user, sworld.movie)


@pytest.mark.parametrize("app", APPS)
def test_save_requires_sign_in(app, sworld, client):
    response = client.post(url(app, "save", sworld.manga, "manga"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert sworld.queries.saved_count(sworld.user) == 2
    assert client.get(url(app, "saved")).status_code == 302


@pytest.mark.parametrize("app", APPS)
def test_save_redirects_back_to_the_item(app, sworld, viewer_client):
    detail = url(app, "media_detail", sworld.manga, "manga")
    response = viewer_client.post(url(app, "save", sworld.manga, "manga"))
    # Post/Redirect/Get: a reload of the result page is a GET, not a re-POST.
    assert response.status_code == 302
    assert response["Location"] == detail
    assert sworld.queries.is_saved(sworld.user, sworld.manga)
    page = viewer_client.get(detail)
    assert "is in your saved items" in page.text


@pytest.mark.parametrize("app", APPS)
def test_double_clicked_save_stores_one_save_and_shows_no_error(
    app, sworld, viewer_client
):
    first = viewer_client.post(url(app, "save", sworld.manga, "manga"))
    second = viewer_client.post(url(app, "save", sworld.manga, "manga"))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    assert sworld.queries.saved_count(sworld.user) == 3


@pytest.mark.parametrize("app", APPS)
def test_save_ignores_a_next_url_off_this_site(app, sworld, viewer_client):
    response = viewer_client.post(
        url(app, "save", sworld.manga, "manga"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == url(app, "media_detail", sworld.manga, "manga")


@pytest.mark.parametrize("app", APPS)
def test_unsave_removes_only_the_signed_in_users_save(app, sworld, client):
    client.force_login(sworld.other)
    response = client.post(url(app, "unsave", sworld.movie, "movie"))
    assert response.status_code == 302
    assert sworld.queries.is_saved(sworld.user, sworld.movie)  # still there
    client.force_login(sworld.user)
    client.post(url(app, "unsave", sworld.movie, "movie"))
    assert not sworld.queries.is_saved(sworld.user, sworld.movie)


@pytest.mark.parametrize("app", APPS)
def test_save_without_csrf_token_is_refused(app, sworld):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sworld.user)
    refused = client.post(url(app, "save", sworld.manga, "manga"))
    assert refused.status_code == 403
    assert not sworld.queries.is_saved(sworld.user, sworld.manga)
    # The form's own token works: the page sets the cookie, the POST echoes it.
    client.get(url(app, "media_detail", sworld.manga, "manga"))
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        url(app, "save", sworld.manga, "manga"), {"csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert sworld.queries.is_saved(sworld.user, sworld.manga)


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
    assert first.context["page"].paginator.count == 14
    assert len(first.context["page"].object_list) == 10
    assert len(second.context["page"].object_list) == 4
    titles = [row[1] for row in first.context["page"].object_list] + [
        row[1] for row in second.context["page"].object_list
    ]
    newest_first = [f"Volume run {n:02d}" for n in reversed(range(12))] + [
        "Mushishi",
        "Alien",
    ]
    if patterns.module(app).SAVES.feed_newest_first:
        assert titles == newest_first
    else:
        assert sorted(titles) == sorted(newest_first)
    client.force_login(sworld.other)
    assert client.get(url(app, "saved")).context["page"].paginator.count == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers; SQLite serialises them (CI runs PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("app", APPS)
def test_two_concurrent_saves_store_one_row_and_both_succeed(app, django_user_model):
    sworld = make_saves_world(app, django_user_model)
    barrier = threading.Barrier(2)
    statuses = []

    def click():
        client = Client()
        client.force_login(sworld.user)
        barrier.wait()
        try:
            statuses.append(
                client.post(url(app, "save", sworld.manga, "manga")).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert sworld.queries.saved_count(sworld.user) == 3

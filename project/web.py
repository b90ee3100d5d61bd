"""The Save-button feature, written once and mounted for every pattern app.

Each view takes the pattern's `queries` module as an argument (see urls_for()),
so the pattern is the only thing that differs between /gfk_baseline/... and
/linked_models/...: explicit storage behind one generic API, as "The 'Save
Button' Dilemma" suggests.
"""

from __future__ import annotations

from types import ModuleType

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, register_converter, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from project.dataset import OWN_FIELD

FEED_PAGE_SIZE = 10


class IdConverter:
    """A primary key that fits a 64-bit column; longer digit runs never match.

    `<int:pk>` would pass 10**25 on to the database, where SQLite raises
    OverflowError (a 500) instead of finding nothing (a 404).
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")


def _media_or_404(queries: ModuleType, kind: str, pk: int):
    # An unknown kind and an unknown id are the same to a visitor: not found.
    try:
        return queries.get_media(kind, pk)
    except LookupError:
        raise Http404(f"No kind {kind!r}") from None
    except ObjectDoesNotExist:
        raise Http404(f"No {kind} #{pk}") from None


@require_safe
def media_list(request: HttpRequest, queries: ModuleType, app: str) -> HttpResponse:
    sections = [(kind, queries.list_media(kind)) for kind in queries.KINDS]
    return render(request, "web/media_list.html", {"app": app, "sections": sections})


@require_safe
def media_detail(
    request: HttpRequest, kind: str, pk: int, queries: ModuleType, app: str
) -> HttpResponse:
    item = _media_or_404(queries, kind, pk)
    user = request.user
    saved = user.is_authenticated and queries.is_saved(user, item)
    progress = queries.progress(user, item) if saved and kind == "anime" else None
    # The one field each kind has besides its title (year, episodes, volumes).
    field = OWN_FIELD[kind]
    context = {"app": app, "kind": kind, "item": item, "saved": saved}
    context |= {"progress": progress, "fact": (field, getattr(item, field))}
    return render(request, "web/media_detail.html", context)


def _back(request: HttpRequest, app: str, kind: str, pk: int):
    # Post/Redirect/Get: back to where the button was, if that is on this site.
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse(f"{app}:media_detail", args=[kind, pk])
    return redirect(target)


@require_POST
@login_required
def save(
    request: HttpRequest, kind: str, pk: int, queries: ModuleType, app: str
) -> HttpResponse:
    item = _media_or_404(queries, kind, pk)
    # A double click, or two tabs, reach here twice: the second save_item()
    # returns False and the user sees the same result, not an error.
    queries.save_item(request.user, item)
    messages.success(request, f"“{item}” is in your saved items.")
    return _back(request, app, kind, pk)


@require_POST
@login_required
def unsave(
    request: HttpRequest, kind: str, pk: int, queries: ModuleType, app: str
) -> HttpResponse:
    item = _media_or_404(queries, kind, pk)
    # Deletes only request.user's save: there is no way to name another user's.
    if queries.unsave_item(request.user, item):
        messages.success(request, f"“{item}” is no longer saved.")
    else:
        messages.info(request, f"“{item}” was not in your saved items.")
    return _back(request, app, kind, pk)


class _Feed:
    """A Paginator-compatible view of saved_feed(): the database pages it."""

    def __init__(self, queries: ModuleType, user, per_page: int):
        self.queries, self.user, self.per_page = queries, user, per_page

    def count(self) -> int:
        return self.queries.saved_count(self.user)

    def __getitem__(self, window: slice) -> list:
        # Paginator asks for [bottom:top] with bottom a multiple of per_page.
        return self.queries.saved_feed(
            self.user, window.start // self.per_page + 1, self.per_page
        )


@require_safe
@login_required
def saved(request: HttpRequest, queries: ModuleType, app: str) -> HttpResponse:
    paginator = Paginator(_Feed(queries, request.user, FEED_PAGE_SIZE), FEED_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "web/saved.html", {"app": app, "page": page})


def urls_for(app: str, queries: ModuleType) -> tuple[list, str]:
    """URL patterns for one pattern app, namespaced by its label."""
    extra = {"queries": queries, "app": app}
    urlpatterns = [
        path("items/", media_list, extra, name="media_list"),
        path("items/<str:kind>/<id:pk>/", media_detail, extra, name="media_detail"),
        path("items/<str:kind>/<id:pk>/save/", save, extra, name="save"),
        path("items/<str:kind>/<id:pk>/unsave/", unsave, extra, name="unsave"),
        path("saved/", saved, extra, name="saved"),
    ]
    return urlpatterns, app

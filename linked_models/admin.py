from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from .models import (
    Anime,
    CombinedTask,
    Group,
    GroupTask,
    Manga,
    Movie,
    Person,
    PersonTask,
    SavedAnime,
    SavedManga,
    SavedMovie,
)
from .queries import task_union


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]


# One admin per task table. The owner kind is the model itself, so neither
# needs an owner-kind filter, and the add form offers exactly one owner picker.


@admin.register(PersonTask)
class PersonTaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner"]
    # 1 query for the page: the owner is a plain FK, joined in.
    list_select_related = ["owner"]
    search_fields = ["description"]


@admin.register(GroupTask)
class GroupTaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "creator"]
    # 1 query for the page: the group and its creator joined in.
    list_select_related = ["owner__creator"]
    search_fields = ["description"]

    @admin.display(description="creator", ordering="owner__creator__name")
    def creator(self, task):
        return task.owner.creator


@admin.register(CombinedTask)
class CombinedTaskAdmin(admin.ModelAdmin):
    """Every task of both tables in one read-only list, built on a UNION.

    Django's ChangeList filters and orders a model's queryset, which a UNION
    can't be, so this replaces the changelist view: a search box, an owner-kind
    filter (which simply leaves a table out) and pages, all done in SQL.
    """

    list_per_page = 100
    kinds = {"person": "Person", "group": "Group"}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        # PostgreSQL text can't hold a NUL character, and a search for one
        # would be a DataError (a 500): no task can contain it anyway.
        search = request.GET.get("q", "").replace("\x00", "")
        # The parameter every other app's OwnerKindFilter reads.
        kind = request.GET.get("owner_kind", "")
        # A kind is a table: filtering by it leaves the other branch out.
        rows = task_union(
            "id",
            "description",
            "kind",
            "owner_name",
            "creator_name",
            search=search,
            kinds=(kind,) if kind in self.kinds else tuple(self.kinds),
        )
        # Newest first, as in the per-table changelists (-pk): the tables have
        # no shared clock, so each one's ids descend, interleaved. A true
        # "newest across both" needs a timestamp column in each table.
        # 2 queries: COUNT(*) over the UNION, then the page with LIMIT/OFFSET.
        page = Paginator(rows.order_by("-id", "kind"), self.list_per_page).get_page(
            request.GET.get("p")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Tasks of any owner",
            "page": page,
            "search": search,
            "kind": kind,
            "kinds": self.kinds,
            **(extra_context or {}),
        }
        return TemplateResponse(
            request, "admin/linked_models/combinedtask/change_list.html", context
        )


for media in (Movie, Anime, Manga):
    admin.site.register(media, list_display=["title"], search_fields=["title"])


for saved, extras in (
    (SavedMovie, ["watched"]),
    (SavedAnime, ["episode_progress"]),
    (SavedManga, []),
):
    # 1 query for the page: user and item are plain FKs, joined in. Each
    # table has only its own kind's extra, so each form shows only that one.
    admin.site.register(
        saved,
        list_display=["user", "item", "created"],
        list_select_related=["user", "item"],
        fields=["user", "item", *extras],
    )

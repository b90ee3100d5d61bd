from django.contrib import admin
from django.contrib.admin.utils import get_deleted_objects
from django.db import transaction
from django.db.models import Q

from . import queries
from .models import Anime, Group, Manga, Media, Movie, Owner, Person, SavedItem, Task


class MakesOwnerRowAdmin(admin.ModelAdmin):
    # The Owner row is made with the person or group, as create_person() does;
    # picking an existing one by hand is how two of them end up sharing it.
    exclude = ["owner"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = Owner.objects.create()
        super().save_model(request, obj, form, change)

    # And the row goes with them, through delete_owner(): the cascade runs
    # Owner -> Person (or Group), never back, so the admin's own delete would
    # leave the Owner row, and every task on it, owned by nobody. 7 queries
    # per person, 5 per group, one delete_owner() per selected row.
    def delete_model(self, request, obj):
        queries.delete_owner(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                queries.delete_owner(obj)

    def get_deleted_objects(self, objs, request):
        # The "are you sure?" page lists what the delete above really removes:
        # the Owner rows and everything that cascades from them.
        rows = queries.owner_rows_of(list(objs))
        return get_deleted_objects(rows, request, self.admin_site)


@admin.register(Person)
class PersonAdmin(MakesOwnerRowAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(MakesOwnerRowAdmin):
    list_display = ["name", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]


class OwnerKindFilter(admin.SimpleListFilter):
    title = "owner kind"
    parameter_name = "owner_kind"

    def lookups(self, request, model_admin):
        return [("person", "Person"), ("group", "Group")]

    def queryset(self, request, queryset):
        # The kind is whichever table links the Owner row: a join, not a column.
        if self.value() in ("person", "group"):
            return queryset.filter(**{f"owner__{self.value()}__isnull": False})
        return queryset


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    # Where an Owner row that nobody links to shows up as "None".
    list_display = ["id", "__str__"]
    list_select_related = ["person", "group"]

    def has_add_permission(self, request):
        # A row added here would stand for nothing: rows come with their
        # person or group (their own forms), and this page is where the ones
        # the database let in anyway show up.
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "owner_kind"]
    list_filter = [OwnerKindFilter]
    search_fields = ["description"]

    def get_queryset(self, request):
        # One query for the page: Owner and both reverse one-to-ones joined in;
        # without them, each row asks the person table, then the group table.
        return (
            super()
            .get_queryset(request)
            .select_related("owner__person", "owner__group")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            # The drop-down lists Owner rows; without the joins each label
            # would cost a query per linked table. Owner rows nobody links to,
            # which the database allows, are left out.
            kwargs["queryset"] = (
                Owner.objects.filter(Q(person__isnull=False) | Q(group__isnull=False))
                .select_related("person", "group")
                .order_by("pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        # Both reverse one-to-ones are joined in, so asking each is free. The
        # database allows an Owner row with neither or with both: bad rows show
        # as what they are, not as whichever person_or_group finds first.
        kinds = [kind for kind in ("person", "group") if hasattr(task.owner, kind)]
        return ", ".join(kinds) or "none"


class MakesMediaRowAdmin(admin.ModelAdmin):
    # As for owners: the Media row comes with the media, as in create_media().
    exclude = ["media"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.media = Media.objects.create()
        super().save_model(request, obj, form, change)

    # And goes with it, through delete_media(): the cascade runs Media -> movie,
    # never back, so the admin's own delete would leave the Media row and its
    # saves. 6 queries per media row.
    def delete_model(self, request, obj):
        queries.delete_media(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                queries.delete_media(obj)

    def get_deleted_objects(self, objs, request):
        rows = Media.objects.filter(pk__in=[obj.media_id for obj in objs])
        return get_deleted_objects(rows, request, self.admin_site)


for media in (Movie, Anime, Manga):
    admin.site.register(
        media, MakesMediaRowAdmin, list_display=["title"], search_fields=["title"]
    )


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__"]
    list_select_related = ["movie", "anime", "manga"]

    def has_add_permission(self, request):
        # A row added here would stand for nothing: rows come with their
        # movie, anime or manga (their own forms), and this page is where the
        # ones the database let in anyway show up.
        return False


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "created"]
    list_select_related = ["user", "item__movie", "item__anime", "item__manga"]
    fields = ["user", "item", "episode_progress", "watched"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = Media.objects.select_related("movie", "anime", "manga")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

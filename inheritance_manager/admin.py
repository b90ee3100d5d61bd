from django.contrib import admin
from django.db.models import Q

from .models import Anime, Group, Manga, Media, Movie, Owner, Person, SavedItem, Task

# mti's admin, but where a list of Owner rows shows their children: there the
# manager's select_subclasses() hands them back, their own columns joined in.
# The Media list shows the parent's own title, as in mti.


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]


class OwnerKindFilter(admin.SimpleListFilter):
    title = "owner kind"
    parameter_name = "owner_kind"

    def lookups(self, request, model_admin):
        return [("person", "Person"), ("group", "Group")]

    def queryset(self, request, queryset):
        # The kind is which child table has a row: a join, not a column.
        if self.value() in ("person", "group"):
            return queryset.filter(**{f"owner__{self.value()}__isnull": False})
        return queryset


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    # Where an Owner row with no child shows up as "None".
    list_display = ["id", "__str__"]

    def get_queryset(self, request):
        # Each row as its child, in one query; a row with no child stays an
        # Owner.
        return super().get_queryset(request).select_subclasses()

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
        # One query for the page: Owner and both child tables joined in;
        # without them, each row asks the person table, then the group table.
        return (
            super()
            .get_queryset(request)
            .select_related("owner__person", "owner__group")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            # The drop-down lists Owner rows, each as its child; without the
            # joins each label would cost a query per child table. Owner rows
            # with no child, which the database allows, are left out.
            kwargs["queryset"] = (
                Owner.objects.filter(Q(person__isnull=False) | Q(group__isnull=False))
                .select_subclasses()
                .order_by("pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        # Both child tables are joined in, so asking each is free. The database
        # allows an Owner row with neither or with both: bad rows show as what
        # they are, not as whichever person_or_group finds first.
        kinds = [kind for kind in ("person", "group") if hasattr(task.owner, kind)]
        return ", ".join(kinds) or "none"


for media in (Movie, Anime, Manga):
    admin.site.register(media, list_display=["title"], search_fields=["title"])


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    # Where a Media row with no child still shows its title.
    list_display = ["id", "__str__"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        # A row added here would stand for nothing: rows come with their
        # movie, anime or manga (their own forms), and this page is where the
        # ones the database let in anyway show up.
        return False


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "created"]
    # str(item) is the media row's title: no child table needed.
    list_select_related = ["user", "item"]
    fields = ["user", "item", "episode_progress", "watched"]

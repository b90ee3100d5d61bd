from django.contrib import admin
from django.db.models import Q
from polymorphic.admin import (
    PolymorphicChildModelAdmin,
    PolymorphicChildModelFilter,
    PolymorphicParentModelAdmin,
)

from .models import Anime, Group, Manga, Media, Movie, Owner, Person, SavedItem, Task

# The library's admin: one parent admin per hierarchy, listing every row and
# asking which child type to add; a child admin per type for the forms. The
# children are registered too, as the library's docs ask, so that their own
# changelists exist.


class OwnerChildAdmin(PolymorphicChildModelAdmin):
    base_model = Owner


@admin.register(Person)
class PersonAdmin(OwnerChildAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(OwnerChildAdmin):
    list_display = ["name", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]


class OwnerKindFilter(admin.SimpleListFilter):
    title = "owner kind"
    parameter_name = "owner_kind"

    def lookups(self, request, model_admin):
        return [("person", "Person"), ("group", "Group")]

    def queryset(self, request, queryset):
        # The kind is a column here: the Owner row's stored content type.
        if self.value() in ("person", "group"):
            return queryset.filter(owner__polymorphic_ctype__model=self.value())
        return queryset


@admin.register(Owner)
class OwnerAdmin(PolymorphicParentModelAdmin):
    # Where an Owner row with no child shows up as "None".
    child_models = [Person, Group]
    list_display = ["id", "__str__", "polymorphic_ctype"]
    list_filter = [PolymorphicChildModelFilter]
    # The parent list reads Owner rows as they are (polymorphic_list is off):
    # their names are the children's, joined here rather than a query a row.
    list_select_related = ["person", "group", "polymorphic_ctype"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "owner_kind"]
    list_filter = [OwnerKindFilter]
    search_fields = ["description"]

    def get_queryset(self, request):
        # One query for the page: Owner, both child tables and the stored type
        # joined in. select_related("owner") alone hands back the bare Owner
        # row: the library downcasts on lazy loads and on Owner querysets,
        # not on a join from Task.
        return (
            super()
            .get_queryset(request)
            .select_related("owner__person", "owner__group", "owner__polymorphic_ctype")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            # The library's manager would fetch each option's child type in a
            # query of its own: the joins label them in the one query. Owner
            # rows with no child, which the database allows, are left out.
            kwargs["queryset"] = (
                Owner.objects.non_polymorphic()
                .filter(Q(person__isnull=False) | Q(group__isnull=False))
                .select_related("person", "group")
                .order_by("pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        # The stored type: what the row was made as, whatever rows exist now.
        return task.owner.polymorphic_ctype.model


class MediaChildAdmin(PolymorphicChildModelAdmin):
    base_model = Media
    list_display = ["title"]
    search_fields = ["title"]


for media in (Movie, Anime, Manga):
    admin.site.register(media, MediaChildAdmin)


@admin.register(Media)
class MediaAdmin(PolymorphicParentModelAdmin):
    # Where a Media row with no child still shows its title.
    child_models = [Movie, Anime, Manga]
    list_display = ["id", "__str__", "polymorphic_ctype"]
    list_filter = [PolymorphicChildModelFilter]
    list_select_related = ["polymorphic_ctype"]
    search_fields = ["title"]


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "created"]
    # str(item) is the media row's title: no child table needed.
    list_select_related = ["user", "item"]
    fields = ["user", "item", "episode_progress", "watched"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            # As for owners, the library's manager would fetch each option's
            # child type in a query of its own: the titles are the Media
            # rows', no child needed.
            kwargs["queryset"] = Media.objects.non_polymorphic()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

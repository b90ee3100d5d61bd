from django.contrib import admin
from django.db import transaction

from . import queries
from .models import Anime, Group, Item, Manga, Movie, Owner, Person, SavedItem, Task


class DeletesOwnerRowsFirstAdmin(admin.ModelAdmin):
    # Deletes go through delete_owner(): on MariaDB the admin's own delete
    # would first set the Owner row's link to NULL, which the exactly-one
    # CheckConstraint refuses (a 500). On SQLite and PostgreSQL both ways
    # delete the same rows. The confirmation page lists them as it would.
    def delete_model(self, request, obj):
        queries.delete_owner(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                queries.delete_owner(obj)


@admin.register(Person)
class PersonAdmin(DeletesOwnerRowsFirstAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(DeletesOwnerRowsFirstAdmin):
    list_display = ["name", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    # queries.create_task() makes Owner rows on demand; the admin can't, so a
    # person gets into the task form's owner list by being added here first.
    # Picking both a person and a group shows the CheckConstraint's message.
    list_display = ["__str__", "kind"]
    list_select_related = ["person", "group"]


class OwnerKindFilter(admin.SimpleListFilter):
    title = "owner kind"
    parameter_name = "owner_kind"

    def lookups(self, request, model_admin):
        return [("person", "Person"), ("group", "Group")]

    def queryset(self, request, queryset):
        if self.value() in ("person", "group"):
            # The kind is which link is set: a NULL test on a column of Owner.
            return queryset.filter(**{f"owner__{self.value()}__isnull": False})
        return queryset


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "owner_kind"]
    list_filter = [OwnerKindFilter]
    search_fields = ["description"]

    def get_queryset(self, request):
        # 1 query for the page: Owner, and both of its links, joined in.
        return (
            super()
            .get_queryset(request)
            .select_related("owner__person", "owner__group")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            # Labels read the person or group: join both, not a query per option.
            kwargs["queryset"] = Owner.objects.select_related("person", "group")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        return task.owner.kind


class DeletesItemRowsFirstAdmin(admin.ModelAdmin):
    # As for owners: deletes go through delete_media(), the Item row first.
    def delete_model(self, request, obj):
        queries.delete_media(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                queries.delete_media(obj)


for media in (Movie, Anime, Manga):
    admin.site.register(
        media,
        DeletesItemRowsFirstAdmin,
        list_display=["title"],
        search_fields=["title"],
    )


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    # As for Owner: save_item() makes these on demand, the admin by hand.
    list_display = ["__str__", "kind"]
    list_select_related = ["movie", "anime", "manga"]


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "created"]
    list_select_related = ["user", "item__movie", "item__anime", "item__manga"]
    fields = ["user", "item", "episode_progress", "watched"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            # As for tasks: join the three media tables the labels read.
            kwargs["queryset"] = Item.objects.select_related("movie", "anime", "manga")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch

from .models import Anime, Group, Manga, Movie, Person, SavedItem, Task


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
    models = {"person": Person, "group": Group}

    def lookups(self, request, model_admin):
        return [("person", "Person"), ("group", "Group")]

    def queryset(self, request, queryset):
        if self.value() in self.models:
            # Filtering by kind means filtering by a content-type id: data, not schema.
            owner_type = ContentType.objects.get_for_model(self.models[self.value()])
            return queryset.filter(owner_type=owner_type)
        return queryset


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "owner_kind"]
    list_filter = [OwnerKindFilter]
    search_fields = ["description"]
    # The add form is a content-type drop-down and a bare integer: the admin
    # can't offer a picker for "a row of whichever table you chose".
    fields = ["description", "owner_type", "owner_id"]

    def get_queryset(self, request):
        # One query per owner type instead of one per row; select_related is
        # impossible through a GFK.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                GenericPrefetch(
                    "owner",
                    [Person.objects.all(), Group.objects.select_related("creator")],
                )
            )
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner_type":
            # Without this the drop-down offers every model in the project.
            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[
                    ContentType.objects.get_for_model(model).pk
                    for model in (Person, Group)
                ]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        return ContentType.objects.get_for_id(task.owner_type_id).model


for media in (Movie, Anime, Manga):
    admin.site.register(media, list_display=["title"], search_fields=["title"])


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "item_type", "created"]
    list_select_related = ["user", "item_type"]
    fields = ["user", "item_type", "item_id", "episode_progress", "watched"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                GenericPrefetch(
                    "item",
                    [Movie.objects.all(), Anime.objects.all(), Manga.objects.all()],
                )
            )
        )

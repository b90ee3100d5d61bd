from django.contrib import admin

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
    fields = {"person": "owner_person", "group": "owner_group"}

    def lookups(self, request, model_admin):
        return [("person", "Person"), ("group", "Group")]

    def queryset(self, request, queryset):
        if self.value() in self.fields:
            # The kind is "which column is set": a task with both owners shows
            # up under either kind.
            return queryset.filter(**{f"{self.fields[self.value()]}__isnull": False})
        return queryset


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "owner_kind"]
    list_filter = [OwnerKindFilter]
    search_fields = ["description"]
    # Two ordinary FK drop-downs; Task.clean() turns "both" or "neither" into a
    # form error.
    fields = ["description", "owner_person", "owner_group"]

    def get_queryset(self, request):
        # 1 query for the page: both owner tables joined in.
        return (
            super().get_queryset(request).select_related("owner_person", "owner_group")
        )

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        kinds = [
            kind
            for kind, owner_id in (
                ("person", task.owner_person_id),
                ("group", task.owner_group_id),
            )
            if owner_id is not None
        ]
        # "person, group" or "none": bad rows show as what they are.
        return ", ".join(kinds) or "none"


for media in (Movie, Anime, Manga):
    admin.site.register(media, list_display=["title"], search_fields=["title"])


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "created"]
    list_select_related = ["user", "movie", "anime", "manga"]
    fields = ["user", "movie", "anime", "manga", "episode_progress", "watched"]

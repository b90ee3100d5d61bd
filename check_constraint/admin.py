from django.contrib import admin

from .models import Anime, Group, Manga, Movie, OwnerType, Person, SavedItem, Task


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
        return OwnerType.choices

    def queryset(self, request, queryset):
        if self.value() in OwnerType.values:
            # A plain column filter: the discriminator is schema, not data.
            return queryset.filter(owner_type=self.value())
        return queryset


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "owner_kind"]
    list_filter = [OwnerKindFilter]
    search_fields = ["description"]
    # A type drop-down and two FK drop-downs; a pairing the constraint refuses
    # comes back as a form error, from the constraint's own validation.
    fields = ["description", "owner_type", "owner_person", "owner_group"]

    def get_queryset(self, request):
        # 1 query for the page: both owner tables joined in.
        return (
            super().get_queryset(request).select_related("owner_person", "owner_group")
        )

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        return task.owner_type


for media in (Movie, Anime, Manga):
    admin.site.register(media, list_display=["title"], search_fields=["title"])


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "created"]
    list_select_related = ["user", "movie", "anime", "manga"]
    fields = ["user", "movie", "anime", "manga", "episode_progress", "watched"]

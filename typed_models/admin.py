from django.contrib import admin

from .models import Anime, Group, Manga, Media, Movie, Owner, Person, SavedItem, Task

# Person and Group are proxies of one Owner table: each admin lists the rows
# of its type, and the Owner admin lists them all, each as its own class. The
# type column is the kind an admin adds, so its forms leave it out: a Movie
# form offering it could save an anime.


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    exclude = ["type"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]
    exclude = ["type"]


class OwnerKindFilter(admin.SimpleListFilter):
    title = "owner kind"
    parameter_name = "owner_kind"
    models = {"person": Person, "group": Group}

    def lookups(self, request, model_admin):
        return [("person", "Person"), ("group", "Group")]

    def queryset(self, request, queryset):
        # The kind is the owner row's type column.
        if self.value() in self.models:
            type_ = self.models[self.value()]._typedmodels_type
            return queryset.filter(owner__type=type_)
        return queryset


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__", "type"]
    list_filter = ["type"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        # An owner is added as a person or a group, through their own forms.
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "owner_kind"]
    list_filter = [OwnerKindFilter]
    search_fields = ["description"]
    # One query for the page: the owner row joined, built as its type's class.
    list_select_related = ["owner"]

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        return type(task.owner)._meta.model_name


for media in (Movie, Anime, Manga):
    admin.site.register(
        media, list_display=["title"], search_fields=["title"], exclude=["type"]
    )


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__", "type"]
    list_filter = ["type"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        # A media item is added as a movie, an anime or a manga, through their
        # own forms.
        return False


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "created"]
    # str(item) is the media row's title: no other table needed.
    list_select_related = ["user", "item"]
    fields = ["user", "item", "episode_progress", "watched"]

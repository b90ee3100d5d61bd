from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from .models import Anime, Group, Manga, Movie, Person, SavedItem, Task
from .queries import FEED_KIND, FEED_TITLE, OWNER_KIND, OWNER_NAME


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]


def only_these_types(models):
    # Without this the content-type drop-down offers every model in the
    # project; the database would take any of them. 1 query, when the form
    # is drawn or validated.
    ids = [ContentType.objects.get_for_model(model).pk for model in models]
    return ContentType.objects.filter(pk__in=ids)


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
    # Not "owner": the admin would sort that column by the GFK itself, which
    # has no column (?o=2 was a FieldError).
    list_display = ["description", "owner_name", "owner_kind"]
    list_filter = [OwnerKindFilter]
    search_fields = ["description"]
    # The add form is a content-type drop-down and a bare integer: the admin
    # can't offer a picker for "a row of whichever table you chose", and a
    # ModelForm can't name the GFK itself (gfk_baseline/tests).
    fields = ["description", "owner_type", "owner_id"]

    def get_queryset(self, request):
        # The page in one query: each owner table LEFT JOINed through its
        # GenericRelation. list_display can't name the GFK's columns, and a
        # GFK can't be select_related; the joins give its name and kind.
        return (
            super()
            .get_queryset(request)
            .annotate(owner_kind=OWNER_KIND, owner_name=OWNER_NAME)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner_type":
            kwargs["queryset"] = only_these_types([Person, Group])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="owner", ordering="owner_name")
    def owner_name(self, task):
        return task.owner_name

    @admin.display(description="owner kind", ordering="owner_kind")
    def owner_kind(self, task):
        # "none" for a task whose owner row is gone: the database allows it.
        return task.owner_kind or "none"


for media in (Movie, Anime, Manga):
    admin.site.register(media, list_display=["title"], search_fields=["title"])


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item_title", "kind", "created"]
    list_select_related = ["user"]
    fields = ["user", "item_type", "item_id", "episode_progress", "watched"]

    def get_queryset(self, request):
        # As for tasks: the item tables joined through their GenericRelations.
        return super().get_queryset(request).annotate(kind=FEED_KIND, title=FEED_TITLE)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item_type":
            kwargs["queryset"] = only_these_types([Movie, Anime, Manga])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="item", ordering="title")
    def item_title(self, save):
        # No title: the item row is gone, which the database allows.
        return save.title or f"(deleted {save.kind} #{save.item_id})"

    @admin.display(description="kind", ordering="kind")
    def kind(self, save):
        return save.kind

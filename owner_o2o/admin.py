from django.contrib import admin

from .models import Anime, Group, Item, Manga, Movie, Owner, Person, SavedItem, Task


class MakesOwnerRowAdmin(admin.ModelAdmin):
    # The Owner row is made with the person or group, as create_person() does;
    # picking an existing one by hand is how two of them end up sharing it.
    exclude = ["owner"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = Owner.objects.create()
        super().save_model(request, obj, form, change)


@admin.register(Person)
class PersonAdmin(MakesOwnerRowAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(MakesOwnerRowAdmin):
    list_display = ["name", "creator"]
    list_select_related = ["creator"]
    search_fields = ["name"]


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    # Where an Owner row that nobody links to shows up as "None".
    list_display = ["id", "__str__"]
    list_select_related = ["person", "group"]


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
            # Labels read the person or group: join both, not a query per option.
            kwargs["queryset"] = Owner.objects.select_related("person", "group")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="owner kind")
    def owner_kind(self, task):
        return "person" if isinstance(task.owner.person_or_group, Person) else "group"


@admin.register(Movie, Anime, Manga)
class MediaAdmin(admin.ModelAdmin):
    list_display = ["title"]
    search_fields = ["title"]
    exclude = ["item"]

    def save_model(self, request, obj, form, change):
        # As for owners: the Item row comes with the media, as in create_media().
        if not change:
            obj.item = Item.objects.create()
        super().save_model(request, obj, form, change)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__"]
    list_select_related = ["movie", "anime", "manga"]


@admin.register(SavedItem)
class SavedItemAdmin(admin.ModelAdmin):
    list_display = ["user", "item", "created"]
    list_select_related = ["user", "item__movie", "item__anime", "item__manga"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = Item.objects.select_related("movie", "anime", "manga")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

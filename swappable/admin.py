from django.contrib import admin

from .models import Owner, Task


class OwnerAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


# Swapped out, the default Owner has no table: the project's model takes its
# place, with that app's admin. (site.register() would skip it silently too.)
if not Owner._meta.swapped:
    admin.site.register(Owner, OwnerAdmin)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "owner"]
    search_fields = ["description"]
    # The owner table is joined in whichever model it is. What the owner's
    # __str__ reads beyond that table, the app can't know (see queries.py).
    list_select_related = ["owner"]
    # A plain id box: the app can't know how many owners there are, nor whether
    # the project's owner admin has search_fields for autocomplete_fields.
    raw_id_fields = ["owner"]

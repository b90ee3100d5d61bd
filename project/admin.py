"""The admin site as a whole: one page per pattern, in the comparison's order."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.utils.functional import SimpleLazyObject

from project.patterns import PATTERN_APPS

admin.site.site_header = "GFK alternatives, measured"
admin.site.site_title = "GFK alternatives"
# Nine apps and some sixty models: on every page the sidebar would be a wall
# of links, and three quarters of a changelist's rendering time. The index
# and the breadcrumbs lead everywhere it would.
admin.site.enable_nav_sidebar = False

# The index lists the pattern apps as the docs compare them (Django sorts apps
# by name), then swappable, then Django's own.
ORDER = [*PATTERN_APPS, "swappable"]
_alphabetical = admin.site.get_app_list


def get_app_list(request, app_label=None):
    # Lazy: Django puts the app list in every admin page's context, for the
    # sidebar that is off here. Built eagerly it is some two thousand URL
    # reversals a page; now only the pages that show it (the index, an app's
    # page) build it.
    def ordered():
        apps = _alphabetical(request, app_label)
        return sorted(
            apps,
            key=lambda app: (
                ORDER.index(app["app_label"])
                if app["app_label"] in ORDER
                else len(ORDER)
            ),
        )

    return SimpleLazyObject(ordered)


admin.site.get_app_list = get_app_list


# An id past 64 bits, in a URL or a changelist's query string, is an id no row
# has; SQLite's driver can't bind it and raises OverflowError, a 500. Django
# checks the range itself for an integer column, so that such a lookup finds
# nothing, but not through a relation: the primary key of an inheritance
# model (a parent link) or any foreign key (tests/test_admin.py shows both on
# this Django). The admin answers as for any id it can't find: the change,
# delete and history views with "doesn't exist", a changelist filter with
# its own redirect for lookups that make no sense, "view on site" (mounted in
# project/urls.py ahead of the admin's own) with a 404.
_get_object = admin.ModelAdmin.get_object
_get_changelist_instance = admin.ModelAdmin.get_changelist_instance


def get_object(self, request, object_id, from_field=None):
    try:
        return _get_object(self, request, object_id, from_field)
    except OverflowError:
        return None


def get_changelist_instance(self, request):
    try:
        return _get_changelist_instance(self, request)
    except OverflowError as error:
        raise IncorrectLookupParameters(error) from error


admin.ModelAdmin.get_object = get_object
admin.ModelAdmin.get_changelist_instance = get_changelist_instance


def view_on_site(request, content_type_id, object_id):
    try:
        return shortcut(request, content_type_id, object_id)
    except OverflowError as error:
        raise Http404("No such object") from error

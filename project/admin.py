"""The admin site as a whole: one page per pattern, in the comparison's order."""

from django.contrib import admin
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

"""The admin site as a whole: one page per pattern, in the comparison's order."""

from django.contrib import admin

admin.site.site_header = "GFK alternatives, measured"
admin.site.site_title = "GFK alternatives"
# Nine apps and some sixty models: on every page the sidebar would be a wall
# of links, and three quarters of a changelist's rendering time. The index
# and the breadcrumbs lead everywhere it would.
admin.site.enable_nav_sidebar = False

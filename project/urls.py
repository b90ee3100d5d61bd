import importlib

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from project import admin as project_admin
from project import views, web
from project.patterns import SAVES_APPS

urlpatterns = [
    path("", views.index, name="index"),
    path("patterns/<slug:app>/", views.pattern, name="pattern"),
    # The live demonstrations: POST by signed-in staff, always rolled back.
    path("patterns/<slug:app>/listing/", views.demo_listing, name="demo_listing"),
    path("patterns/<slug:app>/corrupt/", views.demo_corrupt, name="demo_corrupt_all"),
    path(
        "patterns/<slug:app>/corrupt/<slug:attack>/",
        views.demo_corrupt,
        name="demo_corrupt",
    ),
    path("compare/", views.compare, name="compare"),
    path("performance/", views.performance, name="performance"),
    path(
        "performance/<str:run>/<str:chart>",
        views.performance_chart,
        name="performance_chart",
    ),
    # The admin's "view on site", with an id past 64 bits a 404 (project/admin.py).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(project_admin.view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
]

# The same Save-button views, mounted once per pattern with its queries module.
for app in SAVES_APPS:
    queries = importlib.import_module(f"{app}.queries")
    urlpatterns.append(
        path(f"{app}/", include(web.urls_for(app, queries), namespace=app))
    )

if settings.DEBUG and "debug_toolbar" in settings.INSTALLED_APPS:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()

import importlib

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from project import views, web
from project.patterns import SAVES_APPS

urlpatterns = [
    path("", views.index, name="index"),
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

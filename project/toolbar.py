"""Who may see django-debug-toolbar: signed-in superusers on this machine, in DEBUG.

The toolbar keeps every request it shows in one store, shared by everyone it
is shown to: its history panel lists them and its endpoints (/__debug__/...)
serve any of them by id, with their SQL parameters (session keys), template
context (a user's password hash on their change page) and headers. Staff
would read there what their permissions refuse them, so only a superuser,
who may read and change everything anyway, gets the toolbar; every superuser
sees every superuser's requests. Its endpoints ask this same function, so
they answer 404 to everyone else.
"""

from django.conf import settings
from django.http import HttpRequest


def show_toolbar(request: HttpRequest) -> bool:
    if not settings.DEBUG:
        return False
    if request.META.get("REMOTE_ADDR") not in settings.INTERNAL_IPS:
        return False
    user = getattr(request, "user", None)
    return bool(user and user.is_active and user.is_superuser)

"""Who may see django-debug-toolbar: signed-in staff on this machine, in DEBUG.

The toolbar's SQL panel shows every query with its parameters, the session
key included, and its history panel lists other requests: shown to anyone on
127.0.0.1 (the toolbar's default), it hands the demo superuser's session to
any local process. Its endpoints (/__debug__/...) ask this same function, so
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
    return bool(user and user.is_active and user.is_staff)

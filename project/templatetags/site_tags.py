"""What every page, the admin's included, can ask of the site: the demo login,
the pattern page of an app, what a changelist costs, why a date is missing.

Counts come from the pattern's declaration (tests/patterns/<app>.py), which
the suite measures; none is written into a template.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from project import site
from project.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERNAME
from tests import patterns

register = template.Library()


@register.simple_tag
def demo_login() -> tuple[str, str] | None:
    # Shown where the demo runs (DEBUG, as `make demo` serves it), never on a
    # server started any other way: the password is the repo's own.
    return (DEMO_USERNAME, DEMO_PASSWORD) if settings.DEBUG else None


@register.filter
def pattern_url(app: str) -> str:
    return reverse("pattern", args=[app]) if site.is_pattern(app) else ""


@register.inclusion_tag("admin/changelist_note.html")
def changelist_note(opts) -> dict:
    """The admin's own queries on a changelist and the pattern's, with the
    page's cost as the pattern declares it."""
    app = opts.app_label
    page = None
    if site.is_pattern(app):
        module = patterns.module(app)
        for declared in (getattr(module, "OWNERSHIP", None), module.SAVES):
            for model, admin_page in (declared.admin if declared else {}).items():
                if model._meta.label == opts.label:
                    page = admin_page
    return {
        "app": app,
        "page": page,
        "cold": page.cold_changelist if page and page.cold_changelist else None,
        "pattern_url": pattern_url(app),
    }


@register.simple_tag
def undated_feed(app: str) -> tuple[str, str] | None:
    """How the feed orders saves, where the pattern keeps no time to show:
    (the declared order, why), or None where every save has its time."""
    if not site.is_pattern(app) or site.feed_is_dated(app):
        return None
    return site.feed_ties(app)


@register.simple_tag
def pygments_css() -> str:
    return mark_safe(site.pygments_css())

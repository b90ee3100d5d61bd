"""The site's pages: the question and the verdict, a page per pattern, two
patterns compared, the live demonstrations, and the last benchmark run.

The demonstrations write, always inside a transaction that is rolled back
(project/demos.py); even so only signed-in staff may run them, by POST with a
CSRF token: anyone else gets a 403, a GET a 405, an unknown pattern or attack
a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from project import demos, site
from project.choosing import DEFAULT
from project.patterns import OWNERSHIP_APPS, PATTERN_APPS

# One line per pattern for the index; the README and docs/ say the rest.
SUMMARIES = {
    "gfk_baseline": "GenericForeignKey: any row of any table, no foreign key.",
    "nullable_fks": "One nullable FK per target, no constraint (Alternative 1).",
    "check_constraint": "Nullable FKs plus a CheckConstraint: exactly one is set.",
    "owner_table": "An Owner table with nullable one-to-ones (Alternative 2).",
    "owner_o2o": "Targets each have a one-to-one to Owner (Alternative 3).",
    "mti": "Targets inherit from a concrete Owner (Alternative 4).",
    "linked_models": "One linked model per target, merged by UNION (Alternative 5).",
    "m2m_fields": "ManyToManyField(User) on each item (saves only).",
    "polymorphic_models": "django-polymorphic over multi-table inheritance.",
    "inheritance_manager": "django-model-utils' InheritanceManager over MTI.",
    "typed_models": "django-typed-models: single-table inheritance.",
}


@require_safe
def index(request):
    rows = [
        {
            "app": app,
            "summary": SUMMARIES[app],
            "admin_url": reverse("admin:app_list", args=[app]),
            "items_url": reverse(f"{app}:media_list"),
            "saved_url": reverse(f"{app}:saved"),
            "ownership": app in OWNERSHIP_APPS,
        }
        for app in PATTERN_APPS
    ]
    context = {
        "rows": rows,
        "swappable_url": reverse("admin:app_list", args=["swappable"]),
        "apps": PATTERN_APPS,
        "matrix": site.matrix_rows(),
        "choices": site.choices(),
        "articles": site.ARTICLES,
    }
    return render(request, "index.html", context)


def pattern_or_404(app: str) -> str:
    if not site.is_pattern(app):
        raise Http404(f"No pattern {app!r}")
    return app


def links(app: str) -> dict:
    return {
        "pattern_url": reverse("pattern", args=[app]),
        "admin_url": reverse("admin:app_list", args=[app]),
        "items_url": reverse(f"{app}:media_list"),
        "saved_url": reverse(f"{app}:saved"),
    }


@dataclass
class Function:
    name: str
    domain: str
    calls: list


def by_function(calls: list[demos.Call]) -> list[Function]:
    found: dict[str, Function] = {}
    for call in calls:
        found.setdefault(call.function, Function(call.function, call.domain, []))
        found[call.function].calls.append(
            {
                "situation": call.situation,
                "declared": call.declared,
                "measured": call.measured,
                "sql": [site.formatted_sql(sql) for sql in call.sql],
            }
        )
    return list(found.values())


@require_safe
def pattern(request: HttpRequest, app: str) -> HttpResponse:
    app = pattern_or_404(app)
    column = [(row.label, row.cells[0]) for row in site.matrix_rows([app])]
    context = {
        "app": app,
        "summary": SUMMARIES.get(app, ""),
        "ownership": site.has_ownership(app),
        "column": column,
        "sources": [(name, site.highlighted(app, name)) for name in site.SOURCES],
        "readme": site.readme(app),
        # Live: every scenario function in its declared situations, rolled back.
        "functions": by_function(demos.scenario_calls(app)),
        "attacks": demos.attacks(app).values(),
        **links(app),
    }
    return render(request, "site/pattern.html", context)


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    # An unknown name in the query string is a page that doesn't exist.
    a = pattern_or_404(request.GET.get("a", PATTERN_APPS[0]))
    b = pattern_or_404(request.GET.get("b", DEFAULT.pick[0]))
    names = [*demos.scenario_names(a), *demos.scenario_names(b)]
    functions = list(dict.fromkeys(names))
    default = "task_rows" if "task_rows" in functions else functions[0]
    function = request.GET.get("function", default)
    if function not in functions:
        raise Http404(f"No scenario function {function!r}")
    columns = []
    for app in (a, b):
        calls = (
            demos.scenario_calls(app, only=function)
            if function in demos.scenario_names(app)
            else None
        )
        columns.append(
            {"app": app, "function": by_function(calls)[0] if calls else None}
        )
    rows = site.matrix_rows([a, b])
    context = {
        "a": a,
        "b": b,
        "apps": PATTERN_APPS,
        "functions": functions,
        "function": function,
        "diffs": [(name, site.side_by_side(a, b, name)) for name in site.SOURCES],
        "rows": [(row, row.cells[0] != row.cells[1]) for row in rows],
        "columns": columns,
    }
    return render(request, "site/compare.html", context)


def staff_demonstration(view: Callable) -> Callable:
    """POST only (405 otherwise), signed-in active staff only (403 otherwise);
    the CSRF middleware has refused a POST without its token before this."""

    @wraps(view)
    @require_POST
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            raise PermissionDenied("Demonstrations are for signed-in staff.")
        return view(request, *args, **kwargs)

    return guarded


@staff_demonstration
def demo_listing(request: HttpRequest, app: str) -> HttpResponse:
    app = pattern_or_404(app)
    if app not in OWNERSHIP_APPS:
        raise Http404(f"{app} has no tasks to list")
    sizes = demos.listing_demo(app)
    for size in sizes:
        for listing in size.listings:
            listing.groups = site.grouped_sql(listing.sql)
    context = {"app": app, "sizes": sizes, "sizes_declared": demos.SIZES, **links(app)}
    return render(request, "site/demo_listing.html", context)


@staff_demonstration
def demo_corrupt(
    request: HttpRequest, app: str, attack: str | None = None
) -> HttpResponse:
    app = pattern_or_404(app)
    known = demos.attacks(app)
    if attack is not None and attack not in known:
        raise Http404(f"No attack {attack!r} on {app}")
    chosen = [attack] if attack else list(known)
    attacks = demos.corrupt_demo(app, chosen)
    for found in attacks:
        for attempt in found.attempts:
            attempt.formatted = [site.formatted_sql(sql) for sql in attempt.sql]
    context = {"app": app, "attacks": attacks, "all": attack is None, **links(app)}
    return render(request, "site/demo_corrupt.html", context)


@require_safe
def performance(request: HttpRequest) -> HttpResponse:
    return render(request, "site/performance.html", {"run": site.latest_run()})


@require_safe
def performance_chart(request: HttpRequest, run: str, chart: str) -> FileResponse:
    # Only a chart a recorded run lists: no other path can be named.
    found = site.recorded_run(run)
    if found is None or chart not in found.charts:
        raise Http404("No such chart")
    return FileResponse(open(site.RESULTS / run / "charts" / chart, "rb"))  # noqa: SIM115

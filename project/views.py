from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

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
    swappable = reverse("admin:app_list", args=["swappable"])
    return render(request, "index.html", {"rows": rows, "swappable_url": swappable})

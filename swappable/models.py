"""Swappable models: a reusable app's FK to a model the project chooses.

The end of Luke Plant's "Avoid Django's GenericForeignKey": when a generic app
must point at one model it can't know, make the target swappable (here with the
`swapper` package) instead of reaching for a GFK. Task.owner stays a real
foreign key; the price is one target per project, fixed before the first
migration, where a GFK would take any model on any row.
"""

import swapper
from django.db import models


class Owner(models.Model):
    # The app's default target, used until a project names its own model in
    # SWAPPABLE_OWNER_MODEL. Swapped out, it has no table and no manager.
    name = models.CharField(max_length=100)

    class Meta:
        swappable = swapper.swappable_setting("swappable", "Owner")

    def __str__(self):
        return self.name


class Task(models.Model):
    description = models.CharField(max_length=200)
    # "swappable.Owner" or whatever the setting names, resolved at import time:
    # the database gets an ordinary FK constraint to that one table.
    owner = models.ForeignKey(
        swapper.get_model_name("swappable", "Owner"),
        on_delete=models.CASCADE,
        # The target may be another app's model with its own Task: a default
        # "task_set" accessor would clash with that app's reverse accessor.
        related_name="%(app_label)s_%(class)s_set",
        help_text="A row of the model SWAPPABLE_OWNER_MODEL names (this app's"
        " Owner unless the project swaps it): a real foreign key to that table.",
    )

    def __str__(self):
        return self.description

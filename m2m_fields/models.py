"""ManyToManyField(User) on each item ("The 'Save Button' Dilemma", Option 3).

`movie.saved_by.add(user)` is the whole save feature, and Django's hidden through
table keeps one row per (item, user). But that table is Django's, not ours: it has
no column for when a save happened or for per-kind extras, so no newest-first
feed, no episode progress and no watched flag without turning it into a through
model (which is `linked_models`).

Saves domain only: this pattern has no way to say "owned by a person or a group".
"""

from django.conf import settings
from django.db import models

# The same on each kind: the through table is Django's, and the same shape.
SAVED_BY_HELP = (
    "The users who saved this item: a row each in Django's hidden through table"
    " (item id, user id), which has no column for when, nor for extras."
)


class Movie(models.Model):
    title = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    # Through table m2m_fields_movie_saved_by (id, movie_id, user_id), unique on
    # (movie_id, user_id), two real foreign keys, ORM-only cascade on delete.
    saved_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="%(app_label)s_saved_%(class)s",
        blank=True,
        help_text=SAVED_BY_HELP,
    )

    def __str__(self):
        return self.title


class Anime(models.Model):
    title = models.CharField(max_length=200)
    episodes = models.PositiveIntegerField()
    # Nowhere to put episode_progress: the through table has no spare column.
    saved_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="%(app_label)s_saved_%(class)s",
        blank=True,
        help_text=SAVED_BY_HELP,
    )

    def __str__(self):
        return self.title


class Manga(models.Model):
    title = models.CharField(max_length=200)
    volumes = models.PositiveIntegerField()
    saved_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="%(app_label)s_saved_%(class)s",
        blank=True,
        help_text=SAVED_BY_HELP,
    )

    def __str__(self):
        return self.title

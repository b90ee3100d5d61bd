"""django-typed-models: single-table inheritance, every kind in one table.

Person and Group are proxies of one Owner table with a `type` column; a
queryset of Owner hands back Person and Group instances with no join at all.
The price is in the table: each kind's own fields are columns every row has,
so a field only groups need (creator) must be NULL-able, and the database
can't require it of a group.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from typedmodels.models import TypedModel


class Owner(TypedModel):
    # Shared by every kind: the one column a person and a group both need.
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Person(Owner):
    pass


class Group(Owner):
    # Only groups have a creator, but the column is every owner's: NULL for
    # a person, and NULL-able, so NULL for a group too if nothing stops it.
    # Only Python holds "a group has a creator": the field isn't blank, so
    # forms and full_clean() ask for one; update(), bulk_create() and raw SQL
    # never do.
    creator = models.ForeignKey(
        Person, null=True, on_delete=models.CASCADE, related_name="created_groups"
    )


# The database checks that the Owner row exists, nothing more.
OWNER_HELP = (
    "A row of the one Owner table; its type column says person or group, and"
    " the rows come back as that class."
)


class Task(models.Model):
    description = models.CharField(max_length=200)
    # A real FK to the one owner table: whatever its type, the row exists.
    owner = models.ForeignKey(
        Owner,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text=OWNER_HELP,
    )

    def __str__(self):
        return self.description


# Saves domain: Movie, Anime and Manga share one Media table, each kind's own
# field a NULL-able column of every row. As for a group's creator, forms and
# full_clean() ask for it; update(), bulk_create() and raw SQL never do.


class Media(TypedModel):
    # Shared by every kind: the one column a movie, an anime and a manga all
    # need.
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title


class Movie(Media):
    year = models.PositiveIntegerField(null=True)


class Anime(Media):
    episodes = models.PositiveIntegerField(null=True)


class Manga(Media):
    volumes = models.PositiveIntegerField(null=True)


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item = models.ForeignKey(
        Media,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="A row of the one Media table; its type column says movie,"
        " anime or manga, and the rows come back as that class.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Per-kind extras on the save row, as in mti: the kind is Media.type, in
    # another table, out of a CheckConstraint's reach.
    episode_progress = models.PositiveIntegerField(null=True, blank=True)
    watched = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item"],
                name="%(app_label)s_%(class)s_one_save_per_item",
                violation_error_message="This item is already saved.",
            )
        ]

    def __str__(self):
        return f"media #{self.item_id} saved by user #{self.user_id}"

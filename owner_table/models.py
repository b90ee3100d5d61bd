"""Intermediate table with nullable one-to-ones (Luke Plant's Alternative 2).

Task.owner is a real foreign key to an Owner row, and each Owner row links to a
Person or a Group; a CheckConstraint makes the database hold "exactly one".
The price: one more table to join and an Owner row to create before a task can
point at its owner. Person and Group themselves don't change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, When
from django.db.models.lookups import Exact
from django.utils import timezone


def is_set(field: str) -> Case:
    # 1 when the column is not NULL, else 0: summed, a count of the columns set.
    # "= 1" is exactly one; XOR-ing the Q objects would be parity instead.
    return Case(When(**{f"{field}__isnull": False}, then=1), default=0)


class Person(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Group(models.Model):
    name = models.CharField(max_length=100)
    creator = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="created_groups"
    )

    def __str__(self):
        return self.name


class Owner(models.Model):
    # One-to-one: a person has at most one Owner row, so every task of theirs
    # points at the same row. Deleting the person (through the ORM) deletes the
    # row, and the row's tasks with it.
    person = models.OneToOneField(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Set on a person's Owner row. A CheckConstraint makes the"
        " database refuse a row with both links or neither.",
    )
    group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Set on a group's Owner row. A CheckConstraint makes the"
        " database refuse a row with both links or neither.",
    )

    class Meta:
        constraints = [
            # The article asks save() to ensure this; save() never sees update(),
            # bulk_create() or raw SQL. The database does.
            models.CheckConstraint(
                condition=Exact(is_set("person") + is_set("group"), 1),
                name="%(app_label)s_%(class)s_exactly_one_owner",
                violation_error_code="exactly_one_owner",
                violation_error_message="An owner is exactly one person or one group.",
            )
        ]

    def __str__(self):
        return str(self.person_or_group)

    @property
    def person_or_group(self) -> "Person | Group | None":
        # A NULL link reads as None without a query; a set one needs
        # select_related("person", "group") or costs one. None for a row with
        # neither, which only an unsaved row can be: the constraint refuses it.
        return self.person or self.group

    @property
    def kind(self) -> str | None:
        if self.person_id is not None:
            return "person"
        return "group" if self.group_id is not None else None


class Task(models.Model):
    description = models.CharField(max_length=200)
    owner = models.ForeignKey(
        Owner,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text="An Owner row, which links to exactly one person or group."
        " A real foreign key, and the Owner table's constraint holds the rest.",
    )

    def __str__(self):
        return self.description


# Saves domain: the same shape. An Item row links to exactly one of the media.


class Movie(models.Model):
    title = models.CharField(max_length=200)
    year = models.PositiveIntegerField()

    def __str__(self):
        return self.title


class Anime(models.Model):
    title = models.CharField(max_length=200)
    episodes = models.PositiveIntegerField()

    def __str__(self):
        return self.title


class Manga(models.Model):
    title = models.CharField(max_length=200)
    volumes = models.PositiveIntegerField()

    def __str__(self):
        return self.title


class Item(models.Model):
    movie = models.OneToOneField(
        Movie,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Set on a movie's Item row. A CheckConstraint makes the"
        " database refuse a row with no link or several.",
    )
    anime = models.OneToOneField(
        Anime,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Set on an anime's Item row. A CheckConstraint makes the"
        " database refuse a row with no link or several.",
    )
    manga = models.OneToOneField(
        Manga,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Set on a manga's Item row. A CheckConstraint makes the"
        " database refuse a row with no link or several.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Exact(is_set("movie") + is_set("anime") + is_set("manga"), 1),
                name="%(app_label)s_%(class)s_exactly_one_item",
                violation_error_code="exactly_one_item",
                violation_error_message="An item is exactly one movie, anime or manga.",
            )
        ]

    def __str__(self):
        return str(self.media_item)

    @property
    def media_item(self) -> "Movie | Anime | Manga | None":
        # As Owner.person_or_group: the one link set, or None.
        return self.movie or self.anime or self.manga

    @property
    def kind(self) -> str | None:
        for kind in ("movie", "anime", "manga"):
            if getattr(self, f"{kind}_id") is not None:
                return kind
        return None


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="An Item row, which links to exactly one movie, anime or manga."
        " A real foreign key, and the Item table's constraint holds the rest.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Extras are per user and per item, so they belong on the save row. The
    # item's kind lives in another table, which a CheckConstraint can't read:
    # only save_item() keeps episode_progress off a movie's save.
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
        return f"item #{self.item_id} saved by user #{self.user_id}"

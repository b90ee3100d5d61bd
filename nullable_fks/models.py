"""Nullable foreign keys, one per target model (Alternative 1 of "Avoid Django's
GenericForeignKey").

Real foreign keys: the database guards every id, joins them, and cascades.
But "exactly one of them is set" lives only in Python, in Task.clean() and
SavedItem.clean(): the database stores a task with both owners or with none,
and a save of no item.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


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


class Task(models.Model):
    description = models.CharField(max_length=200)
    # One nullable FK per owner model: a new owner type is a new column.
    owner_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text="Set for a person's task. A real foreign key; only this form,"
        " not the database, stops both owners or neither being set.",
    )
    owner_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text="Set for a group's task. A real foreign key; only this form,"
        " not the database, stops both owners or neither being set.",
    )
    # No CheckConstraint on purpose: this is the article's Alternative 1 as
    # written, and the shared suite shows what the database then lets in.

    def __str__(self):
        return self.description

    @property
    def owner(self) -> Person | Group | None:
        # No query when the owner was select_related; one otherwise. The group
        # wins when both are set, and None stands for neither: both are rows
        # this schema admits, and a listing must not fail on them.
        if self.owner_group_id is not None:
            return self.owner_group
        if self.owner_person_id is not None:
            return self.owner_person
        return None

    def clean(self):
        # Only Python holds "exactly one owner": forms and full_clean() run this;
        # update(), bulk_create() and raw SQL never do, and the schema has no
        # rule of its own to fall back on.
        super().clean()
        set_count = sum(
            pk is not None for pk in (self.owner_person_id, self.owner_group_id)
        )
        if set_count != 1:
            raise ValidationError(
                "A task is owned by exactly one person or group.",
                code="exactly_one_owner",
            )


# Saves domain ("The 'Save Button' Dilemma", the disjoint-subtype detour, here
# without its CheckConstraint): one SavedItem with a nullable FK per kind.


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


def one_save_per(kind: str) -> models.UniqueConstraint:
    # NULLs are distinct in a unique index, so a single unique over (user,
    # movie, anime, manga) never fires: every row has a NULL in it. One unique
    # per kind, over (user, that kind's column), does: two saves of one movie
    # collide, and rows of other kinds (movie NULL) never do. The partial
    # unique this could be (condition=movie IS NOT NULL) says so more plainly,
    # but MariaDB has no partial indexes and Django skips it there
    # (models.W036): a double click would store two saves.
    return models.UniqueConstraint(
        fields=["user", kind],
        name=f"%(app_label)s_%(class)s_one_save_per_{kind}",
        violation_error_message=f"This {kind} is already saved.",
    )


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    # The field names double as the feed's kinds ("movie", "anime", "manga").
    movie = models.ForeignKey(
        Movie,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="Set for a movie save. A real foreign key;"
        " only this form, not the database, stops a save of no item or of several.",
    )
    anime = models.ForeignKey(
        Anime,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="Set for an anime save. A real foreign key;"
        " only this form, not the database, stops a save of no item or of several.",
    )
    manga = models.ForeignKey(
        Manga,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="Set for a manga save. A real foreign key;"
        " only this form, not the database, stops a save of no item or of several.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Per-type extras share one table, so each is NULL on every other kind's
    # rows, and nothing but save_item() keeps episode_progress off a movie.
    episode_progress = models.PositiveIntegerField(null=True, blank=True)
    watched = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            one_save_per("movie"),
            one_save_per("anime"),
            one_save_per("manga"),
        ]

    def __str__(self):
        ids = {"movie": self.movie_id, "anime": self.anime_id, "manga": self.manga_id}
        items = ", ".join(f"{kind} #{pk}" for kind, pk in ids.items() if pk is not None)
        return f"{items or 'nothing'} saved by user #{self.user_id}"

    @property
    def item(self) -> Movie | Anime | Manga | None:
        # The first column set (movie, then anime, then manga), or None for a
        # save of nothing. Not Task.owner's order, where the later column wins.
        if self.movie_id is not None:
            return self.movie
        if self.anime_id is not None:
            return self.anime
        if self.manga_id is not None:
            return self.manga
        return None

    def clean(self):
        # Only Python holds "exactly one item": forms and full_clean() run this;
        # update(), bulk_create() and raw SQL never do, and the schema has no
        # rule of its own to fall back on.
        super().clean()
        set_count = sum(
            pk is not None for pk in (self.movie_id, self.anime_id, self.manga_id)
        )
        if set_count != 1:
            raise ValidationError(
                "A save is of exactly one movie, anime or manga.",
                code="exactly_one_item",
            )

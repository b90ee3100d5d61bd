"""Multiple linked models (Alternative 5): one task table per owner type.

PersonTask and GroupTask each have a plain, non-null FK to their owner, and
saves get one table per kind of media: every link is a real foreign key, and
"both" or "neither" has no column to be written in. The price is a UNION for
every list that spans the tables, and one more model per new owner or kind.
"""

from django.conf import settings
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
    # Abstract: no table. What every task has in common lives here, in Python
    # only; each subclass gets its own table with these columns copied in.
    description = models.CharField(max_length=200)

    class Meta:
        abstract = True

    def __str__(self):
        return self.description


class PersonTask(Task):
    owner = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text="A person: this table holds persons' tasks only, so the link"
        " is a plain foreign key, never NULL.",
    )


class GroupTask(Task):
    owner = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text="A group: this table holds groups' tasks only, so the link"
        " is a plain foreign key, never NULL.",
    )


class CombinedTask(PersonTask):
    # Not a table: a proxy that gives the admin's read-only list of every
    # task (a UNION of both tables, see admin.py) a place in the admin index
    # and a URL. The admin lists models, not queries.
    class Meta:
        proxy = True
        verbose_name = "task of any owner"
        verbose_name_plural = "tasks of any owner (read-only)"


# Saves domain ("The 'Save Button' Dilemma", the article's chosen option): one
# saved table per kind, each with its own FK and only its own extras.


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


class SavedMovie(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item = models.ForeignKey(
        Movie,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="A movie: this table holds movie saves only, so the link is a"
        " plain foreign key, never NULL.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # NOT NULL with a default in Python and in the database (db_default, so a
    # raw INSERT gets it too): every movie save has a flag, and no anime or
    # manga save can have one - the column exists only in this table.
    watched = models.BooleanField(default=False, db_default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item"],
                name="%(app_label)s_%(class)s_one_save_per_item",
                violation_error_message="This movie is already saved.",
            )
        ]

    def __str__(self):
        return f"movie #{self.item_id} saved by user #{self.user_id}"


class SavedAnime(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item = models.ForeignKey(
        Anime,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="An anime: this table holds anime saves only, so the link is a"
        " plain foreign key, never NULL.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # As `watched` above: a progress on every anime save, on nothing else.
    episode_progress = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item"],
                name="%(app_label)s_%(class)s_one_save_per_item",
                violation_error_message="This anime is already saved.",
            )
        ]

    def __str__(self):
        return f"anime #{self.item_id} saved by user #{self.user_id}"


class SavedManga(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item = models.ForeignKey(
        Manga,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="A manga: this table holds manga saves only, so the link is a"
        " plain foreign key, never NULL.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item"],
                name="%(app_label)s_%(class)s_one_save_per_item",
                violation_error_message="This manga is already saved.",
            )
        ]

    def __str__(self):
        return f"manga #{self.item_id} saved by user #{self.user_id}"

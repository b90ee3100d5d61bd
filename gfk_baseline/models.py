"""GenericForeignKey baseline: the pattern every alternative is measured against.

One owner_type/owner_id pair can point at any row of any model. The database
sees a content-type FK and a bare integer: no foreign key guards owner_id, and
only the ORM cascades deletes. The GenericRelations below, with a
related_query_name each, give the ORM back its joins, one target at a time.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Person(models.Model):
    name = models.CharField(max_length=100)
    # Without this, deleting a person leaves their tasks pointing at nothing.
    # With it, the ORM (not the database) deletes them: raw SQL still can't.
    # related_query_name lets a task query join this table:
    # Task.objects.filter(person__name=...), ordering by person__name.
    tasks = GenericRelation(
        "Task",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="person",
    )

    def __str__(self):
        return self.name


class Group(models.Model):
    name = models.CharField(max_length=100)
    creator = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="created_groups"
    )
    tasks = GenericRelation(
        "Task",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="group",
    )

    def __str__(self):
        return self.name


class Task(models.Model):
    description = models.CharField(max_length=200)
    owner_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        help_text="The owner's table, as a content type: a person or a group."
        " With owner_id, a GenericForeignKey.",
    )
    # Any integer: the database can't tell which table it belongs to.
    owner_id = models.PositiveBigIntegerField(
        help_text="The owner's id in the table owner_type names: a bare integer,"
        " with no foreign key, so the database accepts an id no row has."
    )
    owner = GenericForeignKey("owner_type", "owner_id")

    class Meta:
        # The composite index Django's docs recommend for a GFK's lookups.
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        refuse_bad_target(
            self, "owner_type", "owner_id", (Person, Group), "A task is owned by"
        )


def refuse_bad_target(instance, type_field, id_field, allowed, subject) -> None:
    # The only guard against a target of the wrong model or a dangling id is
    # this Python check: forms and full_clean() run it; update(), bulk_create()
    # and raw SQL never do. 1 query, for the row's existence.
    type_id = getattr(instance, f"{type_field}_id")
    target_id = getattr(instance, id_field)
    if type_id is None or target_id is None:
        return
    model = ContentType.objects.get_for_id(type_id).model_class()
    if model not in allowed:
        names = " or ".join(m._meta.verbose_name for m in allowed)
        raise ValidationError(
            {type_field: f"{subject} a {names}."}, code=f"invalid_{type_field}"
        )
    if not model._default_manager.filter(pk=target_id).exists():
        raise ValidationError(
            {id_field: f"No {model._meta.verbose_name} has id {target_id}."},
            code=f"missing_{id_field.removesuffix('_id')}",
        )


# Saves domain ("The 'Save Button' Dilemma", Option 2): one SavedItem for all kinds.


class Movie(models.Model):
    title = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    # ORM-only cascade, as for owners above.
    saves = GenericRelation(
        "SavedItem",
        content_type_field="item_type",
        object_id_field="item_id",
        related_query_name="movie",
    )

    def __str__(self):
        return self.title


class Anime(models.Model):
    title = models.CharField(max_length=200)
    episodes = models.PositiveIntegerField()
    saves = GenericRelation(
        "SavedItem",
        content_type_field="item_type",
        object_id_field="item_id",
        related_query_name="anime",
    )

    def __str__(self):
        return self.title


class Manga(models.Model):
    title = models.CharField(max_length=200)
    volumes = models.PositiveIntegerField()
    saves = GenericRelation(
        "SavedItem",
        content_type_field="item_type",
        object_id_field="item_id",
        related_query_name="manga",
    )

    def __str__(self):
        return self.title


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        help_text="The item's table, as a content type: a movie, an anime or a"
        " manga. With item_id, a GenericForeignKey.",
    )
    item_id = models.PositiveBigIntegerField(
        help_text="The item's id in the table item_type names: a bare integer,"
        " with no foreign key, so the database accepts an id no row has."
    )
    item = GenericForeignKey("item_type", "item_id")
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Per-type extras share one table, so each is NULL on every other kind's
    # rows, and nothing but save_item() keeps episode_progress off a movie.
    episode_progress = models.PositiveIntegerField(null=True, blank=True)
    watched = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            # Holds at the database level: a GFK can still be unique as a pair.
            models.UniqueConstraint(
                fields=["user", "item_type", "item_id"],
                name="%(app_label)s_%(class)s_one_save_per_item",
                violation_error_message="This item is already saved.",
            )
        ]
        indexes = [models.Index(fields=["item_type", "item_id"])]

    def __str__(self):
        # get_for_id() reads Django's content-type cache: no query once warm.
        kind = ContentType.objects.get_for_id(self.item_type_id).model
        return f"{kind} #{self.item_id} saved by user #{self.user_id}"

    def clean(self):
        super().clean()
        refuse_bad_target(
            self, "item_type", "item_id", (Movie, Anime, Manga), "A save is of"
        )

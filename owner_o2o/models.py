"""An empty Owner table that Person and Group each link to (Luke Plant's Alternative 3).

Person.owner and Group.owner are non-null one-to-ones, so no link is NULL and
Task.owner is a plain foreign key. The price: the links point the wrong way for
the database to hold "exactly one" - nothing stops an Owner row that a person
and a group share, or that nobody links to - and the ORM's cascade runs from
Owner to Person, so deleting a person leaves their Owner row and its tasks.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Owner(models.Model):
    # No columns: a row is only an id for tasks to point at. Which person or
    # group it stands for is found by asking their tables (reverse one-to-ones).

    def __str__(self):
        # Reads the reverse one-to-ones: select_related("person", "group"),
        # or a query for each.
        return str(self.person_or_group)

    @property
    def person_or_group(self):
        # A reverse one-to-one with no row raises instead of returning None.
        try:
            return self.person
        except Person.DoesNotExist:
            pass
        try:
            return self.group
        except Group.DoesNotExist:
            return None


def refuse_shared_link(instance, field: str, others) -> None:
    # Only Python holds this rule: each table's unique index sees its own rows,
    # so the database lets a Person and a Group (or a Movie and an Anime) share
    # one Owner (Item) row.
    link_id = getattr(instance, f"{field}_id")
    for model in others:
        if link_id is not None and model.objects.filter(**{field: link_id}).exists():
            raise ValidationError(
                {field: f"This {field} is already a {model._meta.verbose_name}'s."},
                code=f"shared_{field}",
            )


class Person(models.Model):
    name = models.CharField(max_length=100)
    owner = models.OneToOneField(Owner, on_delete=models.CASCADE)

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        refuse_shared_link(self, "owner", [Group])


class Group(models.Model):
    name = models.CharField(max_length=100)
    creator = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="created_groups"
    )
    owner = models.OneToOneField(Owner, on_delete=models.CASCADE)

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        refuse_shared_link(self, "owner", [Person])


class Task(models.Model):
    description = models.CharField(max_length=200)
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="tasks")

    def __str__(self):
        return self.description

    def clean(self):
        # Only Python holds this rule: the foreign key proves the Owner row
        # exists, not that a person or a group stands behind it.
        super().clean()
        if self.owner_id is None:
            return
        if not (
            Person.objects.filter(owner_id=self.owner_id).exists()
            or Group.objects.filter(owner_id=self.owner_id).exists()
        ):
            raise ValidationError(
                {"owner": "No person or group stands for this owner."},
                code="ownerless",
            )


# Saves domain: the same shape. Each media row links to its own Item row.


class Item(models.Model):
    def __str__(self):
        return str(self.media)

    @property
    def media(self):
        for name in ("movie", "anime", "manga"):
            try:
                return getattr(self, name)
            except models.ObjectDoesNotExist:
                pass
        return None


class Movie(models.Model):
    title = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    item = models.OneToOneField(Item, on_delete=models.CASCADE)

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        refuse_shared_link(self, "item", [Anime, Manga])


class Anime(models.Model):
    title = models.CharField(max_length=200)
    episodes = models.PositiveIntegerField()
    item = models.OneToOneField(Item, on_delete=models.CASCADE)

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        refuse_shared_link(self, "item", [Movie, Manga])


class Manga(models.Model):
    title = models.CharField(max_length=200)
    volumes = models.PositiveIntegerField()
    item = models.OneToOneField(Item, on_delete=models.CASCADE)

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        refuse_shared_link(self, "item", [Movie, Anime])


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="saves")
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # As in owner_table: per-save extras, kept to their kind only by save_item().
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

    def clean(self):
        # Only Python holds this rule, as for Task.owner.
        super().clean()
        if self.item_id is not None and self.item.media is None:
            raise ValidationError(
                {"item": "No movie, anime or manga stands for this item."},
                code="mediumless",
            )

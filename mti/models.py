"""Multi-table inheritance (Alternative 4): Person and Group *are* Owners.

Each person or group is two rows, an Owner row and a child row whose primary
key is a foreign key to it; Task.owner is a real FK to Owner. Downcasting is a
join, not a lookup, but which child an Owner is sits in no column: the database
accepts an Owner with no child, or with one of each.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone


class Owner(models.Model):
    # Nothing but an id: what Person and Group have in common is being owners.
    # Like the article's listing, name stays on the children.

    def __str__(self):
        try:
            return str(self.downcast())
        except Owner.DoesNotExist:
            return f"Owner #{self.pk} (no person or group)"

    def downcast(self) -> "Person | Group":
        # Free after select_related("owner__person", "owner__group"); one query
        # per child table tried otherwise. Nothing stops both from existing.
        if type(self) is not Owner:
            return self  # already a Person or Group instance
        for child in ("person", "group"):
            try:
                return getattr(self, child)
            except ObjectDoesNotExist:
                continue
        raise Owner.DoesNotExist(f"Owner #{self.pk} is neither a person nor a group.")


class Person(Owner):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Group(Owner):
    name = models.CharField(max_length=100)
    creator = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="created_groups"
    )

    def __str__(self):
        return self.name


class Task(models.Model):
    description = models.CharField(max_length=200)
    # A real FK, but to the parent: the database knows an owner exists, not
    # whether it is a person, a group, both or neither.
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="tasks")

    def __str__(self):
        return self.description

    def clean(self):
        # Only Python holds "the owner is exactly one of a person or a group":
        # forms and full_clean() run this; update(), bulk_create(), raw SQL and
        # a bare Owner.objects.create() never do. 1 query.
        super().clean()
        if self.owner_id is None:
            return
        children = (
            Owner.objects.filter(pk=self.owner_id)
            .values_list("person", "group")
            .first()
        )
        if children is not None and sum(c is not None for c in children) != 1:
            raise ValidationError(
                {
                    "owner": ValidationError(
                        "A task is owned by exactly one person or group.",
                        code="owner_not_one_child",
                    )
                }
            )


# Saves domain: Movie, Anime and Manga inherit from Media; a save points at
# the parent row, so one FK and one unique constraint cover every kind.


class Media(models.Model):
    # The one field every kind really shares lives here, so Movie's own table
    # has no title column: SQL on mti_movie alone can't show what was saved.
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title


class Movie(Media):
    year = models.PositiveIntegerField()


class Anime(Media):
    episodes = models.PositiveIntegerField()


class Manga(Media):
    volumes = models.PositiveIntegerField()


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="saves")
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Per-kind extras share one table, NULL on every other kind's rows. No
    # CheckConstraint can tie them to a kind: the kind is which child table
    # holds item_id, and a check constraint sees only its own row.
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

"""An empty Owner table that Person and Group each link to (Luke Plant's Alternative 3).

Person.owner and Group.owner are non-null one-to-ones, so no link is NULL and
Task.owner is a plain foreign key. The price: the links point the wrong way for
the database to hold "exactly one" - nothing stops an Owner row that a person
and a group share, or that nobody links to - and the ORM's cascade runs from
Owner to Person, so deleting a person leaves their Owner row and its tasks.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone


def first_of(row, names: tuple[str, ...]):
    # The first reverse one-to-one that has a row, or None. Free after
    # select_related(*names); one query per name tried otherwise. Nothing in
    # the schema stops two of them, or none, from existing.
    for name in names:
        try:
            return getattr(row, name)
        except ObjectDoesNotExist:
            continue
    return None


def refuse_unless_one(parent, pk, names: tuple[str, ...], field: str, message: str):
    # Only Python holds "exactly one row stands behind the parent": forms and
    # full_clean() run this; update(), bulk_create(), raw SQL and a plain
    # save() never do. 1 query: the parent with each reverse link joined.
    linked = parent.objects.filter(pk=pk).values_list(*names).first()
    if linked is not None and sum(link is not None for link in linked) != 1:
        raise ValidationError(
            {field: ValidationError(message, code=f"{field}_not_one")}
        )


class Owner(models.Model):
    # No columns: a row is only an id for tasks to point at. Which person or
    # group it stands for is found by asking their tables (reverse one-to-ones).

    def __str__(self):
        return str(self.person_or_group)

    @property
    def person_or_group(self) -> "Person | Group | None":
        # The group first, as the listing's SQL asks (OWNER_KIND): a row with
        # both children reads as the same kind wherever it is read.
        return first_of(self, ("group", "person"))


def refuse_shared_link(instance, field: str, others) -> None:
    # Only Python holds this rule: each table's unique index sees its own rows,
    # so the database lets a Person and a Group (or a Movie and an Anime) share
    # one Owner (Media) row.
    link_id = getattr(instance, f"{field}_id")
    parent = instance._meta.get_field(field).related_model._meta.model_name
    for model in others:
        if link_id is not None and model.objects.filter(**{field: link_id}).exists():
            raise ValidationError(
                {field: f"This {parent} is already a {model._meta.verbose_name}'s."},
                code=f"shared_{parent}",
            )


class Person(models.Model):
    name = models.CharField(max_length=100)
    owner = models.OneToOneField(
        Owner,
        on_delete=models.CASCADE,
        help_text="This person's row in Owner, made with the person. Unique"
        " here, but nothing in the database stops a group sharing it.",
    )

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
    owner = models.OneToOneField(
        Owner,
        on_delete=models.CASCADE,
        help_text="This group's row in Owner, made with the group. Unique"
        " here, but nothing in the database stops a person sharing it.",
    )

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        refuse_shared_link(self, "owner", [Person])


# The database checks that the Owner row exists, nothing more.
OWNER_HELP = (
    "An Owner row; the person or group that links to it stands behind the task."
    " No constraint says that exactly one does."
)


class Task(models.Model):
    description = models.CharField(max_length=200)
    # A real FK, but to the Owner row: the database knows it exists, not
    # whether a person, a group, both or neither stand behind it.
    owner = models.ForeignKey(
        Owner,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text=OWNER_HELP,
    )

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        refuse_unless_one(
            Owner,
            self.owner_id,
            ("person", "group"),
            "owner",
            "A task is owned by exactly one person or group.",
        )


# Saves domain: the same shape. Each media row links to its own Media row.


class Media(models.Model):
    # As Owner: no columns, an id for saves to point at. mti keeps title on
    # its Media parent; here a column on Media would be no field of Movie's: a
    # second form in every kind's admin, and a query or a join for str(movie).

    def __str__(self):
        return str(self.media_item)

    @property
    def media_item(self) -> "Movie | Anime | Manga | None":
        return first_of(self, ("movie", "anime", "manga"))


class Movie(models.Model):
    title = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    media = models.OneToOneField(
        Media,
        on_delete=models.CASCADE,
        help_text="This movie's row in Media, made with it. Unique here, but"
        " nothing in the database stops an anime or a manga sharing it.",
    )

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        refuse_shared_link(self, "media", [Anime, Manga])


class Anime(models.Model):
    title = models.CharField(max_length=200)
    episodes = models.PositiveIntegerField()
    media = models.OneToOneField(
        Media,
        on_delete=models.CASCADE,
        help_text="This anime's row in Media, made with it. Unique here, but"
        " nothing in the database stops a movie or a manga sharing it.",
    )

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        refuse_shared_link(self, "media", [Movie, Manga])


class Manga(models.Model):
    title = models.CharField(max_length=200)
    volumes = models.PositiveIntegerField()
    media = models.OneToOneField(
        Media,
        on_delete=models.CASCADE,
        help_text="This manga's row in Media, made with it. Unique here, but"
        " nothing in the database stops a movie or an anime sharing it.",
    )

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        refuse_shared_link(self, "media", [Movie, Anime])


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
        help_text="A Media row; the movie, anime or manga that links to it is"
        " what was saved. No constraint says that exactly one does.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Per-kind extras share one table, NULL on every other kind's rows. No
    # CheckConstraint can tie them to a kind: the kind is which media table
    # links the Media row, and a check constraint sees only its own row.
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

    def clean(self):
        super().clean()
        refuse_unless_one(
            Media,
            self.item_id,
            ("movie", "anime", "manga"),
            "item",
            "A save is of exactly one movie, anime or manga.",
        )

"""django-model-utils' InheritanceManager over multi-table inheritance.

mti's schema, to the column: Person and Group are child tables of Owner. The
manager adds select_subclasses(), which LEFT JOINs every child table and
hands back Person and Group instances from an Owner queryset in one query.
The database holds no more than in mti.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from model_utils.managers import InheritanceManager


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
    # Nothing but an id: what Person and Group have in common is being owners.
    # Like the article's listing, name stays on the children.
    objects = InheritanceManager()

    def __str__(self):
        return str(self.person_or_group)

    @property
    def person_or_group(self) -> "Person | Group | None":
        if isinstance(self, Person | Group):
            return self  # select_subclasses() already made it the child
        # The person first, as the library forces (select_subclasses() hands
        # a row with both children back as the person) and so the listing's
        # SQL asks (OWNER_KIND): such a row reads as the same kind wherever it
        # is read. mti asks the group first.
        return first_of(self, ("person", "group"))


def refuse_shared_link(instance, field: str, others) -> None:
    # Only Python holds this rule: each child table's primary key sees its own
    # rows, so the database lets a Person and a Group (or a Movie and an Anime)
    # share one Owner (Media) row.
    link_id = getattr(instance, f"{field}_id")
    parent = instance._meta.get_field(field).related_model._meta.model_name
    for model in others:
        if link_id is not None and model.objects.filter(**{field: link_id}).exists():
            raise ValidationError(
                {field: f"This {parent} is already a {model._meta.verbose_name}'s."},
                code=f"shared_{parent}",
            )


class Person(Owner):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        refuse_shared_link(self, "owner_ptr", [Group])


class Group(Owner):
    name = models.CharField(max_length=100)
    creator = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="created_groups"
    )

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        refuse_shared_link(self, "owner_ptr", [Person])


# The database checks that the Owner row exists, nothing more.
OWNER_HELP = (
    "An Owner row, the parent row of a person or a group with the same id;"
    " the manager finds which by joining both. No constraint says that exactly"
    " one child row exists."
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


# Saves domain: Movie, Anime and Manga inherit from Media; a save points at
# the parent row, so one FK and one unique constraint cover every kind.


class Media(models.Model):
    # The one field every kind really shares lives here, so Movie's own table
    # has no title column: SQL on its table alone can't show what was saved.
    title = models.CharField(max_length=200)
    objects = InheritanceManager()

    def __str__(self):
        return self.title

    @property
    def media_item(self) -> "Movie | Anime | Manga | None":
        if isinstance(self, Movie | Anime | Manga):
            return self
        return first_of(self, ("movie", "anime", "manga"))


class Movie(Media):
    year = models.PositiveIntegerField()

    def clean(self):
        super().clean()
        refuse_shared_link(self, "media_ptr", [Anime, Manga])


class Anime(Media):
    episodes = models.PositiveIntegerField()

    def clean(self):
        super().clean()
        refuse_shared_link(self, "media_ptr", [Movie, Manga])


class Manga(Media):
    volumes = models.PositiveIntegerField()

    def clean(self):
        super().clean()
        refuse_shared_link(self, "media_ptr", [Movie, Anime])


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
        help_text="A Media row, the parent row of a movie, anime or manga with"
        " the same id; the manager finds which by joining all three. No"
        " constraint says that exactly one child row exists.",
    )
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

    def clean(self):
        super().clean()
        refuse_unless_one(
            Media,
            self.item_id,
            ("movie", "anime", "manga"),
            "item",
            "A save is of exactly one movie, anime or manga.",
        )

"""django-polymorphic over multi-table inheritance: mti, with the child's type stored.

Person and Group inherit from a PolymorphicModel Owner, which adds a
polymorphic_ctype column: a querying of Owner returns Person and Group
instances, one query for the Owner rows and one per child type. The schema is
mti's plus that column, and the database still can't tie it to the child rows.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from polymorphic.models import PolymorphicModel


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


class Owner(PolymorphicModel):
    # Nothing but an id and, from PolymorphicModel, polymorphic_ctype: the
    # content type of the child the row was made as, written by save(). Like
    # the article's listing, name stays on the children.

    def __str__(self):
        return str(self.person_or_group)

    @property
    def person_or_group(self) -> "Person | Group | None":
        if isinstance(self, Person | Group):
            return self  # the polymorphic manager already made it the child
        # A bare Owner row (a join from Task, non_polymorphic()): the child its
        # stored type names, as the library's downcast and the listing's SQL
        # (OWNER_KIND) read it, so a row with both children reads as the same
        # kind wherever it is read. The type is free where a query joined it
        # (the task admin), else Django's cached one: free once warm.
        if self.polymorphic_ctype_id is None:
            return None
        if Owner.polymorphic_ctype.is_cached(self):
            kind = self.polymorphic_ctype.model
        else:
            kind = ContentType.objects.get_for_id(self.polymorphic_ctype_id).model
        return first_of(self, (kind,)) if kind in ("person", "group") else None


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
    "An Owner row: its polymorphic_ctype column names the kind, and the"
    " person's or group's row shares its id. Nothing checks that the two agree."
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


# Saves domain: Movie, Anime and Manga inherit from a polymorphic Media; a save
# points at the parent row, so one FK and one unique constraint cover every kind.


class Media(PolymorphicModel):
    # The one field every kind really shares lives here, so Movie's own table
    # has no title column: SQL on its table alone can't show what was saved.
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title

    @property
    def media_item(self) -> "Movie | Anime | Manga | None":
        if isinstance(self, Movie | Anime | Manga):
            return self
        # A bare Media row: the child its stored type names, as for an owner
        # (Owner.person_or_group), not the first child table that has the id.
        if self.polymorphic_ctype_id is None:
            return None
        if Media.polymorphic_ctype.is_cached(self):
            kind = self.polymorphic_ctype.model
        else:
            kind = ContentType.objects.get_for_id(self.polymorphic_ctype_id).model
        return first_of(self, (kind,)) if kind in ("movie", "anime", "manga") else None


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
        help_text="A Media row: its polymorphic_ctype column names the kind, and"
        " the movie's, anime's or manga's row shares its id. Nothing checks"
        " that the two agree.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Per-kind extras share one table, NULL on every other kind's rows. No
    # CheckConstraint can tie them to a kind: the kind is the Media row's
    # stored type, and a check constraint sees only its own row.
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

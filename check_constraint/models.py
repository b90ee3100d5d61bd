"""Nullable foreign keys held by CheckConstraints ("Avoiding Generic Foreign Keys
by using Check Constraints").

The nullable FKs of Alternative 1, plus a discriminator column and a database
rule tying it to exactly one FK: every bad combination is an IntegrityError,
whoever writes it. The price: a new owner type is a new column, a new choice
and a new constraint, all in one migration.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, When
from django.db.models.lookups import Exact
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


class OwnerType(models.TextChoices):
    # Spelled out, not the article's "P"/"G": the column reads on its own in
    # raw SQL, and it holds the scenario API's owner kinds verbatim, so the
    # listing selects and orders by it as it is.
    PERSON = "person", "Person"
    GROUP = "group", "Group"


class Task(models.Model):
    description = models.CharField(max_length=200)
    # No default (the article has PERSON): a task written without a type is
    # refused instead of quietly becoming a person's.
    owner_type = models.CharField(
        max_length=10,
        choices=OwnerType,
        help_text="Which of the two owner columns is set. A CheckConstraint ties"
        " them: the database refuses any other combination.",
    )
    owner_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text="Set when the type is person, and then alone: a real foreign"
        " key, held to the type by a CheckConstraint.",
    )
    owner_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text="Set when the type is group, and then alone: a real foreign"
        " key, held to the type by a CheckConstraint.",
    )

    class Meta:
        constraints = [
            # Each branch names the type, requires its FK and forbids the other.
            # The article's version only forbids the other FK, so a person-type
            # task with no person at all passes it; so does any value outside
            # the choices here, since neither branch matches it.
            models.CheckConstraint(
                condition=(
                    Q(
                        owner_type=OwnerType.PERSON,
                        owner_person__isnull=False,
                        owner_group__isnull=True,
                    )
                    | Q(
                        owner_type=OwnerType.GROUP,
                        owner_group__isnull=False,
                        owner_person__isnull=True,
                    )
                ),
                name="%(app_label)s_%(class)s_owner_matches_type",
                violation_error_code="owner_mismatch",
                violation_error_message="Pick one owner, of the chosen type.",
            )
        ]

    def __str__(self):
        return self.description

    @property
    def owner(self) -> Person | Group | None:
        # No query when the owner was select_related; one otherwise. The
        # constraint guarantees the FK that owner_type names is set on every
        # saved row.
        if self.owner_type == OwnerType.GROUP:
            return self.owner_group
        return self.owner_person


# Saves domain ("The 'Save Button' Dilemma", the disjoint-subtype detour): one
# SavedItem with a nullable FK per kind and a CheckConstraint that one is set.


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


def is_set(field: str) -> Case:
    # 1 when the column is not NULL, else 0: summed, a count of the columns set.
    return Case(When(**{f"{field}__isnull": False}, then=1), default=0)


# Exactly one of three, by counting the non-null columns. Not
# Q(movie…) ^ Q(anime…) ^ Q(manga…): since Django 5.0 that is parity (an odd
# count) on every database, so a row with all three set passes it.
EXACTLY_ONE_ITEM = Exact(is_set("movie") + is_set("anime") + is_set("manga"), 1)


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
        " a CheckConstraint makes the database refuse a save of no item or of several.",
    )
    anime = models.ForeignKey(
        Anime,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="Set for an anime save. A real foreign key;"
        " a CheckConstraint makes the database refuse a save of no item or of several.",
    )
    manga = models.ForeignKey(
        Manga,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saves",
        help_text="Set for a manga save. A real foreign key;"
        " a CheckConstraint makes the database refuse a save of no item or of several.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Per-type extras share one table; unlike in nullable_fks, the database
    # keeps each off the other kinds' rows (the last two constraints).
    episode_progress = models.PositiveIntegerField(null=True, blank=True)
    watched = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            one_save_per("movie"),
            one_save_per("anime"),
            one_save_per("manga"),
            models.CheckConstraint(
                condition=EXACTLY_ONE_ITEM,
                name="%(app_label)s_%(class)s_exactly_one_item",
                violation_error_code="exactly_one_item",
                violation_error_message="Pick one movie, anime or manga.",
            ),
            models.CheckConstraint(
                condition=Q(episode_progress__isnull=True) | Q(anime__isnull=False),
                name="%(app_label)s_%(class)s_progress_only_on_anime",
                violation_error_code="progress_not_anime",
                violation_error_message="Episode progress is for anime only.",
            ),
            models.CheckConstraint(
                condition=Q(watched__isnull=True) | Q(movie__isnull=False),
                name="%(app_label)s_%(class)s_watched_only_on_movie",
                violation_error_code="watched_not_movie",
                violation_error_message="Only a movie save can be watched.",
            ),
        ]

    def __str__(self):
        ids = {"movie": self.movie_id, "anime": self.anime_id, "manga": self.manga_id}
        items = ", ".join(f"{kind} #{pk}" for kind, pk in ids.items() if pk is not None)
        return f"{items or 'nothing'} saved by user #{self.user_id}"

    @property
    def item(self) -> Movie | Anime | Manga | None:
        # Exactly one is set on every saved row: the constraint says so.
        if self.movie_id is not None:
            return self.movie
        if self.anime_id is not None:
            return self.anime
        return self.manga

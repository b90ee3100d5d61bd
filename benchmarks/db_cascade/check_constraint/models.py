# ruff: noqa: DJ008 - never read or shown: a twin exists to be deleted through
"""check_constraint with DB_CASCADE: as nullable_fks; the constraints delete nothing."""

from django.conf import settings
from django.db import models


class Person(models.Model):
    class Meta:
        managed = False
        db_table = "check_constraint_person"


class Group(models.Model):
    creator = models.ForeignKey(Person, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "check_constraint_group"


class Task(models.Model):
    owner_person = models.ForeignKey(Person, null=True, on_delete=models.DB_CASCADE)
    owner_group = models.ForeignKey(Group, null=True, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "check_constraint_task"


class Movie(models.Model):
    class Meta:
        managed = False
        db_table = "check_constraint_movie"


class Anime(models.Model):
    class Meta:
        managed = False
        db_table = "check_constraint_anime"


class Manga(models.Model):
    class Meta:
        managed = False
        db_table = "check_constraint_manga"


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    movie = models.ForeignKey(Movie, null=True, on_delete=models.DB_CASCADE)
    anime = models.ForeignKey(Anime, null=True, on_delete=models.DB_CASCADE)
    manga = models.ForeignKey(Manga, null=True, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "check_constraint_saveditem"

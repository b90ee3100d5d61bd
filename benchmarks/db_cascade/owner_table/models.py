# ruff: noqa: DJ008 - never read or shown: a twin exists to be deleted through
"""owner_table with DB_CASCADE: Task -> Owner -> Person/Group, all database-level."""

from django.conf import settings
from django.db import models


class Person(models.Model):
    class Meta:
        managed = False
        db_table = "owner_table_person"


class Group(models.Model):
    creator = models.ForeignKey(Person, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_table_group"


class Owner(models.Model):
    person = models.OneToOneField(Person, null=True, on_delete=models.DB_CASCADE)
    group = models.OneToOneField(Group, null=True, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_table_owner"


class Task(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_table_task"


class Movie(models.Model):
    class Meta:
        managed = False
        db_table = "owner_table_movie"


class Anime(models.Model):
    class Meta:
        managed = False
        db_table = "owner_table_anime"


class Manga(models.Model):
    class Meta:
        managed = False
        db_table = "owner_table_manga"


class Item(models.Model):
    movie = models.OneToOneField(Movie, null=True, on_delete=models.DB_CASCADE)
    anime = models.OneToOneField(Anime, null=True, on_delete=models.DB_CASCADE)
    manga = models.OneToOneField(Manga, null=True, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_table_item"


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    item = models.ForeignKey(Item, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_table_saveditem"

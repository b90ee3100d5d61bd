# ruff: noqa: DJ008 - never read or shown: a twin exists to be deleted through
"""mti with DB_CASCADE where Django allows it: Task.owner and the saves only.

Parent links stay Python-level (Django makes them CASCADE), and Group.creator
must stay so too: a database-level FK may not point at a model whose own FKs
are Python-level (fields.E323), and Person's parent link is one.
"""

from django.conf import settings
from django.db import models


class Owner(models.Model):
    class Meta:
        managed = False
        db_table = "mti_owner"


class Person(Owner):
    class Meta:
        managed = False
        db_table = "mti_person"


class Group(Owner):
    creator = models.ForeignKey(Person, on_delete=models.CASCADE)

    class Meta:
        managed = False
        db_table = "mti_group"


class Task(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "mti_task"


class Media(models.Model):
    class Meta:
        managed = False
        db_table = "mti_media"


class Movie(Media):
    class Meta:
        managed = False
        db_table = "mti_movie"


class Anime(Media):
    class Meta:
        managed = False
        db_table = "mti_anime"


class Manga(Media):
    class Meta:
        managed = False
        db_table = "mti_manga"


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    item = models.ForeignKey(Media, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "mti_saveditem"

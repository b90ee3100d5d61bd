# ruff: noqa: DJ008 - never read or shown: a twin exists to be deleted through
"""owner_o2o with DB_CASCADE: the cascade still runs Owner -> Person, never back.

So the delete under test removes Owner rows (as queries.delete_owner() does),
and the database follows Owner -> Person/Group/Task and Person -> Group.
"""

from django.conf import settings
from django.db import models


class Owner(models.Model):
    class Meta:
        managed = False
        db_table = "owner_o2o_owner"


class Person(models.Model):
    owner = models.OneToOneField(Owner, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_o2o_person"


class Group(models.Model):
    creator = models.ForeignKey(Person, on_delete=models.DB_CASCADE)
    owner = models.OneToOneField(Owner, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_o2o_group"


class Task(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_o2o_task"


class Media(models.Model):
    class Meta:
        managed = False
        db_table = "owner_o2o_media"


class Movie(models.Model):
    media = models.OneToOneField(Media, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_o2o_movie"


class Anime(models.Model):
    media = models.OneToOneField(Media, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_o2o_anime"


class Manga(models.Model):
    media = models.OneToOneField(Media, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_o2o_manga"


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    item = models.ForeignKey(Media, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "owner_o2o_saveditem"

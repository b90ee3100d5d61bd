# ruff: noqa: DJ008 - never read or shown: a twin exists to be deleted through
"""linked_models with DB_CASCADE: as tests/db_cascade, plus the saved tables."""

from django.conf import settings
from django.db import models


class Person(models.Model):
    class Meta:
        managed = False
        db_table = "linked_models_person"


class Group(models.Model):
    creator = models.ForeignKey(Person, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "linked_models_group"


class PersonTask(models.Model):
    owner = models.ForeignKey(Person, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "linked_models_persontask"


class GroupTask(models.Model):
    owner = models.ForeignKey(Group, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "linked_models_grouptask"


class Movie(models.Model):
    class Meta:
        managed = False
        db_table = "linked_models_movie"


class Anime(models.Model):
    class Meta:
        managed = False
        db_table = "linked_models_anime"


class Manga(models.Model):
    class Meta:
        managed = False
        db_table = "linked_models_manga"


class SavedMovie(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    item = models.ForeignKey(Movie, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "linked_models_savedmovie"


class SavedAnime(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    item = models.ForeignKey(Anime, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "linked_models_savedanime"


class SavedManga(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    item = models.ForeignKey(Manga, on_delete=models.DB_CASCADE)

    class Meta:
        managed = False
        db_table = "linked_models_savedmanga"

"""linked_models with Django 6.1's database-level cascades (test-only app).

The same schema as linked_models, but every on_delete is DB_CASCADE: the
database, not the ORM, deletes dependants, so a raw-SQL delete cascades too.
Installed only under tests (see settings.TESTING): the pattern apps keep the
articles' ORM-emulated CASCADE.

All-or-nothing: Django's checks forbid mixing database- and Python-level
variants on one model (models.E050) or along a chain of references
(fields.E323), so Group.creator has to be DB_CASCADE as well.
"""

from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Group(models.Model):
    name = models.CharField(max_length=100)
    creator = models.ForeignKey(
        Person, on_delete=models.DB_CASCADE, related_name="created_groups"
    )

    def __str__(self):
        return self.name


class PersonTask(models.Model):
    description = models.CharField(max_length=200)
    owner = models.ForeignKey(Person, on_delete=models.DB_CASCADE, related_name="tasks")

    def __str__(self):
        return self.description


class GroupTask(models.Model):
    description = models.CharField(max_length=200)
    owner = models.ForeignKey(Group, on_delete=models.DB_CASCADE, related_name="tasks")

    def __str__(self):
        return self.description

"""What a reusable app can do with an owner it doesn't know.

Not the scenario API: there is one owner model per project, not "a person or a
group", so owner kinds, creators and the saves domain don't apply. All the app
may rely on is that the owner is a model with a primary key and a __str__.
"""

from __future__ import annotations

from django.db import models

from .models import Task

TaskRow = tuple[str, str]


def create_task(description: str, owner: models.Model) -> Task:
    # 1 query: an INSERT. The owner is an instance of the configured model (or
    # of a concrete subclass, such as mti.Person for mti.Owner); anything else
    # is a ValueError before any SQL.
    return Task.objects.create(description=description, owner=owner)


def owner_of(task: Task) -> models.Model:
    # 1 query unless select_related("owner"): an ordinary FK.
    return task.owner


def tasks_owned_by(owner: models.Model) -> list[Task]:
    # 1 query on the owner_id index.
    return list(Task.objects.filter(owner=owner).order_by("description", "pk"))


def task_rows() -> list[TaskRow]:
    # 1 query: the owner table is joined in, whichever table the setting names.
    # That is as far as the app can see: if the project's owner __str__ reads
    # other tables (mti.Owner's looks for its Person or Group), each row pays
    # for that, and only the project knows what to select_related for it.
    tasks = Task.objects.select_related("owner").order_by("description", "pk")
    return [(task.description, str(task.owner)) for task in tasks]


def delete_owner(owner: models.Model) -> None:
    # 2 queries with the app's own Owner (its tasks, then it), as with any FK:
    # the ORM follows Task.owner's CASCADE. A swapped-in owner adds whatever its
    # own relations cost (mti.Person: its Owner row, its groups and theirs).
    owner.delete()

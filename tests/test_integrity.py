"""What the database does with bad data, asked directly, in every pattern.

Each test takes a rule's verdict from the pattern's declaration
(tests/patterns/<app>.py), runs its probe on every case the rule distinguishes
and every way in (raw SQL, update(), bulk_create()), and judges what the
database did. A verdict that stops being true fails here; the README's matrix
is rendered from the same verdicts.
"""

from __future__ import annotations

import copy
from contextlib import ExitStack
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from tests import patterns
from tests.conftest import (
    check_deferred_constraints,
    make_saves_world,
    make_world,
    queries_of,
)

pytestmark = pytest.mark.django_db


def outcome_of_write(probe, via, world, case) -> str:
    """Run a bad write; REJECTED if the database refuses it, else ACCEPTED.

    Foreign keys are DEFERRABLE INITIALLY DEFERRED on SQLite and PostgreSQL,
    so the write alone proves nothing: check_constraints() runs the checks a
    commit would. All in a savepoint that is rolled back either way, so the
    next way in meets the same world.
    """
    try:
        with transaction.atomic():
            written = probe(via, world, case)
            check_deferred_constraints()
            transaction.set_rollback(True)
    except IntegrityError:
        return patterns.REJECTED
    # A probe that wrote nothing would pass for "accepted": it must say it wrote.
    assert written, f"{probe.__name__}({via!r}, {case!r}) reported no row written"
    return patterns.ACCEPTED


def outcome_of_delete(delete, dependants: list) -> str:
    """Delete a row others point at; say what became of the rows pointing at it.

    PROTECTED if Django refuses, REJECTED if the database does (at the forced
    constraint check), CASCADED if every dependant went too, ACCEPTED if they
    stayed, pointing at a row that is gone.
    """
    assert dependants, "the world must give the deleted row a dependant"
    try:
        with transaction.atomic():
            deleted = delete()
            check_deferred_constraints()
    except ProtectedError:
        return patterns.PROTECTED
    except IntegrityError:
        return patterns.REJECTED
    # Raw probes return cursor.rowcount, Model.delete() a (count, per-model) pair.
    deleted = deleted[0] if isinstance(deleted, tuple) else deleted
    assert deleted, f"{delete} reported no row deleted"
    left = [row for row in dependants if type(row)._base_manager.filter(pk=row.pk)]
    if not left:
        return patterns.CASCADED
    # The rows that point at nothing must not break the pattern's own reads.
    return patterns.ACCEPTED


def write_params(domain_apps, rules):
    # Every way in is tried on one world per case (judge_writes).
    return [
        pytest.param(app, rule, case, id=f"{app}-{rule.label}-{case}")
        for app in domain_apps
        for rule in rules
        for case in rule.cases
    ]


def delete_params(domain_apps, rules):
    return [
        pytest.param(app, rule, case, id=f"{app}-{rule.label}-{case}")
        for app in domain_apps
        for rule in rules
        for case in rule.cases
    ]


REFUSED_BY_DJANGO = "refused by Django"


def outcome_by_way_in(verdict: patterns.Verdict, world, case) -> dict[str, str]:
    """Each way in (raw SQL, update(), bulk_create()) and what came of it."""
    outcomes = {}
    for via in patterns.VIAS:
        try:
            outcomes[via] = outcome_of_write(verdict.probe, via, world, case)
        except ValueError:
            # Django raises before sending SQL: nothing reaches the database.
            outcomes[via] = REFUSED_BY_DJANGO
    return outcomes


def judge_writes(verdict: patterns.Verdict, world, case) -> None:
    if verdict.outcome == patterns.UNREPRESENTABLE:
        # No columns to write it in: there is no probe, and a stated reason.
        assert verdict.probe is None and verdict.because
        return
    declared = verdict.outcome_on(connection.vendor)
    expected = {
        via: REFUSED_BY_DJANGO if via in verdict.refused_by_django else declared
        for via in patterns.VIAS
    }
    assert outcome_by_way_in(verdict, world, case) == expected


# Ownership -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "app, rule, case",
    write_params(patterns.ownership_apps(), patterns.OWNERSHIP_WRITES),
)
def test_a_bad_task_write_meets_its_declared_outcome(app, rule, case):
    verdict = patterns.module(app).OWNERSHIP.integrity[rule]
    judge_writes(verdict, make_world(app), case)


def owner_to_delete(world, case):
    # Bob owns one task and created no group; the group owns one task.
    return world.bob if case == "person" else world.group


@pytest.mark.parametrize(
    "app, rule, case",
    delete_params(patterns.ownership_apps(), patterns.OWNERSHIP_DELETES),
)
def test_deleting_an_owner_meets_its_declared_outcome(app, rule, case):
    declared = patterns.module(app).OWNERSHIP
    verdict = declared.integrity[rule]
    world = make_world(app)
    owner = owner_to_delete(world, case)
    dependants = declared.dependants(world, owner)
    with ExitStack() as stack:
        if rule is patterns.RAW_DELETE_OWNER:
            outcome = outcome_of_delete(lambda: verdict.probe(world, case), dependants)
        else:
            # Model.delete(), as the admin's delete does; not delete_owner().
            for link in verdict.protect:
                # on_delete=CASCADE and PROTECT are both Python: the database's
                # foreign key is the same (test_on_delete_is_not_in_the_schema).
                stack.enter_context(
                    mock.patch.object(link.remote_field, "on_delete", models.PROTECT)
                )
            outcome = outcome_of_delete(owner.delete, dependants)
    assert outcome == verdict.outcome_on(connection.vendor)
    if outcome == patterns.ACCEPTED:
        # The listing still lists the orphaned tasks, with no owner's name,
        # never a 500. (Their kind is gone too, but where the library stores
        # it in a column of its own: polymorphic_models.)
        rows = [row for row in world.queries.task_rows() if row[2] is None]
        assert rows and all(row[3] is None for row in rows), rows


def test_every_pattern_declares_every_ownership_rule():
    rules = {*patterns.OWNERSHIP_WRITES, *patterns.OWNERSHIP_DELETES}
    for app in patterns.ownership_apps():
        declared = patterns.module(app).OWNERSHIP
        assert set(declared.integrity) == rules, app
        for rule, verdict in declared.integrity.items():
            assert verdict.outcome in {
                patterns.REJECTED,
                patterns.ACCEPTED,
                patterns.CASCADED,
                patterns.PROTECTED,
                patterns.UNREPRESENTABLE,
            }, (app, rule)
            assert set(verdict.on) <= set(patterns.DATABASES), (app, rule)


# Saves -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "app, rule, case", write_params(patterns.saves_apps(), patterns.SAVES_WRITES)
)
def test_a_bad_save_write_meets_its_declared_outcome(
    app, rule, case, django_user_model
):
    verdict = patterns.module(app).SAVES.integrity[rule]
    judge_writes(verdict, make_saves_world(app, django_user_model), case)


@pytest.mark.parametrize(
    "app, rule, case", delete_params(patterns.saves_apps(), patterns.SAVES_DELETES)
)
def test_deleting_an_item_or_user_meets_its_declared_outcome(
    app, rule, case, django_user_model
):
    declared = patterns.module(app).SAVES
    verdict = declared.integrity[rule]
    sworld = make_saves_world(app, django_user_model)
    # Each item has one save, the user's; the user has one save of each kind.
    target = sworld.user if case == "user" else getattr(sworld, case)
    dependants = declared.dependants(sworld, target)
    if rule in (patterns.RAW_DELETE_ITEM, patterns.RAW_DELETE_USER):
        outcome = outcome_of_delete(lambda: verdict.probe(sworld, case), dependants)
    else:
        outcome = outcome_of_delete(target.delete, dependants)
    assert outcome == verdict.outcome_on(connection.vendor)
    if outcome == patterns.ACCEPTED and case != "user":
        # The feed still lists the save, never a 500: with what is left of its
        # item (no title; in mti no kind), or, where a stored type and title
        # outlive the kind's row (polymorphic_models), as if nothing happened.
        feed = sworld.queries.saved_feed(sworld.user, 1, 10)
        assert len(feed) == 3, feed


def test_every_pattern_declares_every_saves_rule():
    rules = {*patterns.SAVES_WRITES, *patterns.SAVES_DELETES}
    for app in patterns.saves_apps():
        assert set(patterns.module(app).SAVES.integrity) == rules, app


# What Python validation adds ---------------------------------------------------


def ownership_world(app, django_user_model):
    return make_world(app)


def validation_params(with_admin_form=False):
    # (app, its declaration, the world it is judged in): the declaration object
    # itself, so a failure points at OWNERSHIP or SAVES in the pattern's module.
    params = [
        pytest.param(
            app, patterns.module(app).OWNERSHIP, ownership_world, id=f"{app}-ownership"
        )
        for app in patterns.ownership_apps()
    ]
    for app in patterns.saves_apps():
        declared = patterns.module(app).SAVES
        # m2m_fields' saves have no add form: they are inline rows of an item.
        if not with_admin_form or declared.admin_bad_add:
            params.append(
                pytest.param(app, declared, make_saves_world, id=f"{app}-saves")
            )
    return params


@pytest.mark.parametrize("app, declared, build", validation_params())
def test_full_clean_refuses_the_declared_invalid_row(
    app, declared, build, django_user_model
):
    world = build(app, django_user_model)
    with pytest.raises(ValidationError):
        declared.invalid(world).full_clean()


@pytest.mark.parametrize(
    "app, declared, build", validation_params(with_admin_form=True)
)
def test_the_admin_add_form_shows_a_bad_row_as_a_form_error(
    app, declared, build, admin_client, django_user_model
):
    world = build(app, django_user_model)
    model, data = declared.admin_bad_add(world)
    before = model._base_manager.count()
    opts = model._meta
    response = admin_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), data
    )
    # 200 with the form again, not a 500 and not a redirect to a saved row.
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert model._base_manager.count() == before


@pytest.mark.django_db(transaction=True)
def test_on_delete_is_not_in_the_schema():
    # CASCADE and PROTECT live in Django's collector, not in the foreign key:
    # switching one for the other writes no SQL, so the PROTECT verdicts above
    # (measured by switching it in Python) are what a migrated PROTECT does.
    field = queries_of("owner_table").Task._meta.get_field("owner")
    protected = copy.copy(field)
    protected.remote_field = copy.copy(field.remote_field)
    protected.remote_field.on_delete = models.PROTECT
    with connection.schema_editor(collect_sql=True) as editor:
        editor.alter_field(field.model, field, protected)
    assert editor.collected_sql == []

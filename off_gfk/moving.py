"""What every move off a GenericForeignKey does, wherever its rows go.

A move reads the GFK's tables and never writes them, so the site keeps
reading them until the new tables are checked, and rolling back is deleting
what the move wrote. It goes in batches, each its own transaction: a run cut
off keeps its whole batches, and the next run picks up after them. Rows it
can't move go to `SetAside` with the reason, never into the new tables and
never nowhere.

The per-target modules (`to_check_constraint`, `to_linked_models`) decide
what each source row becomes; this module only walks, writes and reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction

from off_gfk.models import MovedRow, Reason, SetAside

BATCH_SIZE = 1000
# A batch passes its ids to single statements (the save batch's duplicate
# check passes its users and items, up to twice as many); SQLite, as built
# by default, refuses a statement of more than 32,766 parameters.
MAX_BATCH_SIZE = 10_000
# A dual write that lands between a batch's read of the target and its
# INSERT makes the INSERT collide; the batch is rolled back and read again,
# and then meets that row as already there.
ATTEMPTS = 3


class MoveRefused(RuntimeError):
    """The target holds rows the move would contradict; nothing more is written."""


@dataclass
class Report:
    target: str
    # Target table -> rows this run wrote.
    moved: Counter = field(default_factory=Counter)
    # Target table -> rows found already there: an earlier run's, or a dual
    # write's, equal to what the move would write.
    already: Counter = field(default_factory=Counter)
    # Reason -> rows this run set aside (an earlier run's stay in SetAside).
    set_aside: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [f"{self.target}: moved {self.moved.total()} rows"]
        out += [f"  {table}: {n}" for table, n in sorted(self.moved.items())]
        if self.already:
            out.append(f"already there: {self.already.total()} rows")
            out += [f"  {table}: {n}" for table, n in sorted(self.already.items())]
        out.append(f"set aside: {self.set_aside.total()} rows (off_gfk_setaside)")
        out += [f"  {reason}: {n}" for reason, n in sorted(self.set_aside.items())]
        return out


@dataclass
class Batch:
    """What one batch decided, written in one transaction by `write`."""

    target: str
    new: list[models.Model] = field(default_factory=list)
    aside: list[SetAside] = field(default_factory=list)
    already: Counter = field(default_factory=Counter)

    def set_aside(
        self, source: type[models.Model], row: dict, reason: Reason, detail: str
    ) -> None:
        self.aside.append(
            SetAside(
                target=self.target,
                source_table=source._meta.db_table,
                source_id=row["id"],
                reason=reason,
                detail=detail,
                row={k: v for k, v in row.items() if k != "__source__"},
            )
        )

    def pointed_at(self, row: dict, kinds: dict, existing: dict, pair: tuple):
        """What the row's (content type, id) pair names among `kinds`, or None.

        None once the row is set aside: its type is none of the target's
        kinds, or no row of that type has its id (`existing`: {type id: ids}).
        """
        type_field, id_field = pair
        type_id, target_id = row[type_field], row[id_field]
        try:
            # Read from Django's content-type cache: no query once warm.
            model = ContentType.objects.get_for_id(type_id).model
        except ContentType.DoesNotExist:
            # The foreign key to django_content_type holds on every database
            # here, but rows loaded with its checks off (a restore, loaddata
            # on SQLite with foreign keys off, MyISAM) can name a deleted one.
            detail = f"no content type has id {type_id}"
            self.set_aside(row["__source__"], row, Reason.DANGLING, detail)
            return None
        if type_id not in kinds:
            detail = f"points at a {model}"
            self.set_aside(row["__source__"], row, Reason.NOT_A_TARGET_KIND, detail)
            return None
        if target_id not in existing[type_id]:
            detail = f"no {model} has id {target_id}"
            self.set_aside(row["__source__"], row, Reason.DANGLING, detail)
            return None
        return kinds[type_id]

    def place(self, target: type[models.Model], present: dict, row: dict, values):
        """Write `values` under the source row's id, unless it is there already.

        `present` maps the ids the target already holds (of this batch) to
        their values: equal is a rerun or a dual write, different is a row
        the move must not overwrite.
        """
        if row["id"] not in present:
            self.new.append(target(id=row["id"], **values))
        elif present[row["id"]] == values:
            self.already[target._meta.db_table] += 1
        else:
            self.set_aside(
                row["__source__"],
                row,
                Reason.ID_TAKEN,
                f"{target._meta.db_table} #{row['id']} holds a different row",
            )


def by_content_type(of: dict) -> dict[int, tuple]:
    """{content type id: what the source model maps to}: what a pair can name."""
    types = ContentType.objects.get_for_models(*of)
    return {types[source].pk: value for source, value in of.items()}


@dataclass
class Keyset:
    """How far a walk by `key` has got: past `last`, once the batch read is written.

    Keyset pagination: every batch is one range read on the key's index,
    however far the walk has got; OFFSET would scan past everything already
    done, batch after batch. The first batch starts at the smallest key, not
    after 0: a row with id 0 or below is read like any other.
    """

    key: str = "id"
    last: int | None = None
    read: list[dict] = field(default_factory=list)

    def next(self, queryset: models.QuerySet, size: int) -> list[dict]:
        # Read again as it was on a retry: `last` moves on only in advance().
        if self.last is not None:
            queryset = queryset.filter(**{f"{self.key}__gt": self.last})
        # Without the ORDER BY the LIMIT takes any rows past `last`, and the
        # next batch starts after the largest of them: rows between are lost.
        self.read = list(queryset.order_by(self.key)[:size])
        return self.read

    def advance(self) -> bool:
        """Past the batch just read; False when it read nothing (the end)."""
        if not self.read:
            return False
        self.last, self.read = self.read[-1][self.key], []
        return True


def walk(
    report: Report,
    source: type[models.Model],
    fields: list[str],
    size: int,
    decide: Callable[[list[dict]], Batch],
) -> None:
    """Read, decide and write each batch of `source` in one transaction.

    The read is inside the batch's transaction and locks its source rows (FOR
    NO KEY UPDATE, PostgreSQL and MariaDB): a dual-written delete of one of
    them waits until the batch commits, and then finds the target row the
    batch wrote. SQLite takes no row locks and needs none: a batch's
    transaction holds the write lock from BEGIN (IMMEDIATE), so no other
    write commits between its read and its INSERT.
    """
    no_key = connection.features.has_select_for_no_key_update
    rows = source._default_manager.values("id", *fields)
    rows = rows.select_for_update(no_key=no_key)
    keyset = Keyset()

    def batch() -> Batch:
        read = keyset.next(rows, size)
        # Each row says which table it came from: a SetAside names it.
        for row in read:
            row["__source__"] = source
        return decide(read) if read else Batch(report.target)

    # A write that never ran its batch (cut off) read nothing: the walk ends.
    while True:
        write(report, batch)
        if not keyset.advance():
            return


def present(target: type[models.Model], ids: Iterable[int], fields: list[str]):
    """The target's rows among `ids`, as {id: {field: value}}."""
    rows = target._default_manager.filter(pk__in=list(ids)).values("id", *fields)
    return {row.pop("id"): row for row in rows}


def existing(model: type[models.Model], ids: Iterable[int]) -> set[int]:
    ids = set(ids)
    if not ids:
        return set()
    return set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))


def already_set_aside(target: str, source: type[models.Model], ids) -> set[int]:
    # A rerun meets the rows an earlier run set aside: they are reported once.
    return set(
        SetAside.objects.filter(
            target=target, source_table=source._meta.db_table, source_id__in=ids
        ).values_list("source_id", flat=True)
    )


def names_id_zero(model: type[models.Model], objs: list[models.Model]) -> bool:
    """Whether a row's own id, or an id one of its foreign keys holds, is 0."""
    keys = [
        f.attname for f in model._meta.concrete_fields if f.primary_key or f.is_relation
    ]
    return any(getattr(obj, key) == 0 for obj in objs for key in keys)


@contextmanager
def zero_ids_written_as_zero(needed: bool) -> Iterator[None]:
    """Let a row with id 0 (or a key naming one) be written as 0 on MySQL and MariaDB.

    There an INSERT of 0 into an AUTO_INCREMENT column takes the counter's
    next value instead, unless the session's sql_mode has
    NO_AUTO_VALUE_ON_ZERO, so Django refuses id 0 without that mode. A source
    table holds one anyway after a restore (mysqldump's output turns the mode
    on) or a copy from another database. The move turns it on for its own
    INSERT, as the restore did: without it the row would be refused, or
    written under another id with its tasks pointing at the wrong owner.
    """
    features = connection.features
    if not needed or features.allows_auto_pk_0:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET @off_gfk_sql_mode = @@SESSION.sql_mode")
        cursor.execute(
            "SET SESSION sql_mode ="
            " CONCAT(@@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO')"
        )
    # Django decided from the mode the connection opened with.
    features.allows_auto_pk_0 = True
    try:
        yield
    finally:
        features.__dict__.pop("allows_auto_pk_0", None)
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION sql_mode = @off_gfk_sql_mode")


def write(report: Report, decide: Callable[[], Batch]) -> None:
    """Decide a batch and write it, in one transaction; retried on a collision."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                batch = decide()
                by_model: dict[type[models.Model], list] = {}
                for obj in batch.new:
                    by_model.setdefault(type(obj), []).append(obj)
                for model, objs in by_model.items():
                    with zero_ids_written_as_zero(names_id_zero(model, objs)):
                        model._default_manager.bulk_create(objs)
                # The ledger, in the same transaction: what --rollback deletes.
                MovedRow.objects.bulk_create(
                    MovedRow(
                        target=batch.target,
                        target_table=obj._meta.db_table,
                        row_id=obj.pk,
                    )
                    for obj in batch.new
                )
                SetAside.objects.bulk_create(batch.aside)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        # Counted once committed: a retried batch is not counted twice.
        for model, objs in by_model.items():
            report.moved[model._meta.db_table] += len(objs)
        report.already.update(batch.already)
        report.set_aside.update(obj.reason for obj in batch.aside)
        return


def copy_table(
    report: Report,
    source: type[models.Model],
    target: type[models.Model],
    fields: list[str],
    size: int,
) -> None:
    """Copy a table the GFK points at (people, movies...) under the same ids.

    Only because every pattern here has its own copy of these tables; a
    project moving off its GFK keeps them where they are. A target row with
    the same id and other values stops the move: the tasks pointing at that
    id would land on the wrong owner.
    """

    def decide(rows: list[dict]) -> Batch:
        batch = Batch(report.target)
        there = present(target, [row["id"] for row in rows], fields)
        for row in rows:
            values = {name: row[name] for name in fields}
            if row["id"] in there and there[row["id"]] != values:
                raise MoveRefused(
                    f"{target._meta.db_table} #{row['id']} is {there[row['id']]},"
                    f" {source._meta.db_table} #{row['id']} is {values}"
                )
            batch.place(target, there, row, values)
        return batch

    walk(report, source, fields, size, decide)


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    # Rows went in with explicit ids; on PostgreSQL the next ORM insert would
    # take id 1 from the sequence and collide. SQLite needs nothing: its
    # AUTOINCREMENT counter follows the largest id written.
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if connection.vendor == "postgresql":
        # Django's reset sets the sequence to max(id), which PostgreSQL
        # refuses when every id is 0 or below: such a table starts at 1.
        quote = connection.ops.quote_name
        statements = [
            f"SELECT setval(pg_get_serial_sequence('{quote(m._meta.db_table)}',"
            " 'id'), GREATEST(max(id), 1), COALESCE(max(id) >= 1, false))"
            f" FROM {quote(m._meta.db_table)}"
            for m in model_list
        ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def held_by_others(model: type[models.Model], ids: list[int]) -> set[int]:
    """The ids among `ids` that a row of another table points at.

    Deleting one of those would cascade to a row the move didn't write (the
    move's own dependants are deleted first). 1 query per foreign key to
    `model`.
    """
    held: set[int] = set()
    for rel in model._meta.related_objects:
        pointing = rel.related_model._base_manager.filter(
            **{f"{rel.field.name}__in": ids}
        )
        held.update(pointing.values_list(rel.field.attname, flat=True))
    return held


def rollback(
    target: str, model_list: list[type[models.Model]], size: int
) -> tuple[Counter, Counter]:
    """Delete from each of `model_list` (dependants first) the rows the move wrote.

    Only the rows `MovedRow` lists: a dual write's row, or one the target held
    before the move, stays. So does a row the move wrote that such a row
    points at: deleting it would cascade to that row. Returns (table -> rows
    deleted, table -> rows kept for that reason); the report of rows set
    aside goes too.
    """
    deleted: Counter = Counter()
    kept: Counter = Counter()
    for model in model_list:
        table = model._meta.db_table
        ledger = MovedRow.objects.filter(target=target, target_table=table)
        keyset = Keyset(key="row_id")
        # Every table said, 0 too: "deleted 0" is what a rollback of a move
        # that found its rows already there says.
        deleted[table] = 0
        while rows := keyset.next(ledger.values("row_id"), size):
            ids = [row["row_id"] for row in rows]
            with transaction.atomic():
                held = held_by_others(model, ids)
                gone = [pk for pk in ids if pk not in held]
                _, by_model = model._default_manager.filter(pk__in=gone).delete()
                if {label for label, n in by_model.items() if n} - {model._meta.label}:
                    # A row written since held_by_others() read: nothing of
                    # this batch is deleted rather than that row with it.
                    raise RuntimeError(f"rollback would cascade: {by_model}")
                # A moved row a dual write deleted since leaves its entry:
                # it goes too, and counts as no row deleted.
                ledger.filter(row_id__in=gone).delete()
            deleted[table] += by_model.get(model._meta.label, 0)
            kept[table] += len(held)
            keyset.advance()
    deleted["off_gfk_setaside"], _ = SetAside.objects.filter(target=target).delete()
    return deleted, +kept

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
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction

from off_gfk.models import Reason, SetAside

BATCH_SIZE = 1000
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
        # Read from Django's content-type cache: no query once warm.
        model = ContentType.objects.get_for_id(type_id).model
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


def batches(queryset: models.QuerySet, size: int) -> Iterator[list[dict]]:
    # Keyset pagination on the primary key: every batch is one range read on
    # the primary key's index, however far the move has got. OFFSET would
    # scan past everything already done, batch after batch.
    last = 0
    while rows := list(queryset.filter(pk__gt=last).order_by("pk")[:size]):
        yield rows
        last = rows[-1]["id"]


def source_rows(source: type[models.Model], fields: list[str], size: int):
    # Each row says which table it came from: a SetAside names it.
    for rows in batches(source._default_manager.values("id", *fields), size):
        for row in rows:
            row["__source__"] = source
        yield rows


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
                    model._default_manager.bulk_create(objs)
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

    for rows in source_rows(source, fields, size):
        write(report, lambda rows=rows: decide(rows))


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    # Rows went in with explicit ids; on PostgreSQL the next ORM insert would
    # take id 1 from the sequence and collide. SQLite needs nothing: its
    # AUTOINCREMENT counter follows the largest id written.
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def rollback(
    target: str, pairs: list[tuple[type[models.Model], type[models.Model]]], size: int
) -> Counter:
    """Delete from each target table the rows whose ids its source holds.

    `pairs` is (source, target), dependants first. What the move wrote and
    what a dual write wrote go alike: the source holds both, and the site
    reads the source again. The report of rows set aside goes too.
    """
    deleted: Counter = Counter()
    for source, model in pairs:
        for rows in batches(source._default_manager.values("id"), size):
            ids = [row["id"] for row in rows]
            with transaction.atomic():
                count, _ = model._default_manager.filter(pk__in=ids).delete()
            deleted[model._meta.db_table] += count
    deleted["off_gfk_setaside"], _ = SetAside.objects.filter(target=target).delete()
    return deleted

"""python manage.py move_off_gfk --to check_constraint [--batch-size N] [--rollback]"""

from django.core.management.base import BaseCommand, CommandError

from gfk_baseline.models import SavedItem
from off_gfk import moving, to_check_constraint, to_linked_models
from off_gfk.models import UnguardedSavedItem

TARGETS = {
    to_check_constraint.TARGET: to_check_constraint,
    to_linked_models.TARGET: to_linked_models,
}
SAVES_FROM = {"gfk_baseline": SavedItem, "unguarded": UnguardedSavedItem}


class Command(BaseCommand):
    help = (
        "Copy gfk_baseline's tasks and saves into another pattern's tables, in"
        " batches; rows that can't move are set aside (off_gfk_setaside) with"
        " why. Safe to rerun; --rollback deletes the rows it wrote, and only those."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, choices=sorted(TARGETS))
        parser.add_argument("--batch-size", type=int, default=moving.BATCH_SIZE)
        parser.add_argument(
            "--saves-from",
            choices=sorted(SAVES_FROM),
            default="gfk_baseline",
            help="The GFK save table to read: gfk_baseline's, or off_gfk's copy"
            " without a unique constraint (which can hold duplicates).",
        )
        parser.add_argument(
            "--rollback",
            action="store_true",
            help="Delete from the target the rows the move wrote (off_gfk_movedrow),"
            " and the report of rows set aside; nothing else.",
        )

    def handle(self, *args, to, batch_size, saves_from, rollback, **options):
        # Checked before anything is read or written. Past the largest, a batch's
        # statements pass more parameters than SQLite takes (or, far past it,
        # a LIMIT the database can't hold).
        if not 1 <= batch_size <= moving.MAX_BATCH_SIZE:
            raise CommandError(
                f"--batch-size must be from 1 to {moving.MAX_BATCH_SIZE},"
                f" not {batch_size}"
            )
        target = TARGETS[to]
        source = SAVES_FROM[saves_from]
        if rollback:
            deleted, kept = target.rollback(batch_size)
            for table, count in sorted(deleted.items()):
                self.stdout.write(f"deleted {count} rows from {table}")
            for table, count in sorted(kept.items()):
                self.stdout.write(
                    f"kept {count} rows in {table}: rows the move didn't write"
                    " point at them"
                )
            return
        try:
            report = target.move(batch_size, saves_from=source)
        except moving.MoveRefused as refused:
            raise CommandError(
                f"move refused: {refused}. The batches before it are written;"
                " --rollback deletes them, and no other row."
            ) from None
        self.stdout.write("\n".join(report.lines()))

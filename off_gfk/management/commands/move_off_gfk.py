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
        " why. Safe to rerun; --rollback deletes what it wrote."
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
            help="Delete from the target every row whose id the source holds,"
            " and the report of rows set aside.",
        )

    def handle(self, *args, to, batch_size, saves_from, rollback, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        target = TARGETS[to]
        source = SAVES_FROM[saves_from]
        if rollback:
            deleted = target.rollback(batch_size, saves_from=source)
            for table, count in sorted(deleted.items()):
                self.stdout.write(f"deleted {count} rows from {table}")
            return
        try:
            report = target.move(batch_size, saves_from=source)
        except moving.MoveRefused as refused:
            raise CommandError(
                f"move refused: {refused}. The batches before it are written;"
                " --rollback deletes them."
            ) from None
        self.stdout.write("\n".join(report.lines()))

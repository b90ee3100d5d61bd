"""What moving off a GenericForeignKey keeps besides the moved rows.

`SetAside` is the move's report: every source row it could not move, with
why and the row itself, so nothing is dropped without a trace. `MovedRow` is
its ledger: every target row it wrote, all that --rollback deletes. `UnguardedSavedItem`
is the GFK save table most production code has (the article's: no unique
constraint), the source that can hold duplicate saves; gfk_baseline's own
table refuses them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class Reason(models.TextChoices):
    NOT_A_TARGET_KIND = "not_a_target_kind", "points at a model of no target kind"
    DANGLING = "dangling", "points at a row that no longer exists"
    DUPLICATE = "duplicate", "a second save of one item by one user"
    EXTRA_ON_WRONG_KIND = "extra_on_wrong_kind", "an extra the target keeps off it"
    ID_TAKEN = "id_taken", "the target holds a different row with its id"


class SetAside(models.Model):
    # Which move: the target app's label ("check_constraint", "linked_models").
    target = models.CharField(max_length=50)
    source_table = models.CharField(max_length=100)
    # Signed: a source id can be 0 or negative, and such a row is set aside
    # like any other.
    source_id = models.BigIntegerField()
    reason = models.CharField(max_length=30, choices=Reason)
    detail = models.CharField(max_length=200)
    # The source row as it was read: the report loses nothing the source held.
    row = models.JSONField(encoder=DjangoJSONEncoder)
    set_aside_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A rerun meets the same bad rows; it reports each once.
            models.UniqueConstraint(
                fields=["target", "source_table", "source_id"],
                name="%(app_label)s_%(class)s_once_per_move",
            )
        ]
        verbose_name = "row set aside"
        verbose_name_plural = "rows set aside"

    def __str__(self):
        return f"{self.source_table} #{self.source_id}: {self.detail}"


class MovedRow(models.Model):
    # Written in the batch's transaction with the row itself: a row here is a
    # row the move inserted, never one a dual write or the target's own code
    # put there. --rollback deletes these and only these.
    target = models.CharField(max_length=50)
    target_table = models.CharField(max_length=100)
    row_id = models.BigIntegerField()

    class Meta:
        constraints = [
            # Also the index --rollback walks: a target's table, by row_id.
            models.UniqueConstraint(
                fields=["target", "target_table", "row_id"],
                name="%(app_label)s_%(class)s_once_per_move",
            )
        ]
        verbose_name = "row the move wrote"
        verbose_name_plural = "rows the move wrote"

    def __str__(self):
        return (
            f"{self.target_table} #{self.row_id}, written by the move to {self.target}"
        )


class UnguardedSavedItem(models.Model):
    # gfk_baseline.SavedItem without its unique constraint, over the same
    # content types: a double click stores two rows, and they wait here for
    # the move to meet them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    item_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")
    created = models.DateTimeField(default=timezone.now, db_index=True)
    episode_progress = models.PositiveIntegerField(null=True, blank=True)
    watched = models.BooleanField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["item_type", "item_id"])]

    def __str__(self):
        kind = ContentType.objects.get_for_id(self.item_type_id).model
        return f"{kind} #{self.item_id} saved by user #{self.user_id}"

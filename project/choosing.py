"""Which pattern to pick: the questions a team answers, and the verdicts.

Each verdict cites rows of the comparison (the matrix rendered from
tests/patterns/): the cells of the patterns it recommends must say what it
claims, every pattern it warns against must fail at least one cited row, and
every pattern with cells in the cited rows is on one side or the other.
tests/test_choosing.py checks all three against the current declarations, so a
verdict can't outlive the measurements behind it; render_docs writes them
into docs/choosing.md and the README's summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from project.patterns import DATABASES

SAFE = {"rejected", "can't be written"}


@dataclass(frozen=True)
class Cite:
    """A matrix row, and the cells that support a recommendation on it."""

    row: str
    good: frozenset[str]


def cite(row: str, *good: str) -> Cite:
    return Cite(row, frozenset(good))


@dataclass(frozen=True)
class Verdict:
    question: str
    answer: str
    pick: tuple[str, ...]
    avoid: tuple[str, ...]
    because: str
    cites: tuple[Cite, ...]
    # Where a database breaks a pick: vendor -> the picks to avoid there.
    not_on: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def on(self, vendor: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(pick, avoid) on one database."""
        dropped = self.not_on.get(vendor, ())
        pick = tuple(app for app in self.pick if app not in dropped)
        return pick, (*self.avoid, *dropped)


GUARANTEES = (
    cite("task pointing at a missing owner", *SAFE),
    cite("task owned by a person and a group", *SAFE),
    cite("task owned by nobody", *SAFE),
    cite("owner deleted with raw SQL", *SAFE),
    cite("save pointing at two or three items", *SAFE),
    cite("save pointing at no item", *SAFE),
    cite("save pointing at a missing item", *SAFE),
    cite("item deleted with raw SQL", *SAFE),
)

VERDICTS = (
    Verdict(
        question="Must the database itself refuse a bad link, whoever writes it"
        " (raw SQL, update(), bulk_create(), another service)?",
        answer="yes",
        pick=(
            "check_constraint",
            "owner_table",
            "linked_models",
            "typed_models",
            "m2m_fields",
        ),
        avoid=(
            "gfk_baseline",
            "nullable_fks",
            "owner_o2o",
            "mti",
            "polymorphic_models",
            "inheritance_manager",
        ),
        because="Only these refuse, or have no columns for, every bad link the"
        " suite writes past Python: a missing target, two targets, none, and a"
        " target deleted under the link. typed_models holds them because every"
        " kind is a row of one table, so a link is one foreign key (it pays in"
        " each kind's own fields, below); m2m_fields because each kind's saves"
        " are a table of foreign keys (it has no tasks). The GFK can't check an"
        " id it can't join; nullable FKs without a constraint store both or"
        " neither; an Owner row pointed at from its targets (owner_o2o, mti,"
        " and the two libraries on mti's schema, polymorphic_models and"
        " inheritance_manager) can stand for two of them or for nobody.",
        cites=GUARANTEES,
    ),
    Verdict(
        question="Do the links carry fields of their own that depend on the"
        " target's type (an anime save's episode progress, a movie's watched"
        " flag)?",
        answer="yes",
        pick=("linked_models", "check_constraint"),
        avoid=(
            "gfk_baseline",
            "nullable_fks",
            "owner_table",
            "owner_o2o",
            "mti",
            "m2m_fields",
            "polymorphic_models",
            "inheritance_manager",
            "typed_models",
        ),
        because="A table per type (linked_models) gives each type's extras"
        " columns nowhere else; one table of links with a column per type"
        " (check_constraint) can tie each extra to its type with a"
        " CheckConstraint. Where the type lives in another table (the GFK's"
        " content type, an Owner, Item or Media row, a parent row, as in the"
        " libraries on mti's schema, or typed_models' type column on its one"
        " Media table) no constraint can see it, and a plain many-to-many has"
        " nowhere to put an extra.",
        cites=(
            cite("per-type extras", "yes"),
            cite("extra of another kind on a save", *SAFE),
        ),
    ),
    Verdict(
        question="Do you show one list across the types, newest first, paged"
        " by the database?",
        answer="yes",
        pick=(
            "gfk_baseline",
            "nullable_fks",
            "check_constraint",
            "owner_table",
            "owner_o2o",
            "mti",
            "linked_models",
            "polymorphic_models",
            "inheritance_manager",
            "typed_models",
        ),
        avoid=("m2m_fields",),
        because="Every pattern with a saved-at column, the three libraries"
        " included, reads a page of the feed in one query, the UNION of"
        " linked_models too; the GFK as well, once each target declares a"
        " GenericRelation with a related_query_name. A plain ManyToManyField"
        " records no time, so its feed can't be newest first.",
        cites=(
            cite("feed newest first", "yes"),
            cite("`saved_feed()` page queries", "1"),
        ),
    ),
    Verdict(
        question="Are rows deleted other than through your Django code (raw"
        " SQL, another service, a DBA)?",
        answer="yes",
        pick=(
            "nullable_fks",
            "check_constraint",
            "owner_table",
            "linked_models",
            "typed_models",
            "m2m_fields",
        ),
        avoid=(
            "gfk_baseline",
            "owner_o2o",
            "mti",
            "polymorphic_models",
            "inheritance_manager",
        ),
        because="With a foreign key from the link to its target (to"
        " typed_models' one table of every kind, or from m2m_fields' through"
        " tables) the database refuses a DELETE that would orphan a link. The"
        " GFK's id has no key, and in owner_o2o, mti and the libraries on mti's"
        " schema (polymorphic_models, inheritance_manager) the tasks point at"
        " an Owner row that no key ties to the person or group, so deleting"
        " that row leaves them on nobody.",
        cites=(
            cite("owner deleted with raw SQL", "rejected"),
            cite("item deleted with raw SQL", "rejected"),
        ),
    ),
    Verdict(
        question="Do you delete with Model.delete() (your code, a signal, the"
        " shell) and expect the links to go too?",
        answer="yes",
        pick=(
            "gfk_baseline",
            "nullable_fks",
            "check_constraint",
            "owner_table",
            "mti",
            "linked_models",
            "m2m_fields",
            "polymorphic_models",
            "inheritance_manager",
            "typed_models",
        ),
        avoid=("owner_o2o",),
        because="Model.delete() cascades to the links everywhere, the three"
        " libraries and m2m_fields included, but in owner_o2o, where the"
        " one-to-one runs from Person to Owner: deleting a person leaves the"
        " Owner row and its tasks, so every delete must go through its"
        " delete_owner() (its admin does). On MariaDB owner_table joins it: a"
        " foreign key there can't wait for the commit, so Django first empties"
        " the Owner row's link, which its CheckConstraint refuses; its"
        " delete_owner() deletes the Owner rows first instead.",
        cites=(
            cite("owner deleted through the ORM", "cascaded"),
            cite("item deleted through the ORM", "cascaded"),
        ),
        not_on={"mysql": ("owner_table",)},
    ),
    Verdict(
        question="Is the set of target types open: any model, including ones"
        " you don't own (tagging, audit logs, comments on anything)?",
        answer="yes",
        pick=("gfk_baseline",),
        avoid=(
            "nullable_fks",
            "check_constraint",
            "owner_table",
            "owner_o2o",
            "mti",
            "linked_models",
            "m2m_fields",
            "polymorphic_models",
            "inheritance_manager",
            "typed_models",
        ),
        because="Only a GenericForeignKey names its target as data, so a new"
        " target type needs no migration. Every other pattern, hand-written or"
        " a library, links through a foreign key to a table the schema names,"
        " which is why each refuses a link to a missing row, and why each new"
        " target type is a migration (and, for the libraries, a subclass of"
        " their base model). The GFK pays with every guarantee the other"
        " patterns keep: the database stores a link to a row that doesn't"
        " exist, and a raw delete leaves links on nothing. The joins that make"
        " its reads as cheap as the others' need a GenericRelation on each"
        " target, which a model you don't own won't have. For one unknown"
        " target chosen per project (a reusable app), swappable gives a real"
        " foreign key instead (swappable/README.md).",
        cites=(
            cite("task pointing at a missing owner", "**accepted (corrupt)**"),
            cite("save pointing at a missing item", "**accepted (corrupt)**"),
            cite("owner deleted with raw SQL", "**accepted (corrupt)**"),
        ),
    ),
    Verdict(
        question="Will you add target types often, to tables that already hold"
        " many rows, on a site that must not stall while it migrates?",
        answer="yes",
        pick=(
            "gfk_baseline",
            "owner_o2o",
            "mti",
            "linked_models",
            "m2m_fields",
            "polymorphic_models",
            "inheritance_manager",
        ),
        avoid=("nullable_fks", "check_constraint", "owner_table", "typed_models"),
        because="Where a new type is a new table (a child table, a table of"
        " tasks or saves of its own, a ManyToManyField's table), the migration"
        " alters no table that holds rows: the new table's foreign key locks"
        " the table it points at against writes while it is made, and SQLite"
        " rebuilds nothing. Where a new type is a column and a rewritten CHECK"
        " on a table full of rows (nullable_fks, check_constraint, owner_table)"
        " or a column on the one shared table (typed_models), PostgreSQL holds"
        " ACCESS EXCLUSIVE, so even reads wait, until the migration commits,"
        " and SQLite copies the table row by row. NOT VALID and a separate"
        " VALIDATE don't change that for check_constraint and owner_table: the"
        " new column's foreign key and unique index take the same lock in the"
        " same transaction. The GFK's migration adds only the new models'"
        " tables; its code still changes in as many places as the others'"
        " (docs/adding-a-type.md counts them).",
        cites=(
            cite("adding a type: tables with rows SQLite rebuilds", "0"),
            cite(
                "adding a type: PostgreSQL's strongest lock on a table with rows",
                "ROW EXCLUSIVE",
                "SHARE ROW EXCLUSIVE",
            ),
        ),
    ),
)


LIBRARIES = (
    Verdict(
        question="Must the database require each kind's own fields (a"
        " group's creator, a movie's year)?",
        answer="yes",
        pick=(
            "gfk_baseline",
            "nullable_fks",
            "check_constraint",
            "owner_table",
            "owner_o2o",
            "mti",
            "linked_models",
            "m2m_fields",
            "polymorphic_models",
            "inheritance_manager",
        ),
        avoid=("typed_models",),
        because="Single-table inheritance keeps every kind in one table, so a"
        " field only one kind has is a column of every row and must be"
        " NULL-able: the database can't require it of its kind. Every other"
        " pattern gives each kind a table, or a row, of its own (m2m_fields"
        " has no owners, and a table per media kind).",
        cites=(
            cite("group with no creator", *SAFE),
            cite(
                "media item without its kind's own field (year, episodes, volumes)",
                *SAFE,
            ),
        ),
    ),
    Verdict(
        question="Must a task's owner come back as its kind (a Person, a"
        " Group) at the cost of a join, alone or in a naive listing?",
        answer="yes",
        pick=(
            "gfk_baseline",
            "nullable_fks",
            "check_constraint",
            "owner_table",
            "owner_o2o",
            "mti",
            "linked_models",
            "inheritance_manager",
            "typed_models",
        ),
        avoid=("polymorphic_models",),
        because="Every pattern but django-polymorphic reads a task's owner as"
        " its kind in one SELECT, and batches a naive listing under Django"
        " 6.1's FETCH_PEERS. The hand-written ones spell the joins out in"
        " their queries.py; two libraries spare you that, which is where a"
        " library beats writing it by hand: InheritanceManager joins every"
        " child table into one SELECT when a query starts from the parent, and"
        " typed-models has no child table to join: a row's class is its type"
        " column. django-polymorphic reads the parent row, then the child its"
        " type names, and the relations of the children it builds escape"
        " FETCH_PEERS. The libraries save code, not queries: mti's queries do"
        " what InheritanceManager does. m2m_fields"
        " has no tasks, so no row here speaks for it.",
        cites=(
            cite("`owner_of()`: a person's task / a group's", "1"),
            # The same count at both sizes: batched, not growing.
            cite(
                "naive listing at 3 / 30 owners of each kind, FETCH_PEERS",
                "3 / 3",
                "4 / 4",
                "5 / 5",
            ),
        ),
    ),
)

DEFAULT = Verdict(
    question="None of the above decides it: what is the safe default for a"
    " closed set of target types?",
    answer="yes",
    pick=("check_constraint", "linked_models", "m2m_fields"),
    avoid=(
        "gfk_baseline",
        "nullable_fks",
        "owner_table",
        "owner_o2o",
        "mti",
        "polymorphic_models",
        "inheritance_manager",
        "typed_models",
    ),
    because="check_constraint and linked_models keep every rule in the"
    " database, extras included, and list tasks and saves in one query, as"
    " every pattern can (the rows folded under the matrix). Pick"
    " check_constraint when the types share one table's worth of columns and"
    " you want one row per link. Pick linked_models when each type's links have"
    " their own fields, or when the price of its combined lists (a UNION, a"
    " count per task table, a prefetch more per page: the cost rows) is fair"
    " for no NULLs at all. m2m_fields keeps every rule too, but only for saves"
    " that carry nothing, not even a time (it has no tasks, and its feed"
    " can't be newest first). None of the libraries is a safe default: the"
    " two on mti's schema keep its gaps, and typed_models holds every link but"
    " takes an extra of another kind, and can't require a kind's own fields.",
    cites=(*GUARANTEES, cite("extra of another kind on a save", *SAFE)),
)
VERDICTS = (*VERDICTS, *LIBRARIES, DEFAULT)


def summary_rows() -> list[tuple[str, str, str]]:
    """(question, pick, avoid) for the README's table."""

    def names(apps):
        return ", ".join(f"`{app}`" for app in apps) or "-"

    def avoid(verdict):
        text = names(verdict.avoid)
        for vendor, apps in verdict.not_on.items():
            text += f"; on {DATABASES[vendor]}, {names(apps)} too"
        return text

    return [(v.question, names(v.pick), avoid(v)) for v in VERDICTS]

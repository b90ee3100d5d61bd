"""owner_o2o and mti are twins: their tables differ only where the pattern does.

An MTI parent link is a one-to-one that is also the primary key. Anything
else a reader finds in one schema and not the other is named here, with the
reason, so a new difference fails until it is argued for.
"""

from django.apps import apps
from django.db import models

from mti import queries as mti_queries
from owner_o2o import queries as o2o_queries


def tables(app_label: str) -> dict[str, dict[str, str]]:
    """Model -> {column: what it holds}, with the link to the parent row read
    as one column named after the parent, whether it is a one-to-one beside an
    id (owner_o2o) or the primary key itself (mti)."""
    schema = {}
    for model in apps.get_app_config(app_label).get_models():
        columns = {}
        parent_link = next(
            (
                f
                for f in model._meta.local_concrete_fields
                if isinstance(f, models.OneToOneField)
            ),
            None,
        )
        for field in model._meta.local_concrete_fields:
            if field is parent_link:
                columns[field.related_model.__name__.lower()] = "parent link"
            elif field.primary_key and parent_link is not None:
                continue  # owner_o2o's own id beside the link; mti has none
            elif field.is_relation:
                columns[field.name] = f"-> {field.related_model.__name__}"
            else:
                columns[field.name] = type(field).__name__
        schema[model.__name__] = columns
    return schema


def test_the_twins_have_the_same_tables_apart_from_where_title_lives():
    o2o, mti = tables("owner_o2o"), tables("mti")
    assert o2o.keys() == mti.keys()
    # The one difference, and a choice rather than a rule: each twin at its
    # strongest. In mti a parent's fields are fields of every child model
    # (forms, admin, str() all see them); owner_o2o's one-to-one can't offer
    # that, so a title on its Media row would cost a second form and a join.
    # See the comments on both Media models.
    for kind in ("Movie", "Anime", "Manga"):
        assert o2o[kind].pop("title") == "CharField"
    assert mti["Media"].pop("title") == "CharField"
    assert o2o == mti


def test_the_twins_share_their_helpers_and_scenario_functions():
    # Same names for the same roles. owner_o2o's one extra exists because its
    # cascade runs from Owner to Person, never back: deletes start from the
    # Owner rows. In mti, deleting a child deletes its parent row.
    def defined(module):
        return {
            name
            for name, value in vars(module).items()
            if getattr(value, "__module__", None) == module.__name__
            or (name.isupper() and not isinstance(value, type))
        }

    only_o2o = defined(o2o_queries) - defined(mti_queries)
    only_mti = defined(mti_queries) - defined(o2o_queries)
    assert (only_o2o, only_mti) == ({"owner_rows_of"}, set())

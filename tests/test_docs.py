"""The docs state only what the declared tables say (and the suite measures)."""

from project.management.commands.render_docs import stale_files


def test_rendered_docs_match_the_declared_tables():
    # Fails when a declared number changes without `python manage.py render_docs`.
    assert stale_files() == []

"""The pattern apps' schemas with Django 6.1's DB_CASCADE, for the delete timings.

Each subpackage declares unmanaged twins of one pattern's models over that
pattern's own tables, with every on_delete the pattern allows at the database
level set to DB_CASCADE (docs/db-on-delete.md says which, and why
`gfk_baseline` and `m2m_fields` have none). The worker first times the
pattern's ORM-emulated cascade, then has Django's schema editor alter each of
those foreign keys to its twin's (ON DELETE CASCADE, the migration Django
would write), and times the same delete through the twins: one DELETE, the
database does the rest. Same rows, same indexes, no second load.

Only the columns a delete touches are declared: a twin is never read.
"""

"""The registry of pattern apps: one place the index, URLs, demo and tests read."""

# In the order the docs compare them: the baseline first, then the articles'
# alternatives in their own order.
PATTERN_APPS = [
    "gfk_baseline",
    "nullable_fks",
    "check_constraint",
    "owner_table",
    "owner_o2o",
    "mti",
    "linked_models",
    "m2m_fields",
    # What teams install instead of writing a pattern by hand.
    "polymorphic_models",
    "inheritance_manager",
    "typed_models",
]

# The apps built on a library rather than by hand.
LIBRARY_APPS = ["polymorphic_models", "inheritance_manager", "typed_models"]

# Apps that model the ownership domain (Person/Group/Task); m2m_fields only
# fits the saves domain.
OWNERSHIP_APPS = [app for app in PATTERN_APPS if app != "m2m_fields"]
SAVES_APPS = list(PATTERN_APPS)

# The databases the suite runs on, as Django's connection.vendor names them,
# and as the docs name them.
DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MariaDB"}

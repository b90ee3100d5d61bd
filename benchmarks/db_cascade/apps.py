from django.apps import AppConfig


# One app per pattern: the twins keep the pattern's model names.
class NullableFks(AppConfig):
    name = "benchmarks.db_cascade.nullable_fks"
    label = "dbc_nullable_fks"


class CheckConstraint(AppConfig):
    name = "benchmarks.db_cascade.check_constraint"
    label = "dbc_check_constraint"


class OwnerTable(AppConfig):
    name = "benchmarks.db_cascade.owner_table"
    label = "dbc_owner_table"


class OwnerO2O(AppConfig):
    name = "benchmarks.db_cascade.owner_o2o"
    label = "dbc_owner_o2o"


class Mti(AppConfig):
    name = "benchmarks.db_cascade.mti"
    label = "dbc_mti"


class LinkedModels(AppConfig):
    name = "benchmarks.db_cascade.linked_models"
    label = "dbc_linked_models"

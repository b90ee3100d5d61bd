from django.apps import AppConfig


class NullableFksConfig(AppConfig):
    name = "nullable_fks"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Nullable FKs"

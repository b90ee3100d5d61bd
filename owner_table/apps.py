from django.apps import AppConfig


class OwnerTableConfig(AppConfig):
    name = "owner_table"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Owner table"

from django.apps import AppConfig


class OwnerO2oConfig(AppConfig):
    name = "owner_o2o"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Owner O2O"

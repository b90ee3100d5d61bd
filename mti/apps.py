from django.apps import AppConfig


class MtiConfig(AppConfig):
    name = "mti"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "MTI"

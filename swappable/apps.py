from django.apps import AppConfig


class SwappableConfig(AppConfig):
    name = "swappable"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Swappable"

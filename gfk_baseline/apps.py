from django.apps import AppConfig


class GfkBaselineConfig(AppConfig):
    name = "gfk_baseline"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "GFK baseline"

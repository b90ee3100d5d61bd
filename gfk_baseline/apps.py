from django.apps import AppConfig


class GfkBaselineConfig(AppConfig):
    name = "gfk_baseline"

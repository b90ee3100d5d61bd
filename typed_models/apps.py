from django.apps import AppConfig


class TypedModelsConfig(AppConfig):
    name = "typed_models"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Typed models"

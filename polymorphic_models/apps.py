from django.apps import AppConfig


class PolymorphicModelsConfig(AppConfig):
    name = "polymorphic_models"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Polymorphic models"

from django.apps import AppConfig


class PolymorphicModelsConfig(AppConfig):
    name = "polymorphic_models"

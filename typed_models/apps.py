from django.apps import AppConfig


class TypedModelsConfig(AppConfig):
    name = "typed_models"

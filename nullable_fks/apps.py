from django.apps import AppConfig


class NullableFksConfig(AppConfig):
    name = "nullable_fks"

from django.apps import AppConfig


class MtiConfig(AppConfig):
    name = "mti"

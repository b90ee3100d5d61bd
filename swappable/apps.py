from django.apps import AppConfig


class SwappableConfig(AppConfig):
    name = "swappable"

from django.apps import AppConfig


class LinkedModelsConfig(AppConfig):
    name = "linked_models"

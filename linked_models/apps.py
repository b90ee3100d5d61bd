from django.apps import AppConfig


class LinkedModelsConfig(AppConfig):
    name = "linked_models"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Linked models"

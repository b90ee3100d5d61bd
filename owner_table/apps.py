from django.apps import AppConfig


class OwnerTableConfig(AppConfig):
    name = "owner_table"

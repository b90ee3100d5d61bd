from django.apps import AppConfig


class OwnerO2oConfig(AppConfig):
    name = "owner_o2o"

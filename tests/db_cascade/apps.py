from django.apps import AppConfig


class DbCascadeConfig(AppConfig):
    name = "tests.db_cascade"
    label = "db_cascade"

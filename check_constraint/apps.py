from django.apps import AppConfig


class CheckConstraintConfig(AppConfig):
    name = "check_constraint"

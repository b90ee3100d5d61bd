from django.apps import AppConfig


class CheckConstraintConfig(AppConfig):
    name = "check_constraint"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Check constraint"

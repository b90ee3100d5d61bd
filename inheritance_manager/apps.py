from django.apps import AppConfig


class InheritanceManagerConfig(AppConfig):
    name = "inheritance_manager"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "Inheritance manager"

from django.apps import AppConfig


class InheritanceManagerConfig(AppConfig):
    name = "inheritance_manager"

from django.apps import AppConfig


class M2mFieldsConfig(AppConfig):
    name = "m2m_fields"

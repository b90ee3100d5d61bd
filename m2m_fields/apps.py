from django.apps import AppConfig


class M2mFieldsConfig(AppConfig):
    name = "m2m_fields"
    # The admin shows this, in the comparison's order (project/admin.py).
    verbose_name = "M2M fields"

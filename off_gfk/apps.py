from django.apps import AppConfig


class OffGfkConfig(AppConfig):
    name = "off_gfk"
    verbose_name = "Moving off a GFK"

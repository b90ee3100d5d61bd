"""Load the same small demo dataset into every pattern app, once.

Safe to run again: an app that already has its demo rows is left alone, and the
demo login is created only if missing.
"""

import importlib
from datetime import timedelta

import swapper
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from project.dataset import build_media, build_ownership, build_saves
from project.patterns import OWNERSHIP_APPS, SAVES_APPS

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # a local demo login; never deploy this project as is


class Command(BaseCommand):
    help = "Load the demo dataset into every pattern app and create the demo login."

    def add_arguments(self, parser):
        parser.add_argument(
            "apps",
            nargs="*",
            metavar="app",
            help="only these apps (default: every pattern app and swappable)",
        )

    def handle(self, *args, apps=(), **options):
        chosen = set(apps or [*SAVES_APPS, "swappable"])
        unknown = chosen - {*SAVES_APPS, "swappable"}
        if unknown:
            raise CommandError(f"no such app: {', '.join(sorted(unknown))}")
        user = self.demo_user()
        start = timezone.now() - timedelta(days=1)
        for app in [app for app in SAVES_APPS if app in chosen]:
            q = importlib.import_module(f"{app}.queries")
            with transaction.atomic():
                loaded = []
                if app in OWNERSHIP_APPS and not self.has_rows(app, "Person"):
                    build_ownership(q, 3)
                    loaded.append("ownership")
                if not self.has_rows(app, "Movie"):
                    # Save all twelve: more than one dashboard page of ten.
                    build_saves(q, user, build_media(q, 4), start)
                    loaded.append("saves")
            state = ", ".join(loaded) + " loaded" if loaded else "already loaded"
            self.stdout.write(f"{app:18} {state}")
        if "swappable" in chosen:
            self.stdout.write(f"{'swappable':18} {self.load_swappable()}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}"
                " (a superuser: it opens /admin/ too)"
            )
        )

    def load_swappable(self):
        # A task for each of two owners of whichever model SWAPPABLE_OWNER_MODEL
        # names: the app's own Owner by default, mti persons when swapped.
        from swappable import queries as swappable

        if apps.get_model("swappable", "Task").objects.exists():
            return "already loaded"
        with transaction.atomic():
            if swapper.is_swapped("swappable", "Owner"):
                Person = apps.get_model("mti", "Person")
                owners = list(Person.objects.order_by("pk")[:2])
            else:
                Owner = swapper.load_model("swappable", "Owner")
                owners = [Owner.objects.create(name=n) for n in ("Ada", "Grace")]
            for owner in owners:
                swappable.create_task(f"{owner} task", owner)
        return "loaded"

    def has_rows(self, app, model_name):
        return apps.get_model(app, model_name)._default_manager.exists()

    def demo_user(self):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

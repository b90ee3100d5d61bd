import pytest
import swapper
from django.apps import apps
from django.conf import settings

SWAPPED = bool(swapper.is_swapped("swappable", "Owner"))


def pytest_runtest_setup(item):
    # The `swapped` marker (registered in pyproject.toml) means "only under
    # project.settings_swapped": elsewhere there is nothing for it to test.
    if item.get_closest_marker("swapped") and not SWAPPED:
        pytest.skip("Owner is not swapped out: run with --ds=project.settings_swapped")


def _default_owner(name):
    return apps.get_model("swappable", "Owner").objects.create(name=name)


def _mti_person(name):
    # mti.Owner holds nothing but an id; a Person *is* an Owner, and the kind
    # of owner that project would hand to a task.
    return apps.get_model("mti", "Person").objects.create(name=name)


@pytest.fixture
def make_owner():
    # One way to make an owner per target this repo is run with.
    return {"swappable.Owner": _default_owner, "mti.Owner": _mti_person}[
        settings.SWAPPABLE_OWNER_MODEL
    ]

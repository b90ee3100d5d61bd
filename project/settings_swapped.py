"""The project settings with swappable's Task.owner pointed at mti.Owner.

mti.Owner is the concrete parent of mti's Person and Group, so every person and
group of that app is an owner a swappable Task can point at. Run with
`pytest swappable --ds=project.settings_swapped` (make test-swapped). A database
migrated under one setting can't be switched to the other: use a fresh one.
"""

from project.settings import *  # noqa: F403

SWAPPABLE_OWNER_MODEL = "mti.Owner"

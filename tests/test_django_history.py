"""The Django versions the docs name, each checked against Django's own code.

The docs say where Django has moved since the articles: "GenericPrefetch
(Django 5.0)", "check= ... removed in Django 6.0". Each such version is a
claim: the feature is in that release's code and not in the one before (or,
for a removal, the reverse). The claims are listed once below, and every
"Django N.N" the docs mention must belong to one of them.

Checking a release's code needs its wheel from PyPI, so that part is marked
`history` and runs in `make test-history` (and CI), not in `make test`; the
docs half runs everywhere.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import django
import pytest
from django.conf import settings

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "django-wheels"
CURRENT = ".".join(map(str, django.VERSION[:2]))


@dataclass(frozen=True)
class Claim:
    """`text` appears in `path` from release `since` on, and not before it
    (`before`); or, for `removed`, the other way round."""

    feature: str
    # Words that name the feature in the docs' sentence.
    keywords: tuple[str, ...]
    since: str
    before: str
    path: str
    text: str
    removed: bool = False


CLAIMS = [
    Claim(
        "constraints checked by model validation",
        ("full_clean", "model validation", "model forms"),
        "4.1",
        "4.0",
        "django/db/models/base.py",
        "def validate_constraints",
    ),
    Claim(
        "XOR of Q objects",
        ("XOR", "^"),
        "4.1",
        "4.0",
        "django/db/models/query_utils.py",
        "def __xor__",
    ),
    Claim(
        "XOR of three or more as parity on every database",
        ("parity", "odd"),
        "5.0",
        "4.2",
        "django/db/models/sql/where.py",
        "rhs_sum = Mod(rhs_sum, 2)",
    ),
    Claim(
        "GenericPrefetch",
        ("GenericPrefetch",),
        "5.0",
        "4.2",
        "django/contrib/contenttypes/prefetch.py",
        "class GenericPrefetch",
    ),
    Claim(
        "violation_error_code",
        ("violation_error_code",),
        "5.0",
        "4.2",
        "django/db/models/constraints.py",
        "violation_error_code",
    ),
    Claim(
        "CheckConstraint(check=...) removed",
        ("check=",),
        "6.0",
        "5.2",
        "django/db/models/constraints.py",
        "check=None",
        removed=True,
    ),
    Claim(
        "fetch modes",
        ("FETCH_PEERS", "FETCH_ONE", "FETCH_RAISE", "fetch mode"),
        "6.1",
        "6.0",
        "django/db/models/fetch_modes.py",
        "FETCH_PEERS",
    ),
    Claim(
        "database-level on_delete",
        ("DB_CASCADE", "on_delete"),
        "6.1",
        "6.0",
        "django/db/models/deletion.py",
        "DB_CASCADE",
    ),
]

# The releases the claims compare, and where their wheels are kept.
RELEASES = sorted({v for c in CLAIMS for v in (c.since, c.before)} - {CURRENT})


def docs() -> list[Path]:
    base = Path(settings.BASE_DIR)
    pages = [base / "README.md", *(base / "docs").glob("*.md")]
    return pages + list(base.glob("*/README.md"))


VERSION = re.compile(r"Django (\d+\.\d+)")


def unclaimed_versions(text: str) -> list[str]:
    """Each "Django N.N" (but the installed one) whose sentence names no claim
    made since that version."""
    unclaimed = []
    for sentence in re.split(r"(?<=[.;:])\s+|\n\n|\n- ", text):
        for version in VERSION.findall(sentence):
            if version == CURRENT:
                continue
            if not any(
                version == claim.since
                and any(word in sentence for word in claim.keywords)
                for claim in CLAIMS
            ):
                unclaimed.append(f"Django {version}: {sentence.strip()[:100]}")
    return unclaimed


@pytest.mark.parametrize("doc", docs(), ids=lambda p: p.parent.name or p.name)
def test_every_django_version_the_docs_name_is_a_checked_claim(doc):
    assert unclaimed_versions(doc.read_text()) == []


def test_the_version_check_catches_a_version_named_without_a_claim():
    assert unclaimed_versions("GenericPrefetch arrived in Django 4.2.")
    assert not unclaimed_versions("GenericPrefetch arrived in Django 5.0.")


# Against the releases themselves (PyPI) ------------------------------------------


def wheel(version: str) -> zipfile.ZipFile:
    """The newest patch release of `version`, from PyPI, cached between runs."""
    CACHE.mkdir(parents=True, exist_ok=True)
    found = sorted(CACHE.glob(f"[Dd]jango-{version}.*-py3-none-any.whl"))
    if not found:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                str(CACHE),
                f"Django~={version}.0",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        found = sorted(CACHE.glob(f"[Dd]jango-{version}.*-py3-none-any.whl"))
    return zipfile.ZipFile(found[-1])


def has(version: str, path: str, text: str) -> bool:
    if version == CURRENT:
        file = Path(django.__file__).parent.parent / path
        return file.exists() and text in file.read_text()
    archive = wheel(version)
    return path in archive.namelist() and text in archive.read(path).decode()


@pytest.mark.history
@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.feature)
def test_each_claimed_version_is_where_django_changed(claim):
    in_since = has(claim.since, claim.path, claim.text)
    in_before = has(claim.before, claim.path, claim.text)
    if claim.removed:
        assert (in_before, in_since) == (True, False)
    else:
        assert (in_before, in_since) == (False, True)

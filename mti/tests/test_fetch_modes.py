import pytest
from django.core.exceptions import FieldFetchBlocked
from django.db.models import FETCH_RAISE

from mti.models import Owner, Person

pytestmark = pytest.mark.django_db


def test_deleting_a_child_loaded_under_fetch_raise_trips_on_its_parent_link():
    # Django 6.1 trap: the deletion collector reads person.owner_ptr to find
    # the parent row to delete, a lazy load that FETCH_RAISE blocks, even when
    # the query select_related() the parent. A project that opts into
    # FETCH_RAISE must delete MTI children from instances loaded in another
    # mode. If this test fails, Django has fixed it: update mti/README.md.
    Person.objects.create(name="Alice")
    plain = Person.objects.fetch_mode(FETCH_RAISE).get()
    with pytest.raises(FieldFetchBlocked, match="owner_ptr"):
        plain.delete()
    joined = Person.objects.fetch_mode(FETCH_RAISE).select_related("owner_ptr").get()
    with pytest.raises(FieldFetchBlocked, match="owner_ptr"):
        joined.delete()
    assert (Person.objects.count(), Owner.objects.count()) == (1, 1)

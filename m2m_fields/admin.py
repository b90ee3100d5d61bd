from django.contrib import admin

from .models import Anime, Manga, Movie

# No save model to register: a save is a row of a hidden through table. The
# item's form doesn't offer saved_by as a field: a many-to-many field submits
# the whole set, so saving a movie would delete every save made while its form
# was open. Each save is an inline row instead, and the form adds the rows it
# adds and deletes the rows ticked for deletion, nothing else. It shows who
# saved an item, never when: the through table has no such column.


class SaveInline(admin.TabularInline):
    verbose_name = "save"
    verbose_name_plural = "saves"
    # A plain id box with a lookup popup, not one <option> per user: an inline
    # repeats its user widget on every save row, so a drop-down would list all
    # users once per save. The other apps edit a save on a form of its own,
    # with one user drop-down, and keep Django's default there.
    raw_id_fields = ["user"]
    extra = 0


class MovieSaves(SaveInline):
    model = Movie.saved_by.through


class AnimeSaves(SaveInline):
    model = Anime.saved_by.through


class MangaSaves(SaveInline):
    model = Manga.saved_by.through


for media, saves in ((Movie, MovieSaves), (Anime, AnimeSaves), (Manga, MangaSaves)):
    admin.site.register(
        media,
        list_display=["title"],
        search_fields=["title"],
        exclude=["saved_by"],
        inlines=[saves],
    )

from django.contrib import admin

from .models import Anime, Manga, Movie

# No save model to register: a save is a row of a hidden through table, edited
# from the item's page. The widget shows who saved it, never when.
for media in (Movie, Anime, Manga):
    admin.site.register(
        media,
        list_display=["title"],
        search_fields=["title"],
        # Searchable picker over users instead of one <option> per user.
        autocomplete_fields=["saved_by"],
    )

"""A workspace's vocabulary for figures: outcomes, sub-groups, the words that
mean them, and the gazetteer of places."""

from django.apps import AppConfig


class VocabularyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vocabulary"

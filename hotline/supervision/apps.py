"""Supervision cases, urging and difficult-matter coordination (Art. 19, 24, 28); built on tickets."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """On the floor above tickets, beside intake and knowledge (docs/architecture.md)."""

    name = "hotline.supervision"
    label = "supervision"

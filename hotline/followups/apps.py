"""Follow-up desk, citizens' ratings from every channel and units' appeals (Art. 15, 17, 25, 29); built on tickets."""

from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    """On the floor above tickets, beside intake and knowledge (docs/architecture.md)."""

    name = "hotline.followups"
    label = "followups"

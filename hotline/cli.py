"""The `hotline` console command: Django's management commands under the product's own name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command, e.g. `hotline demo`, `hotline sweep`, `hotline migrate`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hotline", *sys.argv[1:]])


if __name__ == "__main__":
    main()

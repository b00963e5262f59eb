"""WSGI entry point for waitress (embedded) or any WSGI server (production: gunicorn, `hotline/server.py`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
application = get_wsgi_application()

# Refuse to start on a key set that cannot read this database (a restore without its key file), with the reason.
from django.conf import settings  # noqa: E402  (needs the apps loaded above)

from hotline.lib.proxies import behind_proxies  # noqa: E402
from hotline.vault.startup import verify  # noqa: E402

verify()
application = behind_proxies(application, settings.HOTLINE_PROXIES)

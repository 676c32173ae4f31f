"""WSGI entry point: ``gunicorn kmportal.wsgi`` (production settings unless told otherwise)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmportal.settings.prod")

application = get_wsgi_application()

# Partial uploads of a worker that was killed: the web process starts with a clean temp folder.
from apps.core.tempfiles import remove_stale  # noqa: E402 - needs the settings set up above

remove_stale()

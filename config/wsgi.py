import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A missing or corrupted extraction model stops the server here, with its reason.
from apps.quotes.extraction.model import current  # noqa: E402

current()

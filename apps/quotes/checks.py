"""Start-up check: the extraction model loads. A broken artifact stops the server
(``runserver``, ``migrate``, every command that runs checks, and the WSGI entry
point) with what is wrong, instead of serving wrong suggestions."""

from django.core import checks

from .extraction.model import ModelError, current


@checks.register()
def extraction_model(app_configs=None, **kwargs):
    try:
        current()
    except ModelError as exc:
        return [checks.Error(str(exc), id="quotes.E001")]
    return []

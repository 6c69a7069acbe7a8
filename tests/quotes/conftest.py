"""A briefing transcript in the archive, and a source whose original text it is: what
the verbatim check's tests compare quotes against."""

import pytest

from apps.sources.models import Source
from tests.conftest import make_article

ORIGINAL = (
    "The briefing began late.\n\nCol. Dillon said: We will not let the fighters leave Raqqa "
    "with their weapons, and we are watching every convoy closely. He added that the deal "
    "was a local one."
)
PASSAGE = "We will not let the fighters leave Raqqa with their weapons"


@pytest.fixture
def briefing(db):
    return make_article(ORIGINAL, title="Briefing transcript")


@pytest.fixture
def linked(briefing):
    return Source.objects.create(
        title="Dillon briefing", kind=Source.Kind.BRIEFING, article=briefing
    )

"""Schemathesis reads /api/schema/ and sends every operation inputs generated from it (valid
and not), as an outsider and as a steward of a small catalogue: the API may refuse, never fail
with a 5xx."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from archive.models import Annotation
from tests import factories as f

EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "12"))  # more for a longer hunt


@pytest.fixture
def api_schema(db):
    """The schema served by the WSGI app itself. Requests run inside the test's transaction, so
    the handler must not close the connection at the end of each (Django's test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def catalogue(db):
    """Someone to be, and something to find: a steward's community with a recording and an annotation."""
    steward = f.make_user("fuzz-steward")
    community = f.make_community(stewards=[steward])
    recording = f.make_recording(community, title="Fuzzed song")
    Annotation.objects.create(recording=recording, start=1.0, end=2.0, body="a verse")
    return {"steward": Token.objects.create(user=steward).key}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
def test_no_input_makes_the_api_fail(case, catalogue):
    for who, headers in (("outsider", {}), ("steward", {"Authorization": f"Token {catalogue['steward']}"})):
        response = case.call(headers=headers)
        assert response.status_code < 500, (who, case.method, case.formatted_path, response.status_code,
                                            response.text[:500])

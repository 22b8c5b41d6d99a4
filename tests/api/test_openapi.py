"""Schemathesis over the whole OpenAPI schema, as each role: no 5xx, responses match the schema.

Each operation of ``/api/v1/openapi.json`` gets a few generated requests
(hypothesis, over ASGI) as an admin, a national manager, a dispatcher and a
courier, with the tiny test day loaded; every response is checked by
schemathesis' default checks. (Schemathesis' lazy pytest loader does not run
under pytest 9.2, so the operations are walked here.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

from tests.api.conftest import Crew, load_day

ROLES = ("admin", "national", "dispatcher20", "courier1")
EXAMPLES = 5
#: A schema-valid request may still be refused for what a schema cannot say: a file that is
#: not a readable orders table, a weekend, a day with nothing to plan (422), too large (413).
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2XX", "3XX", 401, 403, 404, 409, 413, 422, 429]}}})


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_every_role(client: TestClient, crew: Crew, day_files: Path,
                                       role: str) -> None:
    """No request a client can make gets a 5xx or a response the schema does not describe."""
    load_day(client, crew, day_files)
    headers = crew.headers(role)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app, config=CONFIG)
    failures: list[str] = []
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) > 20

    for operation in operations:

        @given(case=operation.as_strategy() | st.nothing())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Case[Any]) -> None:
            case.call_and_validate(headers=headers)

        try:
            check()
        except Exception as err:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {err}")
    assert not failures, "\n\n".join(failures)

"""Every test below this directory gets a fake with the deployment's Connect instance declared.

``pytest_connectviews_setup`` runs for each new fake before the test body, so tests do not repeat
the set-up, and a test that uses an undeclared instance fails as it would against AWS.
"""

from __future__ import annotations

import datetime as dt

from pytest_connectviews import FakeAWS

INSTANCE_ID = "7d3c1f2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f"
DEPLOYED_AT = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def pytest_connectviews_setup(fake: FakeAWS) -> None:
    fake.add_instance(INSTANCE_ID)  # from now on, unknown instances are not found
    fake.clock.freeze(DEPLOYED_AT)  # timestamps and token buckets move only when told

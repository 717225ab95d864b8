"""Environment for tests, applied before the app is imported."""

from __future__ import annotations

import os
import tempfile

TEST_DATA_DIR = tempfile.mkdtemp(prefix="gw-test-")
os.environ.update(
    {
        "GW_ENVIRONMENT": "test",
        "GW_DATA_DIR": TEST_DATA_DIR,
        "GW_SCHEDULER_ENABLED": "false",
        "GW_BASE_URL": "http://testserver",
        "GW_SMTP_PORT": "1",  # nothing listens there: email tests start their own server
    }
)
os.environ.pop("GW_DATABASE_URL", None)

POSTGRES_ADMIN_URL = os.environ.get(
    "GW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"

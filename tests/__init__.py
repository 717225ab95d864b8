"""Test suite. Importing the package first sets the test environment, before the app is imported."""

import tests.settings_env  # noqa: F401

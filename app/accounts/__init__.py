"""Accounts: people, clinics, sessions, invites, two-step login, and the one access policy."""

# Modules other domains may import besides `service` and `record` (tests/platform/test_layers.py).
# accounts is who everyone is: its models, route guards (`dependencies`), `policy`, page helpers
# (`web`), the dashboard's time zones (`zones`), signed-in `sessions` and password `security`.
PUBLIC = ("models", "dependencies", "policy", "web", "zones", "sessions", "security")

"""Reminders: schedules -> outbox -> dispatcher, sent once in each client's own time zone."""

# Modules other domains may import besides `service` and `record` (tests/platform/test_layers.py).
# `sources`: a domain registers a second reminder kind; `account`: closing an account stops
# (and reopening resumes) every reminder.
PUBLIC = ("sources", "account")

"""Routines: task-analysed steps, a step player, templates, history and a private calendar feed."""

# Modules other domains may import besides `service` and `record` (tests/platform/test_layers.py).
# `schemas`: what a care plan sends to create a routine; `feeds`: an account closure revokes them.
PUBLIC = ("schemas", "feeds")

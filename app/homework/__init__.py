"""Homework: assignments between sessions, completions with reflections, feedback threads."""

# Modules other domains may import besides `service` and `record` (tests/platform/test_layers.py).
# `queries`: notices and open assignments other pages list; `schemas`: what a care plan sends
# to create homework through the service.
PUBLIC = ("queries", "schemas")

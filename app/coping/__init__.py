"""Calm: strategies, the distress flow and its ranking, toolbox, safety and wellness plans."""

# Modules other domains may import besides `service` and `record` (tests/platform/test_layers.py).
# `catalog` and `toolbox`: the strategies a care plan names.
PUBLIC = ("catalog", "toolbox")

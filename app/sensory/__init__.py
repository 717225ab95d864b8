"""Sensory: the preference profile, the kit and calm corner, and the planned sensory diet."""

# Modules other domains may import besides `service` and `record` (tests/platform/test_layers.py).
# calm ranks strategies by the sensory words (`vocabulary`, `catalog`) and the cached fit
# (`fit_cache`); a care plan lists the sensory diet (`diet_service`).
PUBLIC = ("vocabulary", "catalog", "fit_cache", "diet_service")

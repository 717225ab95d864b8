"""Progress: the therapist's caseload dashboard, goals (GAS), measures, reports and exports."""

# Modules other domains may import besides `service` and `record` (tests/platform/test_layers.py).
# The care cycle (occupation) reviews goals, GAS and measures and prints the report; the client's
# own download (my_data) carries the same exports and Observations as the therapist's.
PUBLIC = (
    "goals",
    "gas",
    "measures",
    "measure_service",
    "dashboard",
    "report_pdf",
    "exports",
    "observations",
)

"""Progress: the therapist's caseload dashboard, goals (GAS), measures, reports and exports."""
